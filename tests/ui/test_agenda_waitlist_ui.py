"""The agenda with the keyboard: an urgent slot today, arrivals and no-shows, and the
waiting list offered the slot a cancel or a move frees (booked, or left free)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from planning_support import (
    actions,
    fast_keys,
    fill,
    idle,
    open_dialog,
    planning_app,
    run_async,
    start,
    until,
)
from textual.pilot import Pilot
from textual.widgets import Static
from ui_support import SIZE

from simsec.services import readmodels_planning as rm
from simsec.ui.app import SimsecApp
from simsec.ui.screens.agenda import AgendaModule
from simsec.ui.screens.workspace import WorkspaceScreen
from simsec.ui.widgets.agenda_grid import AgendaGrid, render_row
from simsec.ui.widgets.form_dialog import FormDialog, ListDialog
from simsec.ui.widgets.slot_list import SlotList

__all__ = ["fast_keys"]

SCENARIO = "planning_absence_praticien"  # Monday 9 March 2026, 08:00


def _last_result(screen: WorkspaceScreen) -> dict[str, Any]:
    """The result of the last action of the run (view records left out)."""
    records = [r for r in screen.session.run.records if r["kind"] == "action"]
    result: dict[str, Any] = records[-1]["result"]
    return result


def _row_text(screen: WorkspaceScreen) -> str:
    """The text of the grid's line under the cursor, as drawn."""
    grid = screen.query_one(AgendaGrid)
    model = screen.query_one(AgendaModule).model
    assert model is not None
    return "".join(s.text for s in render_row(model, grid.cursor[1], grid.size.width))


async def _add_leroux_to_the_waitlist(pilot: Pilot[Any], screen: WorkspaceScreen) -> str:
    """``l``: Mrs Leroux waits for a consultation with Dr Benoit. Her entry's key."""
    await open_dialog(pilot, "l")
    for value in ("p_leroux", "C", "dr_benoit", "Le matin"):
        await fill(pilot, value)
    await idle(pilot)
    assert actions(screen)[-1][0] == "add_to_waitlist" and actions(screen)[-1][2]
    return str(_last_result(screen)["key"])


async def _put_cursor_on_arnaud(pilot: Pilot[Any], screen: WorkspaceScreen) -> None:
    """``f``: Mr Arnaud's appointment (Thursday 09:00 with Dr Benoit), under the cursor."""
    await open_dialog(pilot, "f")
    await fill(pilot, "p_arnaud")
    await until(pilot, lambda: isinstance(pilot.app.screen, ListDialog), "no list")
    await pilot.press("enter")
    await until(pilot, lambda: pilot.app.screen is screen, "the list stays")
    await idle(pilot)


