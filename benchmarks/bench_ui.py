"""TUI cold start (issue "Trainee workspace I", ``make bench``).

Target: a cold start of simsec to its home screen (the app built by
``simsec.ui.factory.make_app``, the home mounted) takes at most 1.5 times the cold start
of a bare Textual app with a Header, a DataTable and a Footer, measured in the same run.

Each start is a fresh Python process, run headless: the time counted goes from the
moment the parent starts it (interpreter start-up and imports included) to the moment
the first screen is mounted, as the process reports it. The kinds alternate and the
medians are compared, so that the ratio does not depend on the machine's speed.
``BENCH_UI_ROUNDS`` sets the rounds (default 7).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_RATIO = 1.5

_BARE = """
import sys, time
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

async def ready(pilot):
    print(time.time() - float(sys.argv[1]))
    pilot.app.exit()

Bare().run(headless=True, auto_pilot=ready)
"""

_SIMSEC = """
import asyncio, sys, time
from pathlib import Path
from simsec.config import Settings
from simsec.ui.factory import make_app
from simsec.ui.screens.home import HomeScreen

FILLED = sys.argv[3] == "filled"

async def ready(pilot):
    while not isinstance(pilot.app.screen, HomeScreen) or not pilot.app.screen.is_mounted:
        await asyncio.sleep(0)
    if FILLED:
        while not pilot.app.screen._loaded:
            await asyncio.sleep(0.005)
    print(time.time() - float(sys.argv[1]))
    pilot.app.exit()

app = make_app(Settings(data_dir=Path(sys.argv[2])), scenario_dirs=[Path("tests/ui/data")])
app.run(headless=True, auto_pilot=ready)
"""


#: Diagnostic: what importing the settings (simsec.config, a plain dataclass) costs a cold start.
_CONFIG = """
import sys, time
import textual.app  # already imported when the app imports the settings
started = time.perf_counter()
import simsec.config
print(time.perf_counter() - started)
"""


def _start(code: str, *args: str) -> float:
    """Seconds from spawning ``code`` to its first screen, as the child measured it."""
    out = subprocess.run(
        [sys.executable, "-c", code, repr(time.time()), *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return float(out.stdout.strip().splitlines()[-1])


def run(report: Any) -> None:
    rounds = int(os.environ.get("BENCH_UI_ROUNDS", "7"))
    with tempfile.TemporaryDirectory(prefix="simsec-bench-ui-") as folder:
        _start(_BARE)  # warm the file cache and the bytecode of both
        _start(_SIMSEC, folder, "home")
        bare, home, filled, config = [], [], [], []
        for _round in range(rounds):
            bare.append(_start(_BARE))
            home.append(_start(_SIMSEC, folder, "home"))
            filled.append(_start(_SIMSEC, folder, "filled"))
            config.append(_start(_CONFIG))
    reference = statistics.median(bare)
    report("bare Textual app (Header, DataTable, Footer) cold start", reference, None, "s")
    value = statistics.median(home)
    report("simsec cold start to the home screen", value, TARGET_RATIO * reference, "s", reference)
    report(
        "  of which importing simsec.config (settings)",
        statistics.median(config),
        None,
        "s",
        reference,
    )
    report(
        "simsec cold start to the home with its scenario list read",
        statistics.median(filled),
        None,
        "s",
        reference,
    )
