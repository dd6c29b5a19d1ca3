"""The agenda module with the keyboard (F5), and its read model."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from planning_support import (
    actions,
    fast_keys,
    fill,
    idle,
    open_dialog,
    planning_app,
    run_async,
    start,
    type_text,
    until,
)
from textual.widgets import Static
from ui_support import _CACHE, SIZE

from simsec.scenario.loader import load_scenario
from simsec.scenario.run import Run
from simsec.services import readmodels_planning as rm
from simsec.ui.app import SimsecApp
from simsec.ui.screens.agenda import AgendaModule
from simsec.ui.screens.record import PatientRecordScreen
from simsec.ui.screens.workspace import WorkspaceScreen
from simsec.ui.widgets.agenda_grid import AgendaGrid
from simsec.ui.widgets.form_dialog import FormDialog, ListDialog
from simsec.ui.widgets.slot_list import SlotList

__all__ = ["fast_keys"]

SCENARIO = "planning_absence_praticien"
FRIDAY = date(2026, 3, 13)


def _agenda(screen: WorkspaceScreen) -> AgendaModule:
    return screen.query_one(AgendaModule)


def _headless_run() -> Run:
    path = Path(__file__).resolve().parents[2] / "scenarios" / f"{SCENARIO}.yaml"
    loaded = load_scenario(path)
    assert loaded.scenario is not None
    return Run.start(loaded.scenario, sha256=loaded.sha256, cache=_CACHE)


# ------------------------------------------------------------------------ read model


def test_the_window_holds_appointments_absences_and_meetings() -> None:
    run = _headless_run()
    absence = run.perform(
        {
            "do": "add_absence",
            "with": {
                "practitioner": "dr_benoit",
                "from": "2026-03-12T08:00",
                "to": "2026-03-12T19:00",
                "reason": "Formation",
            },
        }
    )
    meeting = run.perform(
        {
            "do": "schedule_meeting",
            "with": {
                "title": "Staff",
                "participants": ["dr_garnier", "ide_riviere"],
                "start": "2026-03-10T12:45",
                "minutes": 30,
                "room": "Salle",
            },
        }
    )
    run.perform(
        {
            "do": "cancel_appointment",
            "with": {"appointment": "rdv_vendredi_2", "by": "patient", "reason": "Empêchement"},
        }
    )
    window = rm.agenda_window(
        run.db, date(2026, 3, 9), 5, ["dr_garnier", "dr_benoit", "ide_riviere"]
    )
    assert [p.key for p in window.practitioners] == ["dr_garnier", "dr_benoit", "ide_riviere"]
    kinds = {(e.kind.value, e.key, e.practitioner) for e in window.entries}
    assert ("absence", absence.result["key"], "dr_benoit") in kinds
    key = meeting.result["key"]
    assert {("meeting", key, "dr_garnier"), ("meeting", key, "ide_riviere")} <= kinds
    assert ("meeting", key, "dr_benoit") not in kinds
    cancelled = window.entry("rdv_vendredi_2")
    assert cancelled is not None and not cancelled.active
    assert (cancelled.cancelled_by, cancelled.cancel_reason) == ("patient", "Empêchement")
    arnaud = window.entry("rdv_arnaud")
    assert arnaud is not None and arnaud.title == "ARNAUD Michel"
    assert arnaud.reason == "Suivi tension"
    assert [e.start for e in window.entries] == sorted(e.start for e in window.entries)
    assert [a.key for a in rm.patient_appointments(run.db, "p_arnaud")] == ["rdv_arnaud"]
    assert rm.patient_appointments(run.db, "nobody") == ()


# ------------------------------------------------------------------------------ keys


def test_no_double_booking_the_refusal_is_shown_and_nothing_changes(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            run = screen.session.run
            state = run.state_hash()
            await pilot.press("f5")
            await idle(pilot)
            await open_dialog(pilot, "r")
            # 08:30 on Friday is Mr Seguin's appointment with Dr Benoit
            for value in ("p_arnaud", "dr_benoit", "C", "13/03/2026 08:30", "Contrôle", None):
                await fill(pilot, value)
            await idle(pilot)
            form = app.screen
            assert isinstance(form, FormDialog) and form.id == "book-form"  # still open
            error = str(form.query_one("#form-error", Static).render())
            assert "déjà un rendez-vous" in error
            assert actions(screen)[-1][0] == "book_appointment" and not actions(screen)[-1][2]
            assert run.records[-1]["result"]["error"]["code"] == "practitioner_busy"
            assert run.state_hash() == state  # nothing changed
            await pilot.press("escape")
            await idle(pilot)
            assert [a.key for a in rm.patient_appointments(run.db, "p_arnaud")] == ["rdv_arnaud"]

    run_async(scenario())


def test_a_bad_date_is_explained_before_any_action(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            await pilot.press("f5")
            await idle(pilot)
            await open_dialog(pilot, "c")
            await fill(pilot, "C")
            await fill(pilot, "dr_benoit")
            await fill(pilot, "31/02/2026 09:00")
            await fill(pilot, None)
            await fill(pilot, None)
            await idle(pilot)
            error = str(app.screen.query_one("#form-error", Static).render())
            assert "date et heure invalides" in error
            assert actions(screen) == []

    run_async(scenario())


def test_views_day_week_one_or_every_practitioner(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            await pilot.press("f5")
            await idle(pilot)
            agenda = _agenda(screen)
            count = len(rm.practitioners(screen.session.run.db))
            assert agenda.model is not None and len(agenda.model.lanes) == count  # the day, all
            await pilot.press("s")
            await idle(pilot)
            assert agenda.model is not None and len(agenda.model.lanes) == 5 * count  # Mon-Fri
            await pilot.press("t")  # one practitioner: the one under the cursor
            await idle(pilot)
            assert agenda.scope is not None and len(agenda.model.lanes) == 5
            await pilot.press("p")
            await idle(pilot)
            assert agenda.scope is not None and len(agenda.model.lanes) == 5
            await pilot.press("pagedown", "j")
            await idle(pilot)
            assert (
                agenda.model.window.first_day == date(2026, 3, 16) and len(agenda.model.lanes) == 1
            )
            views = [r["key"] for r in screen.session.run.records if r["kind"] == "view"]
            assert views[0] == "2026-03-09/day/*" and views[-1].endswith("/day/" + agenda.scope)
            assert actions(screen) == []  # looking changes nothing

    run_async(scenario())


def test_find_slots_then_book_from_a_slot_and_mark_the_arrival(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            await pilot.press("f5")
            await idle(pilot)
            await open_dialog(pilot, "c")
            for value in ("C", "dr_garnier", "09/03/2026 08:00", "09/03/2026 12:00", "2"):
                await fill(pilot, value)
            await idle(pilot)
            slots = screen.query_one(SlotList)
            assert [s.start for s in slots.slots] == [
                datetime(2026, 3, 9, 8, 30),
                datetime(2026, 3, 9, 8, 50),
            ]
            assert app.focused is slots
            await pilot.press("enter")  # book the first slot: the form is filled from it
            await idle(pilot)
            await fill(pilot, "p_arnaud")
            for _ in range(3):  # practitioner, type, start as proposed
                await pilot.press("enter")
            await fill(pilot, "Fièvre")
            await pilot.press("enter")  # "Urgent" as proposed
            await idle(pilot)
            booked = actions(screen)[-1]
            key = screen.session.run.records[-1]["result"]["key"]
            assert booked == (
                "book_appointment",
                {
                    "patient": "p_arnaud",
                    "practitioner": "dr_garnier",
                    "type": "C",
                    "start": "2026-03-09T08:30",
                    "reason": "Fièvre",
                },
                True,
            )
            grid = screen.query_one(AgendaGrid)
            assert grid.cell is not None and grid.cell.entry is not None
            assert grid.cell.entry.key == key  # the cursor is on the new appointment
            await pilot.press("a")  # the patient has arrived
            await idle(pilot)
            assert actions(screen)[-1] == ("mark_arrived", {"appointment": key}, True)

    run_async(scenario())


def test_a_cancelled_slot_is_offered_to_the_waiting_list(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            await pilot.press("f5")
            await idle(pilot)
            await open_dialog(
                pilot, "l"
            )  # waiting list: Mrs Leroux wants an earlier slot with Dr Benoit
            for value in ("p_leroux", "C", "dr_benoit", "Le matin"):
                await fill(pilot, value)
            await idle(pilot)
            assert actions(screen)[-1][0] == "add_to_waitlist"
            waiting = str(screen.query_one("#agenda-waitlist", Static).render())
            assert "LEROUX Chantal" in waiting
            await open_dialog(pilot, "f")  # Mr Arnaud's appointment, cancelled by him
            await fill(pilot, "p_arnaud")
            await until(pilot, lambda: isinstance(app.screen, ListDialog), "no list")
            await pilot.press("enter")
            await until(pilot, lambda: app.screen is screen, "the list stays")
            await open_dialog(pilot, "x")
            await fill(pilot, "patient")
            await fill(pilot, "Voyage")
            await until(pilot, lambda: isinstance(app.screen, ListDialog), "no offer")
            assert actions(screen)[-1] == (
                "cancel_appointment",
                {"appointment": "rdv_arnaud", "by": "patient", "reason": "Voyage"},
                True,
            )
            offer = app.screen
            assert isinstance(offer, ListDialog) and offer.id == "waitlist-offer"
            await pilot.press("enter")  # Mrs Leroux takes the freed slot
            await idle(pilot)
            form = app.screen
            assert isinstance(form, FormDialog) and form.id == "book-form"
            await pilot.press("ctrl+s")
            await idle(pilot)
            assert actions(screen)[-1] == (
                "book_appointment",
                {
                    "patient": "p_leroux",
                    "practitioner": "dr_benoit",
                    "type": "C",
                    "start": "2026-03-12T09:00",
                },
                True,
            )
            grid = screen.query_one(AgendaGrid)  # the cursor on the new appointment
            assert grid.cell is not None and grid.cell.entry is not None
            assert grid.cell.entry.title == "LEROUX Chantal"

    run_async(scenario())


def test_meeting_participants_are_checked_and_the_people_told(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            await pilot.press("f5")
            await idle(pilot)
            await open_dialog(pilot, "e")
            await fill(pilot, "Staff")
            # Dr Benoit (under the cursor) is ticked; tick Dr Garnier too
            await pilot.press("home", "down", "space", "tab")
            await fill(pilot, None)
            # Dr Garnier sees Mr Lundi at 12:40 on Monday: refused, explained
            await fill(pilot, "09/03/2026 12:30")
            await fill(pilot, "45")
            await fill(pilot, "Salle de réunion")
            await idle(pilot)
            assert isinstance(app.screen, FormDialog)
            assert actions(screen)[-1][0] == "schedule_meeting" and not actions(screen)[-1][2]
            await pilot.press("escape")
            await idle(pilot)
            await open_dialog(pilot, "m")  # a message to the people concerned, prefilled
            await idle(pilot)
            assert isinstance(app.screen, FormDialog) and app.screen.id == "message-form"

    run_async(scenario())


def test_the_palette_offers_the_agenda_actions_and_o_opens_the_record(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            await pilot.press("f5")
            await idle(pilot)
            await pilot.press("ctrl+p")
            await type_text(pilot, "Créneaux libres")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await idle(pilot)
            assert isinstance(app.screen, FormDialog) and app.screen.id == "find-slots-form"
            await pilot.press("escape")
            await open_dialog(pilot, "f")  # Mr Arnaud's appointment, then his record
            await fill(pilot, "p_arnaud")
            await until(pilot, lambda: isinstance(app.screen, ListDialog), "no list")
            await pilot.press("enter")
            await until(pilot, lambda: app.screen is screen, "the list stays")
            await pilot.press("o")
            await idle(pilot)
            assert isinstance(app.screen, PatientRecordScreen)
            assert app.screen.record.key == "p_arnaud"
            assert [a.key for a in app.screen.record.appointments] == ["rdv_arnaud"]
            views = [
                (r["entity"], r["key"]) for r in screen.session.run.records if r["kind"] == "view"
            ]
            assert ("patient", "p_arnaud") in views  # who looked at what
            await pilot.press("escape")
            await idle(pilot)
            assert isinstance(app.screen, WorkspaceScreen)

    run_async(scenario())
