"""Access to the medical record with the keyboard (F7): the request list by deadline, the
requester's right, the proofs, the deadlines, the third-party items, and the read model."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planning_support import actions, fast_keys, idle, open_dialog, planning_app, run_async, start
from rich.console import Console
from textual.widgets import OptionList
from ui_support import _CACHE, SIZE

from simsec.scenario.loader import load_scenario
from simsec.scenario.run import Run
from simsec.services import readmodels_planning as rm
from simsec.ui.app import SimsecApp
from simsec.ui.messages import ActionPerformed
from simsec.ui.screens.access import AccessModule
from simsec.ui.screens.workspace import WorkspaceScreen
from simsec.ui.widgets.deadlines import render_deadlines
from simsec.ui.widgets.form_dialog import FormDialog
from simsec.ui.widgets.letter_editor import LetterEditor

__all__ = ["fast_keys"]

SCENARIO = "acces_dossier_ayant_droit"
ROOT = Path(__file__).resolve().parents[2]
RECEIVED = date(2026, 2, 17)


def _run() -> Run:
    loaded = load_scenario(ROOT / "scenarios" / f"{SCENARIO}.yaml")
    assert loaded.scenario is not None
    return Run.start(loaded.scenario, sha256=loaded.sha256, cache=_CACHE)


def _request(kind: str = "ayant_droit", items: Any = "all", **requester: Any) -> dict[str, Any]:
    return {
        "do": "register_access_request",
        "with": {
            "patient": "p_lemaire",
            "requester": {"kind": kind, "name": "Isabelle MARCHAND", **requester},
            "received_on": RECEIVED.isoformat(),
            "channel": "guichet",
            "items": items,
            "delivery": "envoi_postal",
        },
    }


def _plain(renderable: Any) -> str:
    console = Console(width=100, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


# ------------------------------------------------------------------------ read model


def test_requests_are_listed_by_deadline_and_late_ones_flagged() -> None:
    run = _run()
    late = run.perform(_request(relationship="fille", motive="causes_deces")).result["key"]
    for kind in ("demande_ecrite", "cni", "acte_deces", "acte_notoriete"):
        run.perform({"do": "record_request_document", "with": {"request": late, "kind": kind}})
    run.perform({"do": "mark_request_complete", "with": {"request": late, "on": "2026-02-17"}})
    waiting = run.perform(_request(relationship="fils", motive="faire_valoir_droits")).result["key"]
    listed = rm.access_requests(run.db, RECEIVED)
    assert [r.key for r in listed] == [late, waiting]  # a due date first, then none yet
    assert listed[0].days_left == 8 and not listed[0].overdue
    assert listed[1].due_on is None and listed[1].status == "incomplete"
    later = rm.access_requests(run.db, date(2026, 3, 1))[0]
    assert later.key == late and later.overdue and later.days_left == -4
    detail = rm.access_request_detail(run.db, late, datetime(2026, 3, 1, 9, 0))
    assert detail is not None and detail.deadlines.overdue
    text = _plain(render_deadlines(detail.deadlines))
    assert "EN RETARD de 4 jours" in text


def test_the_right_the_proofs_and_the_third_party_items_are_explained() -> None:
    run = _run()
    key = run.perform(_request(relationship="fille")).result["key"]  # no motive stated
    detail = rm.access_request_detail(run.db, key, datetime(2026, 2, 17, 14, 0))
    assert detail is not None
    assert detail.decision == "incomplete" and detail.limited_to_motive
    assert any("motif" in reason for reason in detail.reasons)
    proofs = {p.proof: p.satisfied for p in detail.proofs}
    assert proofs == {
        "demande_ecrite": False,
        "identite": False,
        "acte_deces": False,
        "qualite_ayant_droit": False,
        "motif": False,
    }
    items = {line.item.key: line for line in detail.items}
    assert all(line.requested for line in items.values())  # "all"
    assert items["courrier_voisine"].withheld_reason is not None
    assert "tiers" in items["courrier_voisine"].withheld_reason
    assert items["cr_hospit_2026"].withheld_reason is None
    # not complete: the dates are those it would have if completed today, and said so
    assert detail.deadlines.projected and detail.deadlines.due_on == date(2026, 2, 25)
    assert "ne court pas encore" in _plain(render_deadlines(detail.deadlines))


def test_old_information_gives_two_months_and_a_living_patients_parent_is_refused() -> None:
    run = _run()
    old = run.perform(_request(items=["cs_cardio_2019"], motive="causes_deces")).result["key"]
    detail = rm.access_request_detail(run.db, old, datetime(2026, 2, 17, 14, 0))
    assert detail is not None
    assert detail.deadlines.long and detail.deadlines.due_on == date(2026, 4, 17)
    refused = run.perform(_request(kind="parent")).result["key"]
    detail = rm.access_request_detail(run.db, refused, datetime(2026, 2, 17, 14, 0))
    assert detail is not None and detail.decision == "refused"
    assert detail.reasons and "majeur" in detail.reasons[0]
    assert detail.deadlines.due_on is None  # a request to refuse has no deadline to show


# ------------------------------------------------------------------------------ keys


def _perform(screen: WorkspaceScreen, action: dict[str, Any]) -> str:
    feedback = screen.session.perform(action)
    screen.post_message(ActionPerformed(feedback))
    assert feedback.ok, feedback.message
    return str(feedback.result.get("key", ""))


def test_missing_proofs_are_asked_for_with_a_letter_filled_from_the_record(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            key = _perform(screen, _request(relationship="fille", motive="causes_deces"))
            await pilot.press("f7")
            await idle(pilot)
            module = screen.query_one(AccessModule)
            assert module.detail is not None and module.detail.summary.key == key
            await open_dialog(pilot, "m")  # one document kind ticked for each missing proof
            await idle(pilot)
            await pilot.press("ctrl+s")
            await idle(pilot)
            asked = actions(screen)[-1]
            assert asked[0] == "request_missing_documents" and asked[2]
            assert asked[1]["kinds"] == ["demande_ecrite", "cni", "acte_deces", "acte_notoriete"]
            editor = app.screen
            assert isinstance(editor, LetterEditor)  # then the letter, ready
            assert editor.template == "demande_pieces_manquantes"
            assert editor.preview is not None and not editor.preview.missing
            assert "acte de décès" in editor.preview.body
            await pilot.press("ctrl+s")
            await idle(pilot)
            written = actions(screen)[-1]
            assert written == (
                "write_letter",
                {
                    "template": "demande_pieces_manquantes",
                    "to": "Isabelle MARCHAND",
                    "patient": "p_lemaire",
                },
                True,
            )
            await pilot.press("f8")  # messages: the draft, sent with E
            await idle(pilot)
            letters = screen.query_one("#messages-list", OptionList)
            letters.focus()
            await pilot.press("end")
            await idle(pilot)
            await pilot.press("e")
            await idle(pilot)
            assert actions(screen)[-1][0] == "send_letter" and actions(screen)[-1][2]

    run_async(scenario())


def test_a_request_to_refuse_is_refused_with_its_motive_then_closed(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            key = _perform(screen, _request(kind="patient"))  # the patient is dead
            await pilot.press("f7")
            await idle(pilot)
            module = screen.query_one(AccessModule)
            assert module.detail is not None and module.detail.decision == "refused"
            await open_dialog(pilot, "c")  # completing it is refused, with the rules' reason
            await pilot.press("enter")
            await idle(pilot)
            assert isinstance(app.screen, FormDialog)
            assert not actions(screen)[-1][2]
            await pilot.press("escape")
            await open_dialog(pilot, "x")  # the motive proposed is the rules' reason
            await idle(pilot)
            await pilot.press("ctrl+s")
            await idle(pilot)
            refused = actions(screen)[-1]
            assert refused[0] == "refuse_access_request" and refused[2]
            assert "décédé" in refused[1]["motive"]
            await pilot.press("l", "ctrl+s")
            await idle(pilot)
            assert actions(screen)[-1] == ("close_access_request", {"request": key}, True)
            assert module.detail is not None and module.detail.summary.status == "cloturee"

    run_async(scenario())