def test_an_urgent_slot_today_is_booked_as_urgent_then_the_arrival_marked(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            run = screen.session.run
            await pilot.press("f5")
            await idle(pilot)
            await open_dialog(pilot, "u")  # an urgency today, with Dr Garnier
            await fill(pilot, "C")
            await fill(pilot, "dr_garnier")
            await idle(pilot)
            found = actions(screen)[-1]
            assert found[0] == "find_slots" and found[2]
            assert found[1]["before"] == "2026-03-09T23:59"  # today only
            slots = screen.query_one(SlotList)
            assert app.focused is slots and len(slots.slots) >= 2
            assert all(s.start.date() == datetime(2026, 3, 9).date() for s in slots.slots)
            title = str(screen.query_one("#agenda-slots-title", Static).render())
            assert "urgence" in title
            chosen = slots.slots[1]  # not the next free slot: the urgency's choice
            await pilot.press("down", "enter")
            await until(pilot, lambda: isinstance(app.screen, FormDialog), "no booking form")
            form = app.screen
            assert isinstance(form, FormDialog) and form.id == "book-form"
            await fill(pilot, "p_arnaud")
            for _ in range(3):  # practitioner, type, start as proposed
                await pilot.press("enter")
            await fill(pilot, "Douleur thoracique")
            await pilot.press("enter")  # "Urgent" as proposed
            await until(pilot, lambda: app.screen is screen, "the form stays open")
            booked = actions(screen)[-1]
            assert booked == (
                "book_appointment",
                {
                    "patient": "p_arnaud",
                    "practitioner": "dr_garnier",
                    "type": "C",
                    "start": chosen.start.isoformat(timespec="minutes"),
                    "reason": "Douleur thoracique",
                    "urgent": True,
                },
                True,
            )
            key = _last_result(screen)["key"]
            assert _last_result(screen)["urgent"] is True
            grid = screen.query_one(AgendaGrid)
            assert grid.cell is not None and grid.cell.entry is not None
            assert grid.cell.entry.key == key and grid.cell.entry.urgent
            assert f"!{chosen.start:%H:%M}" in _row_text(screen)  # drawn as urgent
            # not come yet: a no-show is refused (it has not started), nothing changes
            state = run.state_hash()
            await pilot.press("n")
            await idle(pilot)
            assert actions(screen)[-1] == ("mark_no_show", {"appointment": key}, False)
            assert run.state_hash() == state
            await pilot.press("a")  # the patient has arrived: ✓ in the grid
            await idle(pilot)
            assert actions(screen)[-1] == ("mark_arrived", {"appointment": key}, True)
            window = screen.query_one(AgendaModule).model
            assert window is not None
            arrived = window.window.entry(key)
            assert arrived is not None and arrived.status == "arrived"
            assert f"✓{chosen.start:%H:%M}" in _row_text(screen)

    run_async(scenario())


def test_a_cancelled_slot_is_booked_for_the_waiting_patient_and_the_entry_served(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            db = screen.session.run.db
            await pilot.press("f5")
            await idle(pilot)
            entry = await _add_leroux_to_the_waitlist(pilot, screen)
            await _put_cursor_on_arnaud(pilot, screen)
            await open_dialog(pilot, "x")
            await fill(pilot, "patient")
            await fill(pilot, "Voyage")
            await until(pilot, lambda: isinstance(app.screen, ListDialog), "no offer")
            assert actions(screen)[-1][0] == "cancel_appointment" and actions(screen)[-1][2]
            offer = app.screen
            assert isinstance(offer, ListDialog) and offer.id == "waitlist-offer"
            assert [key for key, _label in offer.options] == [entry]
            assert "LEROUX Chantal" in offer.options[0][1]
            await pilot.press("enter")  # Mrs Leroux takes the freed slot
            await until(pilot, lambda: isinstance(app.screen, FormDialog), "no booking form")
            assert isinstance(app.screen, FormDialog) and app.screen.id == "book-form"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: app.screen is screen, "the form stays open")
            booked = actions(screen)[-1]
            assert booked == (
                "book_appointment",
                {
                    "patient": "p_leroux",
                    "practitioner": "dr_benoit",
                    "type": "C",
                    "start": "2026-03-12T09:00",
                },
                True,
            )
            assert _last_result(screen)["waitlist_served"] == entry
            assert rm.waitlist(db) == ()  # nobody waits any more
            served = rm.waitlist(db, waiting_only=False)
            assert [(w.key, w.status) for w in served] == [(entry, "served")]
            waiting = str(screen.query_one("#agenda-waitlist", Static).render())
            assert "LEROUX" not in waiting
            grid = screen.query_one(AgendaGrid)
            assert grid.cell is not None and grid.cell.entry is not None
            assert grid.cell.entry.title == "LEROUX Chantal"

    run_async(scenario())


def test_a_moved_appointment_offers_its_slot_and_escape_leaves_it_free(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            run = screen.session.run
            await pilot.press("f5")
            await idle(pilot)
            entry = await _add_leroux_to_the_waitlist(pilot, screen)
            await _put_cursor_on_arnaud(pilot, screen)
            await open_dialog(pilot, "d")  # to Friday 09:30, same practitioner
            await fill(pilot, "13/03/2026 09:30")
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ListDialog), "no offer")
            moved = actions(screen)[-1]
            assert moved[0] == "move_appointment" and moved[2]
            assert _last_result(screen)["waitlist"] == [entry]
            offer = app.screen
            assert isinstance(offer, ListDialog) and offer.id == "waitlist-offer"
            assert [key for key, _label in offer.options] == [entry]
            count = len(actions(screen))
            await pilot.press("escape")  # the slot stays free
            await until(pilot, lambda: app.screen is screen, "the offer stays")
            await idle(pilot)
            assert len(actions(screen)) == count  # nothing booked
            assert [w.key for w in rm.waitlist(run.db)] == [entry]  # still waiting
            thursday = rm.agenda_window(run.db, datetime(2026, 3, 12).date(), 1, ["dr_benoit"])
            assert all(
                e.start != datetime(2026, 3, 12, 9, 0) or not e.active for e in thursday.entries
            )

    run_async(scenario())
