"""The reference solutions of the shipped scenarios, replayed with keystrokes.

Issue "Trainee workspace II", acceptance: for every shipped scenario whose reference
solution uses the planning modules (agenda, admission, access to the record, messages
and letters), the solution is played headless, then the same actions are typed in the
TUI: each action of the planning modules by its keys in its module (F5 to F8, drivers
below), the desk, patients and insurance actions by the keyboard driver of those modules
(``identity_driver.KeyDriver``, written with them). An action no driver can type yet is
performed through the session, as its module would, and listed by
``test_what_is_not_typed_yet`` (strict). The run must log the same actions with the same
results, and end with the same score and the same database hash.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from identity_driver import DRIVEN as OTHER_DRIVEN
from identity_driver import DriverError, KeyDriver
from planning_support import (
    PLANNING_SPECS,
    SCENARIOS,
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
from sqlalchemy import select
from sqlalchemy.orm import Session
from textual.pilot import Pilot
from textual.widgets import OptionList, SelectionList
from ui_support import SIZE, wait_for_screen

from simsec.actions.catalogue import CATALOGUE
from simsec.db.models import Appointment, Patient
from simsec.scenario.loader import load_scenario
from simsec.scenario.run import Run
from simsec.scenario.world_cache import WorldCache
from simsec.services import readmodels_planning as rm
from simsec.ui.app import SimsecApp
from simsec.ui.messages import ActionPerformed
from simsec.ui.screens.debrief import DebriefScreen
from simsec.ui.screens.workspace import WorkspaceScreen
from simsec.ui.widgets.date_entry import day_text, moment_text
from simsec.ui.widgets.form_dialog import ListDialog

__all__ = ["fast_keys"]  # the fixture, used by every test of this module

Driver = Callable[[Pilot[Any], WorkspaceScreen, dict[str, Any]], Awaitable[None]]

#: The areas of the action catalogue that the planning modules perform.
PLANNING_AREAS = {"agenda", "admission", "access"}
PLANNING_ACTIONS = {"send_message", "write_letter", "send_letter"} | {
    name for name, info in CATALOGUE.items() if info.area in PLANNING_AREAS
}


def _shipped_with_planning() -> list[str]:
    names = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        loaded = load_scenario(path)
        assert loaded.scenario is not None, path
        reference = loaded.scenario.solutions[0]
        if any(action.do in PLANNING_ACTIONS for action in reference.actions):
            names.append(path.stem)
    return names


# --------------------------------------------------------------------------- headless


def _headless(name: str, cache: WorldCache) -> tuple[list[dict[str, Any]], float, str]:
    """The reference solution's action records, score (percent) and database hash."""
    loaded = load_scenario(SCENARIOS / f"{name}.yaml")
    scenario = loaded.scenario
    assert scenario is not None
    run = Run.start(scenario, sha256=loaded.sha256, cache=cache)
    for action in scenario.solutions[0].actions:
        run.perform(action, at=action.at)
    report = run.end("completed")
    records = [r for r in run.records if r["kind"] == "action"]
    assert run.final_hash is not None
    return records, float(report.percent), run.final_hash


# --------------------------------------------------------------------------- helpers


def _moment(value: Any) -> str:
    return moment_text(datetime.fromisoformat(str(value)))


def _day(value: Any) -> str:
    return day_text(date.fromisoformat(str(value)))


async def _module(pilot: Pilot[Any], key: str) -> None:
    """Show the module of ``key`` (F5 to F8) and wait until it is shown."""
    spec = next(spec for spec in PLANNING_SPECS if spec.key == key)
    await pilot.press(key)

    def shown() -> bool:
        screen = pilot.app.screen
        module = screen.active_module() if isinstance(screen, WorkspaceScreen) else None
        return module is not None and spec.id == module.MODULE_ID

    await until(pilot, shown, f"module {spec.id} not shown")
    await idle(pilot)


async def _select_option(pilot: Pilot[Any], options: OptionList, wanted: str) -> None:
    """Move the highlight of ``options`` (focused) onto the option ``wanted`` with keys."""
    await pilot.press("home")
    for _ in range(options.option_count):
        highlighted = options.highlighted
        if highlighted is not None and options.get_option_at_index(highlighted).id == wanted:
            return
        await pilot.press("down")
    raise AssertionError(f"option {wanted} not found")


