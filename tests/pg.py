"""A real PostgreSQL server for the test suite, and the report of what ran against it.

The database tests must run against a real PostgreSQL, started here from the server
binaries on the machine (Debian's ``/usr/lib/postgresql/<version>/bin``, ``pg_config
--bindir``, or ``postgres`` on PATH); they are skipped, with the reason, only when no
binary exists.

How the server is run, so that it works on a fresh machine and in CI (root, no TTY):

- PostgreSQL refuses to run as root. As root, the server runs as a dedicated system
  account, ``simsec_pg`` (created with ``useradd`` on first use, under a file lock so
  that the xdist workers do not race), falling back to ``postgres`` or ``nobody``.
- Each pytest process (each xdist worker) that needs it starts its own throwaway
  cluster: ``initdb`` into a fresh directory of the system temp dir, owned by that
  account, and ``postgres`` listening on a Unix socket in that directory only (no TCP
  port, so no port to collide on). Durability is switched off (``fsync=off``...).
- Every wait has a deadline. The server is stopped and its directory removed at the end
  of the session, at interpreter exit, and (Linux) the kernel sends it SIGQUIT if the
  pytest process dies (``PR_SET_PDEATHSIG``). Directories left by a killed run are
  removed by the next one.

This module is also a pytest plugin (``pytest_plugins = ["pg"]`` in the top conftest): it
prints the server it will use in the session header and, in the summary, how many tests
marked ``postgres`` passed, failed or were skipped, and against which server version.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import fcntl
import os
import pwd
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest

SERVER_ACCOUNT = "simsec_pg"
FALLBACK_ACCOUNTS = ("postgres", "nobody")
ROLE = "simsec"
PORT = 5432  # only names the socket file: the server listens on no TCP port
DIR_PREFIX = "simsec-pg-"
BINDIR_ENV = "SIMSEC_PG_BINDIR"
INITDB_TIMEOUT_S = 120.0
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0
PG_SEARCH_GLOBS = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin")


class PostgresUnavailable(RuntimeError):
    """Binaries exist but the server could not be started: a failure, not a skip."""


# --------------------------------------------------------------------------- binaries


def _has_server(directory: Path) -> bool:
    return all(os.access(directory / name, os.X_OK) for name in ("postgres", "initdb"))


def _version_key(directory: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", str(directory))) or (0,)


def candidate_bindirs(
    globs: Iterable[str] = PG_SEARCH_GLOBS,
    path_env: str | None = None,
    environ: dict[str, str] | None = None,
) -> Iterator[Path]:
    """Where server binaries may be, best first: ``$SIMSEC_PG_BINDIR``, ``pg_config
    --bindir``, the packaged versions (highest first), then ``postgres`` on PATH."""
    environ = dict(os.environ) if environ is None else environ
    if environ.get(BINDIR_ENV):
        yield Path(environ[BINDIR_ENV])
    pg_config = shutil.which("pg_config", path=path_env)
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            ).stdout.strip()
            if out:
                yield Path(out)
    for pattern in globs:
        root = Path(pattern).anchor or "/"
        yield from sorted(Path(root).glob(pattern.lstrip("/")), key=_version_key, reverse=True)
    postgres = shutil.which("postgres", path=path_env)
    if postgres:
        yield Path(postgres).resolve().parent


def find_bindir(candidates: Iterable[Path] | None = None) -> Path | None:
    """The first directory holding both ``postgres`` and ``initdb``, or None."""
    for directory in candidate_bindirs() if candidates is None else candidates:
        if _has_server(directory):
            return directory
    return None


def server_version(bindir: Path) -> str:
    """``PostgreSQL 15.8`` from ``postgres --version`` (allowed as root)."""
    out = subprocess.run(
        [str(bindir / "postgres"), "--version"],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    ).stdout
    match = re.search(r"\(PostgreSQL\)\s+(\S+)", out)
    return f"PostgreSQL {match.group(1)}" if match else out.strip()


# --------------------------------------------------------------------------- account


@dataclass(frozen=True)
class Account:
    """The OS account the server runs as (None fields: the current user)."""

    name: str
    uid: int | None = None
    gid: int | None = None

    def popen_kwargs(self) -> dict[str, Any]:
        if self.uid is None:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}


def _lookup(name: str) -> Account | None:
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    return Account(name, entry.pw_uid, entry.pw_gid)


def _create_account(name: str) -> None:
    useradd = shutil.which("useradd") or next(
        (p for p in ("/usr/sbin/useradd", "/sbin/useradd") if Path(p).exists()), None
    )
    if useradd is None:
        return
    lock_path = Path(tempfile.gettempdir()) / f"{DIR_PREFIX}useradd.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _lookup(name) is None:
            subprocess.run(
                [
                    useradd,
                    "--system",
                    "--user-group",
                    "--no-create-home",
                    "--home-dir",
                    "/nonexistent",
                    "--shell",
                    "/usr/sbin/nologin",
                    "--comment",
                    "simsec test PostgreSQL",
                    name,
                ],
                capture_output=True,
                timeout=30,
                check=False,
            )


def server_account() -> Account:
    """Who runs the server: ourselves, or (as root) a dedicated unprivileged account."""
    if os.geteuid() != 0:
        return Account(pwd.getpwuid(os.geteuid()).pw_name)
    account = _lookup(SERVER_ACCOUNT)
    if account is None:
        _create_account(SERVER_ACCOUNT)
        account = _lookup(SERVER_ACCOUNT)
    for name in FALLBACK_ACCOUNTS:
        if account is not None:
            break
        account = _lookup(name)
    if account is None or account.uid == 0:
        raise PostgresUnavailable(
            "running as root and no unprivileged account to run PostgreSQL as "
            f"(could not create {SERVER_ACCOUNT!r})"
        )
    return account


# --------------------------------------------------------------------------- processes


def _parent_death_signal() -> Callable[[], None] | None:
    """A ``preexec_fn`` asking Linux to SIGQUIT the server if pytest dies (it runs in the
    child after the switch of user, which would otherwise clear the setting)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1

    def preexec() -> None:
        prctl(pr_set_pdeathsig, int(signal.SIGQUIT), 0, 0, 0)

    return preexec


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    env.pop("LANGUAGE", None)
    return env


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _traversable_tmp(account: Account) -> Path:
    """The temp dir, if the server account can reach a folder inside it, else /tmp."""
    base = Path(tempfile.gettempdir())
    if account.uid is None:
        return base
    for part in [base, *base.parents]:
        if not part.stat().st_mode & stat.S_IXOTH:
            return Path("/tmp")
    return base


