"""``simsec serve`` loaded in a real headless Chromium: the page comes from
textual-serve, its terminal connects, and a simsec TUI process starts for the browser."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium absent (Debian: apt-get install -y chromium)"
)

#: ``simsec serve`` once the lead registers it; meanwhile the command module itself.
_SERVE_FALLBACK = (
    "import sys, click\n"
    "from simsec.i18n import activate_for_process\n"
    "activate_for_process('fr')\n"
    "from simsec.cli import serve\n"
    "group = click.Group('simsec')\n"
    "serve.register(group)\n"
    "group(['serve', *sys.argv[1:]])\n"
)


def _serve_argv(port: int) -> list[str]:
    from simsec.cli import COMMAND_MODULES, serve

    options = ["--host", "127.0.0.1", "--port", str(port)]
    if serve in COMMAND_MODULES:
        return [sys.executable, "-m", "simsec.cli", "serve", *options]
    return [sys.executable, "-c", _SERVE_FALLBACK, *options]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"simsec serve did not listen on port {port}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    port = _free_port()
    data_dir = tmp_path / "served"
    env = {**os.environ, "SIMSEC_DATA_DIR": str(data_dir), "SIMSEC_LANG": "fr"}
    process = subprocess.Popen(
        _serve_argv(port),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group: the TUI processes it starts end with it
    )
    try:
        _wait_for_port(port)
        yield port, data_dir
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_served_page_loads_in_chromium(server: tuple[int, Path], tmp_path: Path) -> None:
    port, data_dir = server
    assert CHROMIUM is not None
    profile = tmp_path / "chromium-profile"
    dom = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    ).stdout
    assert "js/textual.js" in dom  # textual-serve's page
    assert "<div>simsec</div>" in dom  # with our title
    assert "textual-terminal -connected" in dom  # its terminal reached the websocket
    # the server started a simsec TUI for this browser (the factory made its runs folder)
    deadline = time.monotonic() + 20
    while not (data_dir / "runs").is_dir():
        assert time.monotonic() < deadline, "no simsec process was started for the browser"
        time.sleep(0.1)