async def _set_selection(pilot: Pilot[Any], app: SimsecApp, field: str, wanted: list[str]) -> None:
    """Tick exactly ``wanted`` in the selection list of the form field ``field``."""
    selection = app.screen.query_one(f"#field-{field}", SelectionList)
    assert app.focused is selection
    await pilot.press("home")
    for index in range(selection.option_count):
        value = selection.get_option_at_index(index).value
        if (value in wanted) != (value in selection.selected):
            await pilot.press("space")
        await pilot.press("down")
    assert sorted(selection.selected) == sorted(wanted)
    await pilot.press("tab")


def _db(screen: WorkspaceScreen) -> Any:
    return screen.session.run.db


# --------------------------------------------------------------------------- agenda


async def _pick_appointment(pilot: Pilot[Any], screen: WorkspaceScreen, key: str) -> None:
    """F5, then F (the appointments of a patient), the patient, the appointment."""
    with Session(_db(screen)) as session:
        patient = session.execute(
            select(Patient.key)
            .join(Appointment, Appointment.patient_id == Patient.id)
            .where(Appointment.key == key)
        ).scalar_one()
    await _module(pilot, "f5")
    await open_dialog(pilot, "f")
    await fill(pilot, patient)
    await until(pilot, lambda: isinstance(screen.app.screen, ListDialog), "no appointment list")
    await pilot.pause()
    keys = [a.key for a in rm.patient_appointments(_db(screen), patient)]
    await pilot.press(*["down"] * keys.index(key), "enter")
    await until(pilot, lambda: screen.app.screen is screen, "the list stays open")
    await idle(pilot)


async def find_slots(pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]) -> None:
    await _module(pilot, "f5")
    await open_dialog(pilot, "c")
    await fill(pilot, w["type"])
    await fill(pilot, w.get("practitioner"))
    await fill(pilot, _moment(w["after"]) if "after" in w else None)
    await fill(pilot, _moment(w["before"]) if "before" in w else None)
    await fill(pilot, str(w["count"]) if "count" in w else None)


async def book_appointment(pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]) -> None:
    await _module(pilot, "f5")
    await open_dialog(pilot, "r")
    await fill(pilot, w["patient"])
    await fill(pilot, w["practitioner"])
    await fill(pilot, w["type"])
    await fill(pilot, _moment(w["start"]))
    await fill(pilot, w.get("reason"))
    await fill(pilot, "oui" if w.get("urgent") else None)


async def _leave_the_waitlist_offer(pilot: Pilot[Any]) -> None:
    """A freed slot is offered to the waiting list (a dialog): the solution books it
    itself with its own next action, so the offer is closed (Escape)."""
    await idle(pilot)
    if pilot.app.screen.id == "waitlist-offer":
        await pilot.press("escape")
        await idle(pilot)


async def move_appointment(pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]) -> None:
    await _pick_appointment(pilot, screen, w["appointment"])
    await open_dialog(pilot, "d")
    await fill(pilot, _moment(w["start"]))
    await fill(pilot, w.get("practitioner"))
    await _leave_the_waitlist_offer(pilot)


async def cancel_appointment(pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]) -> None:
    await _pick_appointment(pilot, screen, w["appointment"])
    await open_dialog(pilot, "x")
    await fill(pilot, w["by"])
    await fill(pilot, w["reason"])
    await _leave_the_waitlist_offer(pilot)


async def mark_arrived(pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]) -> None:
    await _pick_appointment(pilot, screen, w["appointment"])
    await pilot.press("a")


async def mark_no_show(pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]) -> None:
    await _pick_appointment(pilot, screen, w["appointment"])
    await pilot.press("n")


async def add_to_waitlist(pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]) -> None:
    await _module(pilot, "f5")
    await open_dialog(pilot, "l")
    await fill(pilot, w["patient"])
    await fill(pilot, w["type"])
    await fill(pilot, w.get("practitioner"))
    await fill(pilot, w.get("note"))


async def add_absence(pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]) -> None:
    await _module(pilot, "f5")
    await open_dialog(pilot, "b")
    await fill(pilot, w["practitioner"])
    await fill(pilot, _moment(w["from"]))
    await fill(pilot, _moment(w["to"]))
    await fill(pilot, w["reason"])


async def schedule_meeting(pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]) -> None:
    await _module(pilot, "f5")
    await open_dialog(pilot, "e")
    await fill(pilot, w["title"])
    practitioners = {p.key for p in rm.practitioners(_db(screen))}
    chosen = [p for p in w["participants"] if p in practitioners]
    others = [p for p in w["participants"] if p not in practitioners]
    await _set_selection(pilot, screen.app, "participants", chosen)  # type: ignore[arg-type]
    await fill(pilot, ", ".join(others) or None)
    await fill(pilot, _moment(w["start"]))
    await fill(pilot, str(w["minutes"]))
    await fill(pilot, w.get("room"))


