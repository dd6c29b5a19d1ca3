"""The home: trainee name, scenario list with a filter, free practice, language."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable

from textual.widgets import DataTable
from ui_support import SIZE, settle, wait_for_screen

from simsec.ui.app import SimsecApp
from simsec.ui.context import RestartRequest
from simsec.ui.screens.home import HomeScreen
from simsec.ui.screens.workspace import WorkspaceScreen


def _titles(table: DataTable[object]) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def test_scenario_list_shows_title_competences_difficulty_duration(
    build_app: Callable[..., SimsecApp],
) -> None:
    async def scenario() -> None:
        app = build_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#home-scenarios", DataTable)
            rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
            assert rows[0] == [
                "Accueil : une patiente, un appel, un message",
                "★★☆☆☆",
                "30 min",
                "guidé",
                "SAMA.1.1, SAMA.1.3",
            ]
            assert rows[1][1:4] == ["★★★★☆", "1 h 30", "réaliste"]
            assert (rows[2][0], rows[2][4]) == ("casse.yaml", "(invalide)")

    asyncio.run(scenario())


def test_filter_narrows_the_list(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario() -> None:
        app = build_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+f", *"sams.2")
            await pilot.pause()
            table = app.screen.query_one("#home-scenarios", DataTable)
            assert _titles(table) == ["Un appel en mode réaliste"]
            await pilot.press(*"xyz")
            await pilot.pause()
            assert table.row_count == 0

    asyncio.run(scenario())


def test_a_name_is_needed_and_an_invalid_scenario_is_not_played(
    build_app: Callable[..., SimsecApp],
) -> None:
    async def scenario() -> None:
        app = build_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("tab", "tab", "enter")  # no name: stays on the home
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert app.screen.query_one("#home-trainee").has_focus
            await pilot.press(*"Emilie", "enter", "down", "down", "enter")  # the broken file
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)

    asyncio.run(scenario())


def test_free_practice_in_a_generated_world(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario() -> None:
        app = build_app(trainee="Emilie")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("f5")
            await pilot.pause()
            erase = ["end", *["backspace"] * 6]
            await pilot.press(*erase, *"7", "tab")  # the seed
            await pilot.press(*erase, *"20", "enter")  # 20 patients
            screen: WorkspaceScreen = await wait_for_screen(pilot, WorkspaceScreen)
            scenario = screen.session.scenario
            assert scenario.world.seed == 7 and scenario.world.population == 20
            assert not scenario.debrief and not scenario.people

    asyncio.run(scenario())


def test_language_choice_restarts_the_app_in_english(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario() -> None:
        app = build_app(trainee="Emilie")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("f7")
            await pilot.pause()
        assert app.return_value == RestartRequest("en", "Emilie")
        english = build_app(lang="en")
        assert english.context.lang == "en"

    asyncio.run(scenario())


def test_home_starts_without_the_engine_or_the_database() -> None:
    """A fast cold start: building the app and its home imports no sqlalchemy."""
    code = (
        "import sys\n"
        "from simsec.config import Settings\n"
        "from simsec.ui.factory import make_app\n"
        "from simsec.ui.screens.home import HomeScreen\n"
        "make_app(Settings())\n"
        "print(sorted(m for m in ('sqlalchemy', 'simsec.scenario.run', 'simsec.actions.engine')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_name_and_filter_fields_are_visible_and_the_filter_ignores_accents(
    build_app: Callable[..., SimsecApp],
) -> None:
    """A zero-width input takes keys but shows nothing: in a real terminal the home
    looked frozen. Both fields must have room, and the filter folds accents and case."""

    async def scenario() -> None:
        app = build_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            for selector in ("#home-trainee", "#home-filter"):
                region = app.screen.query_one(selector).region
                assert region.width >= 20 and region.height == 3, (selector, region)
            await pilot.press("ctrl+f", *"REALISTE")
            await pilot.pause()
            table = app.screen.query_one("#home-scenarios", DataTable)
            assert _titles(table) == ["Un appel en mode réaliste"]

    asyncio.run(scenario())
