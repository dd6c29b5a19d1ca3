"""Playing a scenario with the keyboard only: home → workspace → desk → debrief."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from textual.widgets import DataTable, Input, OptionList, Static
from ui_support import SCENARIO, SIZE, settle, wait_for_screen

from simsec.rules import mrz
from simsec.runlog.verify import verify_log
from simsec.ui.app import SimsecApp
from simsec.ui.screens.debrief import DebriefScreen
from simsec.ui.screens.home import HomeScreen
from simsec.ui.screens.workspace import WorkspaceScreen
from simsec.ui.widgets.document_card import DocumentCardView
from simsec.ui.widgets.topbar import TopBar


def _actions(app: SimsecApp) -> list[tuple[str, dict[str, Any], bool]]:
    screen = app.screen
    assert isinstance(screen, WorkspaceScreen)
    return [
        (r["do"], r["with"], r["result"]["ok"])
        for r in screen.session.run.records
        if r["kind"] == "action"
    ]


async def _open_first_scenario(pilot: Any) -> WorkspaceScreen:
    await settle(pilot)
    await pilot.press(*"Emilie", "enter", "enter")  # name, then Enter on the first scenario
    screen: WorkspaceScreen = await wait_for_screen(pilot, WorkspaceScreen)
    return screen


def test_desk_flow_with_keys_only(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario() -> None:
        app = build_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open_first_scenario(pilot)
            assert screen.session.run.info.trainee == "Emilie"
            await pilot.press("enter")  # attend the visitor at the head of the queue
            await pilot.press("enter")  # first question: birth name
            await pilot.press("ctrl+d", "enter")  # first document: the CNI
            await pilot.press("ctrl+s", *"Un instant.", "enter")
            await pilot.press("ctrl+t", "enter")  # first outcome: done
            await pilot.pause()
            assert _actions(app) == [
                ("attend", {"person": "v_dupont"}, True),
                ("ask", {"person": "v_dupont", "question": "birth_name"}, True),
                ("request_document", {"person": "v_dupont", "kind": "cni"}, True),
                ("say", {"person": "v_dupont", "text": "Un instant."}, True),
                ("end_interaction", {"person": "v_dupont", "outcome": "done"}, True),
            ]
            person = screen.session.journal.people["v_dupont"]
            texts = [line.text for line in person.lines]
            assert "DUPONT" in texts and "Un instant." in texts
            card = person.documents[0]
            assert card.kind == "cni" and len(card.mrz) == 3  # a TD1 card: 3 lines of 30
            result = mrz.verify("\n".join(card.mrz))
            assert not result.ok  # the scenario asks for a wrong check digit
            assert mrz.CheckField.COMPOSITE in result.bad_checks

    asyncio.run(scenario())


def test_card_is_shown_while_the_person_is_attended(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario() -> None:
        app = build_app()
        async with app.run_test(size=SIZE) as pilot:
            await _open_first_scenario(pilot)
            await pilot.press("enter", "ctrl+d", "enter")
            await pilot.pause()
            cards = app.screen.query(DocumentCardView)
            assert [c.id for c in cards] == ["card-cni_dupont"]

    asyncio.run(scenario())


def test_a_ringing_call_is_taken_first(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario() -> None:
        app = build_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open_first_scenario(pilot)
            screen.session.advance(timedelta(minutes=6))  # the call rings, Mr Smith arrives
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert _actions(app)[-1][:2] == ("attend", {"person": "c_pharmacien"})
            bar = screen.query_one(TopBar).query_one("#tb-queue", Static)
            assert "Tél. : 1" in str(bar.render())
            assert screen.session.shell_state().unread_messages == 0  # read on the desk

    asyncio.run(scenario())


def test_a_visitor_on_hold_is_come_back_to_from_the_queue(
    build_app: Callable[..., SimsecApp],
) -> None:
    """Mme Dupont at the counter, the phone rings: Ctrl+N takes the call and puts her on
    hold; Enter on her in the queue comes back to her without a new ``attend``, and what
    is said then is said to her."""

    async def scenario() -> None:
        app = build_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open_first_scenario(pilot)
            await pilot.press("enter")  # Mme Dupont
            screen.session.advance(timedelta(minutes=6))  # the call rings, Mr Smith arrives
            await pilot.press("ctrl+n")  # the call first
            await pilot.pause()
            journal = screen.session.journal
            assert journal.attending == "c_pharmacien" and journal.on_hold("v_dupont")
            queue = screen.query_one("#desk-queue", OptionList)
            lines = [str(queue.get_option_at_index(i).prompt) for i in range(queue.option_count)]
            held = [line for line in lines if "en attente de reprise" in line]
            assert len(held) == 1 and "08:45" in held[0]  # Mme Dupont, not yet named
            assert any("Pharmacie du Centre (en cours)" in line for line in lines)
            await pilot.press("ctrl+f", "home", "down", "enter")  # Mme Dupont, second in line
            await pilot.pause()
            assert journal.attending == "v_dupont"
            await pilot.press("ctrl+s", *"Je reviens vers vous.", "enter")
            await pilot.pause()
            assert [a[:2] for a in _actions(app)] == [
                ("attend", {"person": "v_dupont"}),
                ("attend", {"person": "c_pharmacien"}),
                ("say", {"person": "v_dupont", "text": "Je reviens vers vous."}),
            ]

    asyncio.run(scenario())


def test_ctrl_d_asks_for_a_document_even_from_the_say_input(
    build_app: Callable[..., SimsecApp],
) -> None:
    """Ctrl+D is "delete right" in an input: on the desk it must still open the document
    requests, so a trainee typing a sentence is not surprised."""

    async def scenario() -> None:
        app = build_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open_first_scenario(pilot)
            await pilot.press("enter", "ctrl+s", *"Bonjour", "home")
            await pilot.press("ctrl+d")
            await pilot.pause()
            assert app.focused is not None and app.focused.id == "desk-document-menu"
            assert screen.query_one("#desk-say", Input).value == "Bonjour"  # nothing deleted

    asyncio.run(scenario())


def test_command_palette_offers_the_screen_actions(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario() -> None:
        app = build_app()
        async with app.run_test(size=SIZE) as pilot:
            await _open_first_scenario(pilot)
            await pilot.press("ctrl+p", *"suivante")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
            assert _actions(app) == [("attend", {"person": "v_dupont"}, True)]

    asyncio.run(scenario())


def test_refused_action_changes_nothing_and_is_logged(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario() -> None:
        app = build_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open_first_scenario(pilot)
            await pilot.press("enter", "ctrl+s", " ", "enter")  # say nothing: refused by rules
            await pilot.pause()
            # the empty text is not sent: nothing but the attend
            assert [a[0] for a in _actions(app)] == ["attend"]
            feedback = screen.session.perform(
                {"do": "say", "with": {"person": "c_pharmacien", "text": "Allô"}}
            )
            assert not feedback.ok and feedback.code == "person_not_present"
            assert feedback.message and "n'est pas" in feedback.message

    asyncio.run(scenario())


def test_end_of_run_then_debrief_then_home(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario() -> None:
        app = build_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open_first_scenario(pilot)
            log = screen.session.log_path
            await pilot.press("enter", "ctrl+d", "enter")  # attend at once, ask for the CNI
            await pilot.press("f10", "enter")  # end the run, confirm
            debrief: DebriefScreen = await wait_for_screen(pilot, DebriefScreen)
            score = str(debrief.query_one("#debrief-score", Static).render())
            assert "3 / 3 points (100 %)" in score
            table = debrief.query_one("#debrief-criteria", DataTable)
            assert table.row_count == 3
            assert "à évaluer" in str(table.get_row_at(2)[2])  # the manual criterion
            # every column (result, points) is in view without scrolling sideways
            assert table.virtual_size.width <= table.scrollable_content_region.width
            feedback = str(debrief.query_one("#debrief-feedback", Static).render())
            assert "Accueil rapide : bien." in feedback
            await pilot.press("escape")
            await wait_for_screen(pilot, HomeScreen)
            assert log is not None
            report = verify_log(log)
            assert report.ok and report.records[-1].kind == "end"

    asyncio.run(scenario())


def test_run_without_debrief_goes_home(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario() -> None:
        app = build_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press(*"Emilie", "enter", "down", "enter")  # the realistic scenario
            screen: WorkspaceScreen = await wait_for_screen(pilot, WorkspaceScreen)
            assert not screen.session.guided
            assert "Réaliste" in str(screen.query_one("#tb-mode", Static).render())
            await pilot.press("f10", "enter")
            await wait_for_screen(pilot, HomeScreen)

    asyncio.run(scenario())


def test_time_up_ends_the_run(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario() -> None:
        app = build_app(speed=3600.0, tick_seconds=0.05)  # an hour per real second
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press(*"Emilie", "enter", "enter")
            debrief: DebriefScreen = await wait_for_screen(pilot, DebriefScreen)
            assert debrief.report.scenario == "ui_accueil"

    asyncio.run(scenario())


def test_play_command_opens_the_run_then_ends_on_the_home(
    build_app: Callable[..., SimsecApp],
) -> None:
    """``simsec play SCENARIO --trainee NAME``: straight into the run."""

    async def scenario() -> None:
        app = build_app(scenario=SCENARIO, trainee="Emilie")
        async with app.run_test(size=SIZE) as pilot:
            screen: WorkspaceScreen = await wait_for_screen(pilot, WorkspaceScreen)
            assert screen.session.run.info.trainee == "Emilie"
            await pilot.press("f10", "enter")
            await wait_for_screen(pilot, DebriefScreen)
            await pilot.press("escape")
            await wait_for_screen(pilot, HomeScreen)

    asyncio.run(scenario())