# ------------------------------------------------------------------ messages, letters


async def send_message(pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]) -> None:
    await _module(pilot, "f8")
    await open_dialog(pilot, "n")
    await fill(pilot, w["to"])
    await fill(pilot, w.get("patient"))
    await fill(pilot, w["subject"])
    if w.get("body"):
        await type_text(pilot, w["body"])
    await pilot.press("ctrl+s")


async def write_letter(pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]) -> None:
    assert not w.get("fields"), "edited fields are not driven yet"
    await _module(pilot, "f8")
    await open_dialog(pilot, "l")
    await fill(pilot, w["template"])
    await fill(pilot, w["to"])
    await fill(pilot, w.get("patient"))
    await pilot.press("ctrl+s")


async def send_letter(pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]) -> None:
    await _module(pilot, "f8")
    options = screen.query_one("#messages-list", OptionList)
    options.focus()
    await _select_option(pilot, options, f"letter-{w['letter']}")
    await pilot.press("e")


# ------------------------------------------------------------------------- admission


async def _pick_admission(pilot: Pilot[Any], screen: WorkspaceScreen, key: str) -> None:
    await _module(pilot, "f6")
    options = screen.query_one("#admission-list", OptionList)
    options.focus()
    await _select_option(pilot, options, key)


async def open_admission(pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]) -> None:
    await _module(pilot, "f6")
    await open_dialog(pilot, "n")
    await fill(pilot, w["patient"])
    await fill(pilot, w["kind"])
    await fill(pilot, _day(w["date"]))
    await fill(pilot, w.get("practitioner"))
    await fill(pilot, w.get("service"))


async def record_admission_document(
    pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]
) -> None:
    await _pick_admission(pilot, screen, w["admission"])
    await open_dialog(pilot, "d")
    await fill(pilot, w["kind"])
    await fill(pilot, w.get("holder", "patient"))  # whose: patient or accompagnant


async def set_contact_person(pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]) -> None:
    await _module(pilot, "f6")
    await open_dialog(pilot, "c" if w["role"] == "confiance" else "p")
    await fill(pilot, w["name"])
    await fill(pilot, w["phone"])
    await fill(pilot, w["relationship"])


async def close_admission(pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]) -> None:
    await _pick_admission(pilot, screen, w["admission"])
    await open_dialog(pilot, "f")
    await idle(pilot)
    await pilot.press("ctrl+s")


# ---------------------------------------------------------------------------- access


async def _pick_request(pilot: Pilot[Any], screen: WorkspaceScreen, key: str) -> None:
    await _module(pilot, "f7")
    options = screen.query_one("#access-list", OptionList)
    options.focus()
    await _select_option(pilot, options, key)


async def register_access_request(
    pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]
) -> None:
    requester = w["requester"]
    await _module(pilot, "f7")
    await open_dialog(pilot, "n")
    await fill(pilot, w["patient"])
    await until(pilot, lambda: screen.app.screen.id == "access-form", "no request form")
    await pilot.pause()
    await fill(pilot, requester["kind"])
    await fill(pilot, requester["name"])
    await fill(pilot, requester.get("relationship"))
    heirs = ("ayant_droit", "concubin", "partenaire_pacs")
    if requester["kind"] == "medecin":  # for whom the doctor acts, then maybe a motive
        await fill(pilot, requester.get("on_behalf_of"))
    acting_for = requester.get("on_behalf_of")
    if requester["kind"] in heirs or (
        requester["kind"] == "medecin" and (not acting_for or acting_for in heirs)
    ):
        await fill(pilot, requester.get("motive"))
    await fill(pilot, w["channel"])
    await fill(pilot, _day(w["received_on"]))
    items = ["all"] if w["items"] == "all" else list(w["items"])
    await _set_selection(pilot, screen.app, "items", items)  # type: ignore[arg-type]
    await fill(pilot, w["delivery"])


async def record_request_document(
    pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]
) -> None:
    await _pick_request(pilot, screen, w["request"])
    await open_dialog(pilot, "r")
    await fill(pilot, w["kind"])


async def request_missing_documents(
    pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]
) -> None:
    await _pick_request(pilot, screen, w["request"])
    await open_dialog(pilot, "m")
    await _set_selection(pilot, screen.app, "kinds", list(w["kinds"]))  # type: ignore[arg-type]
    await pilot.press("ctrl+s")
    await idle(pilot)
    await pilot.press("escape")  # the letter is not in this solution