def sweep_stale(root: Path) -> None:
    """Remove server directories whose pytest process is gone (a killed run); stop their
    server first if it still runs (checked by its command line, never by name)."""
    for directory in root.glob(f"{DIR_PREFIX}*"):
        owner_file = directory / "owner.pid"
        try:
            owner = int(owner_file.read_text())
        except (OSError, ValueError):
            continue
        if _pid_alive(owner):
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int((directory / "data" / "postmaster.pid").read_text().split()[0])
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            if str(directory) in cmdline:
                os.kill(pid, signal.SIGQUIT)
        shutil.rmtree(directory, ignore_errors=True)


@dataclass
class PostgresServer:
    """A throwaway PostgreSQL cluster owned by this pytest process."""

    bindir: Path
    account: Account = field(default_factory=server_account)
    base: Path | None = None
    version: str = ""
    version_num: int = 0
    process: subprocess.Popen[bytes] | None = None
    _databases: int = 0

    @property
    def socket_dir(self) -> Path:
        assert self.base is not None
        return self.base

    @property
    def data_dir(self) -> Path:
        assert self.base is not None
        return self.base / "data"

    @property
    def log_file(self) -> Path:
        assert self.base is not None
        return self.base / "server.log"

    # -- lifecycle

    def start(self) -> PostgresServer:
        root = _traversable_tmp(self.account)
        sweep_stale(root)
        self.base = Path(tempfile.mkdtemp(prefix=DIR_PREFIX, dir=root))
        atexit.register(self.stop)
        (self.base / "owner.pid").write_text(str(os.getpid()))
        if self.account.uid is not None:
            os.chown(self.base, self.account.uid, self.account.gid or -1)
        self.base.chmod(0o700)
        try:
            self._initdb()
            self._launch()
            self._wait_ready()
        except OSError as exc:
            self.stop()
            raise PostgresUnavailable(f"cannot run the PostgreSQL binaries: {exc}") from exc
        except BaseException:
            self.stop()
            raise
        return self

    def _initdb(self) -> None:
        command = [
            str(self.bindir / "initdb"),
            "--pgdata",
            str(self.data_dir),
            "--username",
            ROLE,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--no-locale",
            "--no-sync",
        ]
        try:
            done = subprocess.run(
                command,
                cwd=self.base,
                env=_child_env(),
                capture_output=True,
                text=True,
                timeout=INITDB_TIMEOUT_S,
                check=False,
                stdin=subprocess.DEVNULL,
                **self.account.popen_kwargs(),
            )
        except subprocess.TimeoutExpired as exc:
            raise PostgresUnavailable(f"initdb took over {INITDB_TIMEOUT_S} s") from exc
        if done.returncode != 0:
            raise PostgresUnavailable(
                f"initdb failed ({done.returncode}) as {self.account.name}:\n"
                f"{done.stdout}\n{done.stderr}"
            )

    def _launch(self) -> None:
        settings = {
            "listen_addresses": "",
            "unix_socket_directories": str(self.socket_dir),
            "port": str(PORT),
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "40",
            "shared_buffers": "32MB",
            "dynamic_shared_memory_type": "mmap",
            "max_wal_size": "256MB",
            "logging_collector": "off",
            "statement_timeout": "120s",  # a stuck test fails instead of hanging the run
        }
        command = [str(self.bindir / "postgres"), "-D", str(self.data_dir)]
        for name, value in settings.items():
            command += ["-c", f"{name}={value}"]
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.base,
                env=_child_env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_parent_death_signal(),
                **self.account.popen_kwargs(),
            )

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise PostgresUnavailable(
                    f"postgres exited with {self.process.returncode}:\n{self._log_tail()}"
                )
            try:
                with self.connect() as conn:
                    row = conn.execute("SHOW server_version").fetchone()
                    self.version = f"PostgreSQL {row[0] if row else '?'}"
                    number = conn.execute("SHOW server_version_num").fetchone()
                    self.version_num = int(number[0]) if number else 0
                    return
            except psycopg.OperationalError as exc:
                last_error = exc
                time.sleep(0.1)
        self.stop()
        raise PostgresUnavailable(
            f"postgres not ready after {START_TIMEOUT_S} s ({last_error}):\n{self._log_tail()}"
        )

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def stop(self) -> None:
        """Fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL; remove the
        directory. Safe to call twice."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            for sig, wait_s in ((signal.SIGINT, STOP_TIMEOUT_S), (signal.SIGQUIT, 5.0)):
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(sig)
                try:
                    process.wait(wait_s)
                    break
                except subprocess.TimeoutExpired:
                    continue
            else:
                process.kill()
                process.wait(5)
        if self.base is not None:
            shutil.rmtree(self.base, ignore_errors=True)
            self.base = None

    # -- databases

    def connect(self, dbname: str = "postgres") -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=str(self.socket_dir),
            port=PORT,
            user=ROLE,
            dbname=dbname,
            autocommit=True,
            connect_timeout=5,
        )

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{ROLE}@/{dbname}?host={self.socket_dir}&port={PORT}"

    def create_database(self, prefix: str = "t", options: str = "") -> str:
        """A new empty database; ``options``: more ``CREATE DATABASE`` clauses, such as
        ``TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'fr-FR'``."""
        self._databases += 1
        name = f"{prefix}_{os.getpid()}_{self._databases}"
        if self.version_num >= 150000 and "STRATEGY" not in options.upper():
            options += " STRATEGY FILE_COPY"  # faster than WAL_LOG with fsync off
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}" {options}'.encode())
        return name

    def drop_database(self, name: str) -> None:
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def running_server(bindir: Path) -> Iterator[PostgresServer]:
    server = PostgresServer(bindir)
    try:
        yield server.start()
    finally:
        server.stop()


# --------------------------------------------------------------------------- report plugin

USER_PROPERTY = "postgresql_server"


@dataclass
class _Tally:
    outcomes: dict[str, str] = field(default_factory=dict)
    skip_reasons: set[str] = field(default_factory=set)
    versions: set[str] = field(default_factory=set)

    def record(self, report: pytest.TestReport) -> None:
        if "postgres" not in report.keywords:
            return
        for name, value in report.user_properties:
            if name == USER_PROPERTY:
                self.versions.add(str(value))
        if report.failed:
            self.outcomes[report.nodeid] = "failed"
        elif report.skipped and report.nodeid not in self.outcomes:
            self.outcomes[report.nodeid] = "skipped"
            if isinstance(report.longrepr, tuple):
                self.skip_reasons.add(str(report.longrepr[2]))
        elif report.when == "call" and report.passed:
            self.outcomes.setdefault(report.nodeid, "passed")

    def summary(self) -> str:
        counts = {k: list(self.outcomes.values()).count(k) for k in ("passed", "failed", "skipped")}
        text = ", ".join(f"{n} {k}" for k, n in counts.items())
        server = " / ".join(sorted(self.versions)) or "no server started"
        line = f"tests marked postgres: {text}; real server: {server}"
        if self.skip_reasons:
            line += "; skipped because: " + " | ".join(sorted(self.skip_reasons))
        return line


class PostgresReport:
    """Counts the outcomes of the tests marked ``postgres`` (on the xdist controller too:
    reports carry the markers and the server version recorded by the fixture)."""

    def __init__(self) -> None:
        self.tally = _Tally()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.tally.record(report)

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.tally.outcomes:
            return
        terminalreporter.write_sep("-", "PostgreSQL")
        terminalreporter.write_line(self.tally.summary())


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("simsec-postgres-report"):
        config.pluginmanager.register(PostgresReport(), "simsec-postgres-report")


def pytest_report_header(config: pytest.Config) -> Sequence[str]:
    bindir = find_bindir()
    if bindir is None:
        return [
            "postgresql: no server binary found (pg_config --bindir, "
            "/usr/lib/postgresql/*/bin, PATH): the tests marked postgres will be skipped"
        ]
    try:
        version = server_version(bindir)
    except (OSError, subprocess.SubprocessError) as exc:
        version = f"version unknown: {exc}"
    return [
        f"postgresql: the tests marked postgres run against a real server, {version} "
        f"from {bindir}, started by the test suite"
    ]
