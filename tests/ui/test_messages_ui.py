"""Messages and letters with the keyboard (F8): inbox, outbox, letters from templates
filled from the record and edited before they are written, then sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
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
)
from textual.widgets import OptionList, Static
from ui_support import _CACHE, SIZE

from simsec.scenario.loader import load_scenario
from simsec.scenario.run import Run
from simsec.services import readmodels_planning as rm
from simsec.ui.app import SimsecApp
from simsec.ui.widgets.letter_editor import LetterEditor

__all__ = ["fast_keys"]

SCENARIO = "planning_absence_praticien"
ROOT = Path(__file__).resolve().parents[2]


def test_a_letter_preview_is_the_letter_write_letter_writes() -> None:
    loaded = load_scenario(ROOT / "scenarios" / f"{SCENARIO}.yaml")
    assert loaded.scenario is not None
    run = Run.start(loaded.scenario, sha256=loaded.sha256, cache=_CACHE)
    now = datetime(2026, 3, 9, 8, 0)
    preview = rm.letter_preview(
        run.db, now, "convocation", "M. ARNAUD", "p_arnaud", {"rdv_heure": "9 h pile"}
    )
    assert preview is not None and not preview.missing
    fields = {f.name: f for f in preview.fields}
    assert fields["rdv_heure"].from_record == "9 h" and fields["rdv_heure"].edited
    assert not fields["nom"].edited and fields["nom"].value == "ARNAUD"
    written = run.perform(
        {
            "do": "write_letter",
            "with": {
                "template": "convocation",
                "to": "M. ARNAUD",
                "patient": "p_arnaud",
                "fields": {"rdv_heure": "9 h pile"},
            },
        }
    )
    assert written.ok and written.result["body"] == preview.body
    assert written.result["subject"] == preview.subject
    # a patient without an appointment: nothing fills the date, the letter would be refused
    empty = rm.letter_preview(run.db, now, "convocation", "Mme X", "p_vendredi_1", {})
    assert empty is not None
    assert "rdv_date" not in empty.missing  # p_vendredi_1 has one on Friday
    nobody = rm.letter_preview(run.db, now, "convocation", "Mme X", None, {})
    assert nobody is not None and {"rdv_date", "rdv_heure", "praticien", "nom"} <= set(
        nobody.missing
    )
    assert rm.letter_preview(run.db, now, "no_such_template", "X", None) is None
    assert [t.key for t in rm.letter_templates()] == [
        "convocation",
        "accuse_reception",
        "demande_pieces_manquantes",
        "courrier_confrere",
    ]


def test_reply_to_the_inbox_and_the_outbox_lists_it(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            await pilot.press("f8")
            await idle(pilot)
            # the message of Dr Benoit is highlighted: the newest received
            await open_dialog(pilot, "r")
            await idle(pilot)
            await pilot.press("enter", "enter", "enter")  # to, patient, subject as proposed
            await type_text(pilot, "C'est noté, je m'en occupe.")
            await pilot.press("ctrl+s")
            await idle(pilot)
            assert actions(screen)[-1] == (
                "send_message",
                {
                    "to": "dr_benoit",
                    "subject": "Re : Formation jeudi et réunion de coordination",
                    "body": "C'est noté, je m'en occupe.",
                },
                True,
            )
            listed = screen.query_one("#messages-list", OptionList)
            ids = [listed.get_option_at_index(i).id for i in range(listed.option_count)]
            assert "in-0" in ids and "out-message#1" in ids
            assert screen.session.shell_state().unread_messages == 0

    run_async(scenario())


def test_a_letter_edited_before_it_is_written_then_sent(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            await pilot.press("f8")
            await idle(pilot)
            await open_dialog(pilot, "l")
            await fill(pilot, "convocation")
            await fill(pilot, "M. Michel ARNAUD")
            await fill(pilot, "p_arnaud")
            await idle(pilot)
            editor = app.screen
            assert isinstance(editor, LetterEditor)
            assert editor.preview is not None and "12 mars 2026" in editor.preview.body
            # the fields in order: structure, date, civilité, prénom, nom, rdv_date,
            # rdv_heure, praticien; change the doctor's name as the trainee would
            names = [f.name for f in editor.preview.fields]
            assert app.focused is editor.query_one(f"#letter-field-{names[0]}")
            await pilot.press(*["tab"] * names.index("praticien"))
            await fill(pilot, "le docteur Julien BENOIT, médecin généraliste", submit=False)
            await idle(pilot)
            assert "médecin généraliste" in editor.preview.body
            await pilot.press("ctrl+s")
            await idle(pilot)
            do, fields, ok = actions(screen)[-1]
            assert (do, ok) == ("write_letter", True)
            assert fields["fields"] == {
                "praticien": "le docteur Julien BENOIT, médecin généraliste"
            }
            await pilot.press("e")
            await idle(pilot)
            assert actions(screen)[-1] == (
                "send_letter",
                {"letter": screen.session.run.records[-2]["result"]["key"]},
                True,
            )
            sent = rm.letters(screen.session.run.db)[0]
            assert sent.status == "sent" and "médecin généraliste" in sent.body

    run_async(scenario())


def test_a_letter_that_cannot_be_filled_is_not_written(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            await pilot.press("f8")
            await idle(pilot)
            await open_dialog(pilot, "l")
            await fill(pilot, "convocation")
            await fill(pilot, "M. X")
            await fill(pilot, None)  # no patient: no appointment to convene to
            await pilot.press("ctrl+s")
            await idle(pilot)
            editor = app.screen
            assert isinstance(editor, LetterEditor)
            assert "Complétez" in str(editor.query_one("#letter-error", Static).render())
            assert actions(screen) == []

    run_async(scenario())
