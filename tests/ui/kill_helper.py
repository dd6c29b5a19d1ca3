"""Run by ``test_ui_resume.py`` in a child process: play a few actions in the TUI with
the keyboard (log fsync'd as in real play), print READY, then wait to be killed."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from simsec import i18n
from simsec.config import Settings
from simsec.ui.factory import make_app
from simsec.ui.screens.workspace import WorkspaceScreen


async def main(data_dir: Path, scenarios: Path) -> None:
    app = make_app(Settings(data_dir=data_dir), scenario_dirs=[scenarios], speed=0)
    async with app.run_test(size=(140, 42)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*"Emilie", "enter", "enter")
        while not isinstance(app.screen, WorkspaceScreen):
            await pilot.pause(0.05)
        await pilot.pause()
        await pilot.press("enter", "enter", "ctrl+d", "enter")  # attend, ask, request the CNI
        await pilot.pause()
        print("READY", app.screen.session.log_path, flush=True)
        while True:  # the terminal dies here
            time.sleep(1)


if __name__ == "__main__":
    i18n.activate("fr")
    asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2])))
