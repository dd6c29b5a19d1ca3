"""Replay a run log headless: rebuild the database, check it, score it.

RUNLOG_FORMAT.md, guarantees:

1. the chain is verified first (:mod:`simsec.runlog.verify`); a broken log is not
   replayed, and the first bad ``seq`` is named;
2. the ``action`` records are applied again, through the same :class:`Run
   <simsec.scenario.run.Run>` and engine as the live run, on the scenario whose
   ``sha256`` the header names: every result must be the logged one, and the database
   state at the end the same: the ``state_hash`` of the ``end`` record (the rows the run
   changed, :func:`simsec.scenario.world_cache.state_hash`, a few milliseconds) and, on
   request (``full_hash``), its ``db_hash`` (the canonical dump of the whole database,
   :func:`simsec.db.dump.dump_hash`). A scenario file that changed since the run is
   reported; re-scoring with its new rubric is allowed and said (``scenario_changed``);
3. scoring reads the records' scenario times and the rebuilt database, never ``wall``;
4. a log killed mid-run (no ``end`` record, a truncated last line) replays up to its last
   complete record.

Scoring many logs (a cohort, the benchmark) runs in worker processes
(:func:`score_logs`); each process builds a scenario's world once
(:mod:`simsec.scenario.world_cache`).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from simsec.i18n import _
from simsec.runlog.records import Record, RecordKind
from simsec.runlog.verify import VerifyReport, verify_log
from simsec.scenario.checks import RunFacts
from simsec.scenario.loader import LoadResult, load_scenario
from simsec.scenario.model import Scenario
from simsec.scenario.run import Run, RunInfo
from simsec.scenario.scoring import ScoreReport, grades_from_records, score_run
from simsec.scenario.world_cache import (
    WorldCache,
    base_identity,
    default_cache,
    reset_default_cache,
    scenario_digest,
)

__all__ = [
    "Divergence",
    "ReplayResult",
    "find_scenario",
    "replay_log",
    "replay_records",
    "score_logs",
]


@dataclass(frozen=True, slots=True)
class Divergence:
    """An action whose replayed result differs from the logged one."""

    seq: int
    do: str
    logged: Mapping[str, Any]
    replayed: Mapping[str, Any]

    def message(self) -> str:
        return _(
            "Enregistrement {seq} ({do}) : le rejeu donne un autre résultat que la partie."
        ).format(seq=self.seq, do=self.do)


@dataclass
class ReplayResult:
    """What :func:`replay_log` found."""

    path: Path
    verify: VerifyReport
    scenario: Scenario | None = None
    scenario_file: Path | None = None
    scenario_changed: bool = False
    error: str | None = None
    """Why the log was not replayed (French), None when it was."""
    report: ScoreReport | None = None
    divergences: list[Divergence] = field(default_factory=list)
    db_hash: str | None = None
    logged_hash: str | None = None
    state_hash: str | None = None
    logged_state: str | None = None
    end_reason: str | None = None
    run: Run | None = None

    @property
    def header(self) -> Record | None:
        return self.verify.header

    @property
    def chain_ok(self) -> bool:
        return self.verify.ok

    @property
    def hash_matches(self) -> bool | None:
        """Whether the rebuilt database is the one the run left (None: not known): the
        full dump hashes when both are known, else the state hashes."""
        if self.db_hash is not None and self.logged_hash is not None:
            return self.db_hash == self.logged_hash
        if self.state_hash is not None and self.logged_state is not None:
            return self.state_hash == self.logged_state
        return None

    @property
    def findings(self) -> list[str]:
        """Every problem worth exit code 1 (French)."""
        out: list[str] = []
        if self.verify.problem is not None:
            out.append(self.verify.problem.message)
        if self.error is not None:
            out.append(self.error)
        if self.hash_matches is False and not self.scenario_changed and not self.older_version:
            out.append(
                _(
                    "Le rejeu ne reconstruit pas la base de la partie (empreinte {got} au lieu "
                    "de {expected})."
                ).format(
                    got=(self.db_hash or self.state_hash or "")[:12],
                    expected=(self.logged_hash or self.logged_state or "")[:12],
                )
            )
        if not self.scenario_changed:
            out += [d.message() for d in self.divergences[:5]]
        return out

    @property
    def logged_version(self) -> str | None:
        """The simsec version that wrote the log (its header)."""
        header = self.header
        version = header.get("simsec_version") if header is not None else None
        return str(version) if version else None

    @property
    def older_version(self) -> bool:
        """Whether another simsec version wrote the log: its database may have had other
        columns (a later version adds some), so the rebuilt state cannot hash the same;
        the difference is reported as a note, not as a tampered log."""
        from simsec import __version__

        return self.logged_version is not None and self.logged_version != __version__

    @property
    def notes(self) -> list[str]:
        """What is worth saying without failing (French)."""
        from simsec import __version__

        if self.hash_matches is False and self.older_version and not self.scenario_changed:
            return [
                _(
                    "Journal écrit par simsec {logged}, rejoué par simsec {current} : la base "
                    "reconstruite n'a pas la même empreinte (le schéma a évolué entre les deux "
                    "versions) ; la notation porte sur les actions rejouées."
                ).format(logged=self.logged_version, current=__version__)
            ]
        return []

    @property
    def ok(self) -> bool:
        return not self.findings

    def log_summary(self) -> dict[str, Any]:
        """The ``log`` part of ``simsec score --json``."""
        problem = self.verify.problem
        return {
            "records": len(self.verify.records),
            "chain_ok": self.verify.ok,
            "first_bad_seq": problem.seq if problem is not None else None,
            "problem": problem.message if problem is not None else None,
            "complete": self.verify.complete,
            "truncated": any(w.is_warning for w in self.verify.warnings),
            "last_seq": self.verify.last_seq,
            "end_reason": self.end_reason,
        }

    def replay_summary(self) -> dict[str, Any]:
        """The ``replay`` part of ``simsec score --json``."""
        return {
            "scenario_file": str(self.scenario_file) if self.scenario_file else None,
            "scenario_changed": self.scenario_changed,
            "db_hash": self.db_hash,
            "logged_db_hash": self.logged_hash,
            "state_hash": self.state_hash,
            "logged_state_hash": self.logged_state,
            "db_hash_matches": self.hash_matches,
            "divergences": [{"seq": d.seq, "do": d.do} for d in self.divergences],
            "error": self.error,
        }

    def as_json(self) -> dict[str, Any]:
        """``simsec score --json``: ``scenario``, ``score``, ``criteria``,
        ``by_competency``, ``log`` (and ``by_ccp``, ``manual``, ``replay``)."""
        header = self.header
        scenario_id = None
        if header is not None:
            scenario_info = header.get("scenario")
            if isinstance(scenario_info, Mapping):
                scenario_id = scenario_info.get("id")
        out: dict[str, Any] = {
            "scenario": scenario_id,
            "score": None,
            "criteria": [],
            "by_competency": {},
        }
        if self.report is not None:
            out.update(self.report.as_dict())
            out["scenario"] = scenario_id or self.report.scenario
        out["log"] = self.log_summary()
        out["replay"] = self.replay_summary()
        out["findings"] = self.findings
        return out


# ------------------------------------------------------------------- the scenario


def _header_scenario(header: Record) -> tuple[str, str, str]:
    info = header.get("scenario")
    if not isinstance(info, Mapping):
        return "", "", ""
    return str(info.get("id") or ""), str(info.get("sha256") or ""), str(info.get("path") or "")


def find_scenario(header: Record, log_path: Path, explicit: Path | None = None) -> Path | None:
    """The scenario file of a log: ``explicit``, else the header's ``path`` (as written,
    from the current directory, next to the log), else a file of the same name next to
    the log or in ``scenarios/``."""
    if explicit is not None:
        return explicit
    _id, _sha, written = _header_scenario(header)
    if not written:
        return None
    name = Path(written).name
    candidates = [
        Path(written),
        log_path.parent / written,
        log_path.parent / name,
        Path("scenarios") / name,
    ]
    return next((c for c in candidates if c.is_file()), None)


# ------------------------------------------------------------------- replaying

_LOADED: dict[tuple[str, int, int], LoadResult] = {}
_LOADED_MAX = 16


def _load(file: Path) -> LoadResult:
    """A scenario file, parsed once per process while it does not change (many logs of
    one scenario are scored in a row)."""
    try:
        stat = file.stat()
    except OSError:
        return load_scenario(file)
    key = (str(file.resolve()), stat.st_mtime_ns, stat.st_size)
    found = _LOADED.get(key)
    if found is None:
        found = load_scenario(file)
        if len(_LOADED) >= _LOADED_MAX:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = found
    return found


#: Keys of a result whose text depends on the language of the run (messages, labels),
#: not on what the action did: a French run replayed in English must still agree.
_LANGUAGE_DEPENDENT: Final = frozenset({"message", "label", "warnings"})


def _comparable(result: Any) -> Any:
    """A result without what depends on the language of the messages, at any depth."""
    if isinstance(result, Mapping):
        return {
            key: _comparable(value)
            for key, value in result.items()
            if key not in _LANGUAGE_DEPENDENT
        }
    if isinstance(result, list | tuple):
        return [_comparable(item) for item in result]
    return result


def agrees(logged: Any, replayed: Any) -> bool:
    """Whether a replayed result says what the logged one said: every key the log has,
    at any depth, with the same value (messages aside). A key that a later simsec adds to
    its results (``urgent``, ``holder``...) is not a divergence: the log, written before,
    could not have it."""
    if isinstance(logged, Mapping):
        if not isinstance(replayed, Mapping):
            return False
        return all(
            key in replayed and agrees(value, replayed[key])
            for key, value in logged.items()
            if key not in _LANGUAGE_DEPENDENT
        )
    if isinstance(logged, list | tuple):
        return (
            isinstance(replayed, list | tuple)
            and len(logged) == len(replayed)
            and all(agrees(a, b) for a, b in zip(logged, replayed, strict=True))
        )
    return bool(_comparable(logged) == _comparable(replayed))


#: Actions that only read the database: a replay keeps their logged result instead of
#: applying them again (unless asked to check them too). The final state hash would
#: betray one that wrote.
READ_ONLY: Final = frozenset({"ask", "say", "request_document", "search_patients", "find_slots"})


def replay_records(
    scenario: Scenario,
    records: Sequence[Record],
    *,
    cache: WorldCache | None = None,
    sha256: str | None = None,
    full_hash: bool = False,
    check_reads: bool = False,
    compute_hash: bool | None = None,
) -> tuple[Run, RunFacts, list[Divergence]]:
    """Apply the ``action`` records of a log again on a fresh t=0 database.

    Actions of :data:`READ_ONLY` keep their logged result (``check_reads``: apply them
    too and compare). ``full_hash`` (``compute_hash``, its former name): also compute the
    canonical dump hash (``run.final_hash``); the state hash (``run.final_state``) is
    always computed. Returns the run (its database is the rebuilt one), the facts to
    score (the log's records and ``seq``, with the replayed results) and the divergences.
    """
    if compute_hash is not None:
        full_hash = compute_hash
    digest = sha256 or scenario_digest(scenario)
    db = (cache or default_cache()).engine(scenario, digest)
    run = Run(
        scenario,
        db,
        info=RunInfo(scenario_sha256=digest),
        header=False,
        base=base_identity(digest),
        chained=False,
    )
    facts_records: list[dict[str, Any]] = []
    divergences: list[Divergence] = []
    end_t: datetime | None = None
    for record in records:
        if record.kind == RecordKind.ACTION:
            moment = record.scenario_time
            if moment is not None:
                run.advance_to(moment)
            logged = record.get("result") or {}
            do, with_, as_ = record.get("do"), record.get("with") or {}, record.get("as")
            if (
                not check_reads
                and do in READ_ONLY
                and isinstance(with_, Mapping)
                and isinstance(logged.get("ok"), bool)
            ):
                run.recall(str(do), with_, as_ if isinstance(as_, str) else None, logged)
                facts_records.append(record.as_dict())
                continue
            action = {"do": do, "with": with_}
            if as_ is not None:
                action["as"] = as_
            outcome = run.perform(action)
            if not agrees(logged, outcome.result):
                divergences.append(
                    Divergence(record.seq, str(record.get("do")), logged, outcome.result)
                )
            facts_records.append({**record.as_dict(), "result": outcome.result})
        elif record.kind == RecordKind.END:
            end_t = record.scenario_time
        elif record.kind == RecordKind.EVENT:
            facts_records.append(record.as_dict())
    if end_t is not None:
        run.advance_to(end_t)
    run.final_state = run.state_hash()
    if full_hash:
        run.final_hash = run.db_hash()
    facts = RunFacts.from_records(facts_records, scenario.start)
    return run, facts, divergences


def replay_log(
    path: Path,
    *,
    scenario_path: Path | None = None,
    cache: WorldCache | None = None,
    full_hash: bool = False,
    keep_run: bool = False,
) -> ReplayResult:
    """Verify, replay and score the log at ``path`` (see the module docstring).

    ``full_hash``: also compare the canonical dump hash of the whole database, and apply
    the read-only actions again to compare their results."""
    report = verify_log(path)
    result = ReplayResult(path, report)
    if not report.ok or report.header is None:
        return result
    header = report.header
    end = next((r for r in reversed(report.records) if r.kind == RecordKind.END), None)
    if end is not None:
        result.end_reason = str(end.get("reason") or "")
        logged = end.get("db_hash")
        result.logged_hash = logged if isinstance(logged, str) and full_hash else None
        state = end.get("state_hash")
        result.logged_state = state if isinstance(state, str) else None
    scenario_id, sha256, written = _header_scenario(header)
    file = find_scenario(header, path, scenario_path)
    if file is None:
        result.error = _(
            "Scénario introuvable : « {path} ». Indiquez le fichier avec --scenario."
        ).format(path=written or scenario_id)
        return result
    loaded = _load(file)
    result.scenario_file = file
    if loaded.scenario is None:
        first = loaded.errors[0] if loaded.errors else None
        result.error = _("Le scénario « {path} » est invalide : {error}").format(
            path=file, error=str(first) if first is not None else "?"
        )
        return result
    scenario = loaded.scenario
    if scenario_id and scenario.id != scenario_id:
        result.error = _(
            "Le fichier « {path} » est le scénario « {found} », pas « {expected} »."
        ).format(path=file, found=scenario.id, expected=scenario_id)
        return result
    result.scenario = scenario
    result.scenario_changed = bool(sha256) and loaded.sha256 != sha256
    run, facts, divergences = replay_records(
        scenario,
        report.records,
        cache=cache,
        sha256=loaded.sha256,
        full_hash=full_hash,
        check_reads=full_hash,
    )
    result.divergences = divergences
    result.db_hash = run.final_hash
    result.state_hash = run.final_state
    grades = grades_from_records(r.as_dict() for r in report.records)
    with run.session() as session:
        result.report = score_run(scenario, facts, session, grades=grades)
    if keep_run:
        result.run = run
    else:
        run.db.dispose()
    return result


# ------------------------------------------------------------------- many logs


def _score_one(path: str) -> dict[str, Any]:
    result = replay_log(Path(path), cache=default_cache())
    summary = result.as_json()
    summary["path"] = path
    summary["ok"] = result.ok
    return summary


def _worker_start(directory: Path | None, lang: str) -> None:
    from simsec.i18n import activate

    activate(lang)
    reset_default_cache(directory)


def score_logs(
    paths: Iterable[Path], *, processes: int | None = None, chunksize: int = 8
) -> list[dict[str, Any]]:
    """Replay and score many logs in worker processes; the ``simsec score --json`` of
    each, plus ``path`` and ``ok``, in the order given. Each worker builds (or reads from
    the cache directory) each scenario's world once."""
    from simsec.i18n import current_lang

    items = [str(p) for p in paths]
    workers = processes or max(1, min(len(items), os.cpu_count() or 1))
    if workers <= 1 or len(items) <= 1:
        return [_score_one(item) for item in items]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    directory = default_cache().directory
    initargs = (directory, current_lang())
    with context.Pool(workers, initializer=_worker_start, initargs=initargs) as pool:
        return list(pool.imap(_score_one, items, chunksize=chunksize))