async def mark_request_complete(
    pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]
) -> None:
    await _pick_request(pilot, screen, w["request"])
    await open_dialog(pilot, "c")
    await fill(pilot, _day(w["on"]))


async def prepare_communication(
    pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]
) -> None:
    await _pick_request(pilot, screen, w["request"])
    await open_dialog(pilot, "p")
    items = ["all"] if w["items"] == "all" else list(w["items"])
    await _set_selection(pilot, screen.app, "items", items)  # type: ignore[arg-type]
    await pilot.press("ctrl+s")


async def send_communication(pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]) -> None:
    await _pick_request(pilot, screen, w["request"])
    await open_dialog(pilot, "e")
    await fill(pilot, _day(w["on"]))
    await fill(pilot, w["mode"])


async def refuse_access_request(
    pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]
) -> None:
    await _pick_request(pilot, screen, w["request"])
    await open_dialog(pilot, "x")
    await fill(pilot, w["motive"])


async def close_access_request(
    pilot: Pilot[Any], screen: WorkspaceScreen, w: dict[str, Any]
) -> None:
    await _pick_request(pilot, screen, w["request"])
    await open_dialog(pilot, "l")
    await idle(pilot)
    await pilot.press("ctrl+s")


DRIVERS: Mapping[str, Driver] = {
    driver.__name__: driver
    for driver in (
        find_slots,
        book_appointment,
        move_appointment,
        cancel_appointment,
        mark_arrived,
        mark_no_show,
        add_to_waitlist,
        add_absence,
        schedule_meeting,
        send_message,
        write_letter,
        send_letter,
        open_admission,
        record_admission_document,
        set_contact_person,
        close_admission,
        register_access_request,
        record_request_document,
        request_missing_documents,
        mark_request_complete,
        prepare_communication,
        send_communication,
        refuse_access_request,
        close_access_request,
    )
}


def test_every_planning_action_has_a_keystroke_driver() -> None:
    assert set(DRIVERS) == PLANNING_ACTIONS


# ---------------------------------------------------------------------------- replay


async def _replay(
    pilot: Pilot[Any],
    screen: WorkspaceScreen,
    records: list[dict[str, Any]],
) -> list[str]:
    """Type ``records``; returns the actions performed through the session instead."""
    session = screen.session
    others = KeyDriver(pilot)
    untyped: list[str] = []
    reasons: list[str] = []
    for record in records:
        moment = datetime.fromisoformat(str(record["t"]))
        before = len([r for r in session.run.records if r["kind"] == "action"])
        driver = DRIVERS.get(str(record["do"]))
        typed = True
        if driver is not None:
            if moment > session.now:
                session.advance(moment - session.now)
            await driver(pilot, screen, dict(record["with"]))
        elif record["do"] in OTHER_DRIVEN:
            try:
                await others.play(record)
            except DriverError as error:
                typed = False
                reasons.append(f"{record['do']}: {error}")
        else:
            typed = False
        if not typed:  # as its module would: through the session
            if moment > session.now:
                session.advance(moment - session.now)
            action = {"do": record["do"], "with": record["with"]}
            if record.get("as"):
                action["as"] = record["as"]
            screen.post_message(ActionPerformed(session.perform(action)))
            untyped.append(str(record["do"]))
        await until(
            pilot,
            lambda count=before: (
                len([r for r in session.run.records if r["kind"] == "action"]) > count
                and screen.app.screen is screen
            ),
            f"{record['do']} not logged",
        )
        await idle(pilot)
        done = [r for r in session.run.records if r["kind"] == "action"]
        assert len(done) == before + 1, (record["do"], [r["do"] for r in done[before:]])
        assert (done[-1]["do"], done[-1]["with"]) == (record["do"], record["with"])
        assert done[-1]["result"]["ok"] == record["result"]["ok"], done[-1]["result"]
    assert not reasons, "not typed: " + "; ".join(reasons)
    return untyped


@pytest.mark.parametrize("name", _shipped_with_planning())
def test_reference_solution_typed_in_the_tui(
    name: str, build_app: Callable[..., SimsecApp], tmp_path: Path, world_cache: WorldCache
) -> None:
    records, percent, db_hash = _headless(name, world_cache)

    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, name)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            untyped = await _replay(pilot, screen, records)
            await pilot.press("f10", "enter")  # end of the run, confirmed: scored
            await wait_for_screen(pilot, DebriefScreen)
            report = screen.session.report
            assert report is not None
            assert float(report.percent) == percent
            assert screen.session.run.final_hash == db_hash
            # every action of the reference was typed, none performed behind the UI
            assert untyped == []

    run_async(scenario())
