"""SVG snapshot of the agenda's multi-practitioner day (pytest-textual-snapshot).

Thursday 12 March of the scenario « planning_absence_praticien », every practitioner,
after Dr Benoit's absence was entered: his three appointments flagged ⚠ (to move), the
other practitioners' hours and appointments beside. Update after a deliberate change:
``pytest tests/ui/test_agenda_snapshots.py --snapshot-update``, then look at the SVG.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from planning_support import fast_keys, fill, idle, planning_app, start
from ui_support import SIZE

from simsec.ui.app import SimsecApp

__all__ = ["fast_keys"]


def test_agenda_multi_practitioner_day_snapshot(
    build_app: Callable[..., SimsecApp], tmp_path: Path, snap_compare: Any
) -> None:
    async def play(pilot: Any) -> None:
        await start(pilot)
        await pilot.press("f5")
        await idle(pilot)
        await pilot.press("b")  # Dr Benoit away on Thursday
        for value in ("dr_benoit", "12/03/2026 08:00", "12/03/2026 19:00", "Formation DPC"):
            await fill(pilot, value)
        await idle(pilot)
        await pilot.press("down", "down", "down", "down", "down", "down")  # 09:00, Mr Arnaud
        pilot.app.clear_notifications()
        await idle(pilot)

    app = planning_app(build_app, tmp_path, "planning_absence_praticien")
    assert snap_compare(app, terminal_size=SIZE, run_before=play)
