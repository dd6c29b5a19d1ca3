"""Editing and discarding drafted letters with the keyboard (F8, messages): a
convocation written from its template (filled from the record, changed before it is
written), edited (M), sent (E); another written then discarded (X / Suppr, confirmed).
A sent or discarded letter cannot be edited."""

from __future__ import annotations

import io
from collections.abc import Callable
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
    type_text,
    until,
)
from rich.console import Console
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static, TextArea
from ui_support import SIZE

from simsec.services import readmodels_planning as rm
from simsec.ui.app import SimsecApp
from simsec.ui.screens.dialogs import ConfirmDialog
from simsec.ui.screens.workspace import WorkspaceScreen
from simsec.ui.widgets.form_dialog import FormDialog
from simsec.ui.widgets.letter_editor import LetterEditor

__all__ = ["fast_keys"]

SCENARIO = "planning_absence_praticien"
PS = "PS : merci d'apporter votre ordonnance."


def _notices(app: SimsecApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _text(widget: Static) -> str:
    """What a Static shows, as plain text."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def _body(screen: WorkspaceScreen) -> str:
    return _text(screen.query_one("#messages-body", Static))


def _highlighted(screen: WorkspaceScreen) -> str | None:
    options = screen.query_one("#messages-list", OptionList)
    assert options.highlighted is not None
    return options.get_option_at_index(options.highlighted).id


async def _write_convocation(
    pilot: Pilot[Any], screen: WorkspaceScreen, to: str, heure: str | None = None
) -> str:
    """``l``, the convocation of M. Arnaud filled from the record, Ctrl+S; its key."""
    await open_dialog(pilot, "l")
    await fill(pilot, "convocation")
    await fill(pilot, to)
    await fill(pilot, "p_arnaud")
    await idle(pilot)
    editor = pilot.app.screen
    assert isinstance(editor, LetterEditor)
    preview = editor.preview
    assert preview is not None and not preview.missing
    # the text filled from the record, shown before anything is written
    assert "Nous vous confirmons votre rendez-vous le 12 mars 2026" in preview.body
    assert "Monsieur Michel ARNAUD" in preview.body
    if heure is not None:  # a placeholder changed before the letter is written
        names = [f.name for f in preview.fields]
        await pilot.press(*["tab"] * names.index("rdv_heure"))
        await fill(pilot, heure, submit=False)
        await idle(pilot)
        assert f"à {heure} avec" in (editor.preview.body if editor.preview else "")
    count = len(actions(screen))
    await pilot.press("ctrl+s")
    await until(pilot, lambda: len(actions(screen)) > count, "write_letter not logged")
    await idle(pilot)
    do, _fields, ok = actions(screen)[-1]
    assert (do, ok) == ("write_letter", True)
    key = str(screen.session.run.records[-1]["result"]["key"])
    assert _highlighted(screen) == f"letter-{key}"
    return key


def test_write_edit_send_then_write_and_discard(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            await pilot.press("f8")
            await idle(pilot)
            key = await _write_convocation(pilot, screen, "M. Michel ARNAUD", "9 h 15")
            written = rm.letters(screen.session.run.db)[0]
            assert "à 9 h 15 avec" in written.body and written.status == "draft"
            assert "M pour le modifier" in _body(screen)

            # M: the draft, pre-filled with its current text
            await open_dialog(pilot, "m")
            form = app.screen
            assert isinstance(form, FormDialog) and form.id == "letter-edit-form"
            assert form.query_one("#field-to", Input).value == "M. Michel ARNAUD"
            assert form.query_one("#field-subject", Input).value == written.subject
            assert form.query_one("#field-body", TextArea).text == written.body
            assert app.focused is form.query_one("#field-to", Input)
            # nothing changed yet: Ctrl+S says so and does nothing
            count = len(actions(screen))
            await pilot.press("ctrl+s")
            await idle(pilot)
            assert app.screen is form and len(actions(screen)) == count
            assert "Rien n'a changé" in _text(form.query_one("#form-error", Static))
            # Enter: to the subject, changed; Enter: to the text, a postscript added
            await pilot.press("enter")
            await fill(pilot, "Votre rendez-vous du 12 mars 2026 (horaire modifié)")
            body_box: object = form.query_one("#field-body", TextArea)
            assert pilot.app.focused is body_box
            await pilot.press(*["pagedown"] * 6, "end", "enter")
            await type_text(pilot, PS)
            await pilot.press("ctrl+s")
            await until(pilot, lambda: not isinstance(app.screen, ModalScreen), "form open")
            await idle(pilot)
            do, fields, ok = actions(screen)[-1]
            assert (do, ok) == ("edit_letter", True)
            assert fields == {
                "letter": key,
                "fields": {
                    "subject": "Votre rendez-vous du 12 mars 2026 (horaire modifié)",
                    "body": written.body + "\n" + PS,
                },
            }
            assert _highlighted(screen) == f"letter-{key}"
            assert PS in _body(screen)

            # E: sent, with the edited text
            await pilot.press("e")
            await idle(pilot)
            assert actions(screen)[-1] == ("send_letter", {"letter": key}, True)
            sent = rm.letters(screen.session.run.db)[0]
            assert sent.key == key and sent.status == "sent"
            assert sent.body == written.body + "\n" + PS
            assert sent.subject == "Votre rendez-vous du 12 mars 2026 (horaire modifié)"
            assert "il ne peut plus être modifié" in _body(screen)
            # a sent letter cannot be edited nor discarded: said, nothing opened or done
            count = len(actions(screen))
            await pilot.press("m")
            await idle(pilot)
            await pilot.press("x")
            await idle(pilot)
            assert not isinstance(app.screen, ModalScreen)
            assert len(actions(screen)) == count
            locked = f"Le courrier {key} a été envoyé : il ne peut plus être modifié."
            assert _notices(app).count(locked) == 2

            # another convocation, discarded: Escape keeps it, Suppr then Enter discards
            other = await _write_convocation(pilot, screen, "M. ARNAUD")
            assert other != key
            await open_dialog(pilot, "x")
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("escape")
            await idle(pilot)
            assert actions(screen)[-1][0] == "write_letter"
            await open_dialog(pilot, "delete")
            dialog = app.screen
            assert isinstance(dialog, ConfirmDialog) and other in dialog.question
            await pilot.press("enter")
            await until(pilot, lambda: actions(screen)[-1][0] == "discard_letter", "no discard")
            await idle(pilot)
            assert actions(screen)[-1] == ("discard_letter", {"letter": other}, True)
            listed = screen.query_one("#messages-list", OptionList)
            assert _highlighted(screen) == f"letter-{other}"
            line = listed.get_option_at_index(listed.highlighted or 0).prompt
            assert "[abandonné]" in str(line)
            assert "ne peut plus être modifié ni envoyé" in _body(screen)
            # a discarded draft is neither sent nor edited
            count = len(actions(screen))
            for key_name in ("e", "m", "x"):
                await pilot.press(key_name)
                await idle(pilot)
            assert not isinstance(app.screen, ModalScreen)
            assert len(actions(screen)) == count
            letters = {letter.key: letter for letter in rm.letters(screen.session.run.db)}
            assert letters[other].status == "dropped"
            assert letters[key].status == "sent" and PS in letters[key].body

    run_async(scenario())


def test_the_edit_form_refuses_an_empty_text_and_changes_the_recipient(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, SCENARIO)
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            await pilot.press("f8")
            await idle(pilot)
            key = await _write_convocation(pilot, screen, "M. ARNAUD")
            before = rm.letters(screen.session.run.db)[0]
            await open_dialog(pilot, "m")
            form = app.screen
            assert isinstance(form, FormDialog)
            await pilot.press("tab", "tab", "f7", "backspace")  # the text, all erased
            await pilot.press("ctrl+s")
            await idle(pilot)
            assert app.screen is form
            assert "obligatoire" in _text(form.query_one("#form-error", Static))
            assert actions(screen)[-1][0] == "write_letter"
            await pilot.press("escape")
            await idle(pilot)
            assert rm.letters(screen.session.run.db)[0] == before
            # the recipient alone
            await open_dialog(pilot, "m")
            await fill(pilot, "M. Michel ARNAUD, 3 rue des Lilas, 37000 Tours", submit=False)
            await pilot.press("ctrl+s")
            await until(pilot, lambda: not isinstance(app.screen, ModalScreen), "form open")
            assert actions(screen)[-1] == (
                "edit_letter",
                {"letter": key, "to": "M. Michel ARNAUD, 3 rue des Lilas, 37000 Tours"},
                True,
            )
            after = rm.letters(screen.session.run.db)[0]
            assert after.to == "M. Michel ARNAUD, 3 rue des Lilas, 37000 Tours"
            assert after.body == before.body and after.status == "draft"

    run_async(scenario())
