"""SVG snapshots of the home and of the workspace with a visitor (pytest-textual-snapshot).

Update after a deliberate change of the screens: ``pytest tests/ui/test_ui_snapshots.py
--snapshot-update``, then look at the SVG files in ``__snapshots__/`` before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ui_support import SIZE, settle, wait_for_screen

from simsec.ui.app import SimsecApp
from simsec.ui.screens.workspace import WorkspaceScreen


def test_home_snapshot(build_app: Callable[..., SimsecApp], snap_compare: Any) -> None:
    async def ready(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press(*"Emilie Durand", "enter")

    assert snap_compare(build_app(), terminal_size=SIZE, run_before=ready)


def test_workspace_with_a_visitor_snapshot(
    build_app: Callable[..., SimsecApp], snap_compare: Any
) -> None:
    async def play(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press(*"Emilie Durand", "enter", "enter")
        await wait_for_screen(pilot, WorkspaceScreen)
        # attend Mme Dupont, ask her birth name, ask for her identity card
        await pilot.press("enter", "enter", "ctrl+d", "enter")
        await settle(pilot)

    assert snap_compare(build_app(), terminal_size=SIZE, run_before=play)
