"""The patients and identitovigilance module, driven with the keyboard (F3).

Each test builds its own app on ``data_identity/identite.yaml``: Mme Dupont (record
provisoire, MARIE CLAIRE) at the desk with her CNI, her carte Vitale and her mutuelle
card; a close homonym DUPOND MARIE born the same day; INSi knows her as MARIE-CLAIRE
born in Lyon (a difference it cannot accept).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from identity_driver import (
    IDENTITY_MODULES,
    IDENTITY_SCENARIO,
    KeyDriver,
    actions_of,
    rendered,
    views_of,
)
from textual.widgets import Static
from ui_support import SIZE, wait_for_screen

from simsec.ui.app import SimsecApp
from simsec.ui.screens.patients import PatientsModule, focused_patient
from simsec.ui.screens.workspace import WorkspaceScreen
from simsec.ui.widgets.document_check import DocumentCheckPanel
from simsec.ui.widgets.insi_panel import InsiPanel
from simsec.ui.widgets.search_results import SearchResults

Scenario = Callable[[KeyDriver, WorkspaceScreen], Awaitable[None]]


def play(build_app: Callable[..., SimsecApp], scenario: Scenario) -> None:
    """Open the test scenario, take Mme Dupont in charge at the desk (her documents are
    handed over on arrival), show the patients module, then run ``scenario``."""

    async def run() -> None:
        app = build_app(scenario=IDENTITY_SCENARIO, trainee="clavier", modules=IDENTITY_MODULES)
        async with app.run_test(size=SIZE) as pilot:
            workspace: WorkspaceScreen = await wait_for_screen(pilot, WorkspaceScreen)
            driver = KeyDriver(pilot)
            await driver.send("enter")  # attend the visitor at the head of the queue
            await driver.send("f3")
            await scenario(driver, workspace)

    asyncio.run(run())


async def search(driver: KeyDriver, **values: str) -> None:
    await driver.module("f3")
    await driver._search_inputs(values)


def module(workspace: WorkspaceScreen) -> PatientsModule:
    return workspace.query_one(PatientsModule)


def test_results_appear_as_one_types_and_enter_records_the_search(
    build_app: Callable[..., SimsecApp],
) -> None:
    async def scenario(driver: KeyDriver, workspace: WorkspaceScreen) -> None:
        await search(driver, birth_date="12/04/1985")
        patients = module(workspace)
        assert set(patients.records_shown) >= {"p_dupont", "p_dupond"}
        assert [a[0] for a in actions_of(driver.app)] == ["attend"]  # a preview is not logged
        status = rendered(workspace.query_one("#pat-search-status"))
        assert "Aperçu" in status
        await driver.send("enter")
        assert actions_of(driver.app)[-1] == ("search_patients", {"birth_date": "1985-04-12"}, True)
        assert "Recherche enregistrée" in rendered(workspace.query_one("#pat-search-status"))
        # the qualified status and the exact traits are in the rows
        assert workspace.query_one(SearchResults).row_count == len(patients.records_shown)

    play(build_app, scenario)


def test_a_name_typed_wrong_still_finds_the_record(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario(driver: KeyDriver, workspace: WorkspaceScreen) -> None:
        await search(driver, birth_name="DUPOMT", birth_date="12/04/1985")
        hits = module(workspace).hits
        assert hits[0].key in ("p_dupont", "p_dupond")
        first = next(h for h in hits if h.key == "p_dupont")
        kind = first.match("birth_name")
        assert kind is not None and kind.value in ("typo", "phonetic", "close")

    play(build_app, scenario)


def test_opening_a_result_records_the_search_shown_and_a_view(
    build_app: Callable[..., SimsecApp],
) -> None:
    async def scenario(driver: KeyDriver, workspace: WorkspaceScreen) -> None:
        await search(driver, birth_name="DUP", birth_date="12/04/1985")
        await driver.open_patient("p_dupont")
        assert actions_of(driver.app)[1:] == [
            ("search_patients", {"birth_name": "DUP", "birth_date": "1985-04-12"}, True)
        ]
        assert views_of(driver.app) == [("patient", "p_dupont")]
        assert focused_patient(workspace.session) == "p_dupont"
        sheet = rendered(workspace.query_one("#pat-sheet"))
        assert "MARIE CLAIRE" in sheet and "12/04/1985" in sheet and "INS non récupéré" in sheet
        title = rendered(workspace.query_one("#pat-record-title"))
        assert "Identité provisoire" in title

    play(build_app, scenario)


def test_creation_shows_the_input_rules_and_creates_a_provisional_identity(
    build_app: Callable[..., SimsecApp],
) -> None:
    async def scenario(driver: KeyDriver, workspace: WorkspaceScreen) -> None:
        await search(driver, birth_date="03/02/1990")  # nobody: then create
        await driver.send("enter")
        await driver.send("ctrl+b")
        await driver.type("Lefèvre")
        await driver.send("tab", "tab")
        await driver.type("Éloïse Anne-Marie")
        rules = rendered(workspace.query_one("#identity-form-rules", Static))
        assert "« LEFEVRE »" in rules and "« ELOISE ANNE-MARIE »" in rules
        assert "Trait obligatoire manquant : sexe" in rules
        await driver.send("ctrl+s")  # refused by the form: sex missing
        assert [a[0] for a in actions_of(driver.app)] == ["attend", "search_patients"]
        await driver.send("tab", "tab", "tab")  # used first name, birth date, sex
        await driver.type("f")
        await driver.send("tab")
        await driver.type("99350")
        await driver.send("ctrl+s")
        do, fields, ok = actions_of(driver.app)[-1]
        assert (do, ok) == ("create_patient", True)
        assert fields == {
            "birth_name": "Lefèvre",
            "first_names": ["Éloïse", "Anne-Marie"],
            "birth_date": "1990-02-03",
            "sex": "F",
            "birth_place": "99350",
        }
        key = focused_patient(workspace.session)
        assert key is not None and key.startswith("patient#")
        title = rendered(workspace.query_one("#pat-record-title"))
        assert "LEFEVRE ELOISE ANNE-MARIE" in title and "Identité provisoire" in title

    play(build_app, scenario)


def test_an_update_sends_only_what_changed(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario(driver: KeyDriver, workspace: WorkspaceScreen) -> None:
        await search(driver, birth_date="12/04/1985")
        await driver.send("enter")
        await driver.open_patient("p_dupont")
        await driver.send("ctrl+r")
        await driver._fill_identity({"phone": "06 00 00 00 01", "used_name": "MARTIN"})
        assert actions_of(driver.app)[-1] == (
            "update_patient",
            {"patient": "p_dupont", "set": {"used_name": "MARTIN", "phone": "06 00 00 00 01"}},
            True,
        )
        sheet = rendered(workspace.query_one("#pat-sheet"))
        assert "MARTIN" in sheet and "06 00 00 00 01" in sheet

    play(build_app, scenario)


def test_a_document_is_checked_against_the_record(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario(driver: KeyDriver, workspace: WorkspaceScreen) -> None:
        await search(driver, birth_date="12/04/1985")
        await driver.send("enter")
        await driver.do_check_identity_document({"patient": "p_dupond", "document": "cni_dupont"})
        panel = rendered(workspace.query_one(DocumentCheckPanel))
        assert "ne correspond pas au dossier" in panel
        assert "DUPOND" in panel and "≠" in panel  # the birth name differs
        await driver.do_check_identity_document({"patient": "p_dupont", "document": "cni_dupont"})
        panel = rendered(workspace.query_one(DocumentCheckPanel))
        assert "Identité validée sur cette pièce" in panel
        assert "clés de contrôle correctes" in panel
        assert "Identité validée" in rendered(workspace.query_one("#pat-record-title"))

    play(build_app, scenario)


def test_insi_answer_is_shown_side_by_side_with_its_differences(
    build_app: Callable[..., SimsecApp],
) -> None:
    async def scenario(driver: KeyDriver, workspace: WorkspaceScreen) -> None:
        await search(driver, birth_date="12/04/1985")
        await driver.send("enter")
        # by the traits: INSi knows her born in Lyon, not in Paris: nobody found
        await driver.do_call_insi({"patient": "p_dupont", "mode": "traits"})
        panel = rendered(workspace.query_one(InsiPanel))
        assert "Aucune identité trouvée" in panel
        # with the carte Vitale: her identity, whose traits differ
        await driver.do_call_insi({"patient": "p_dupont", "mode": "vitale"})
        assert actions_of(driver.app)[-2:] == [
            ("call_insi", {"patient": "p_dupont", "mode": "traits"}, True),
            ("call_insi", {"patient": "p_dupont", "mode": "vitale"}, True),
        ]
        panel = rendered(workspace.query_one(InsiPanel))
        assert "avec la carte Vitale" in panel
        assert "MARIE CLAIRE" in panel and "MARIE-CLAIRE" in panel
        assert "75056" in panel and "69123" in panel
        assert "≈ Prénoms de naissance" in panel  # tolerated
        assert "≠ Lieu de naissance" in panel  # contradicts
        assert "Résultat non accepté" in panel
        assert "Identité provisoire" in rendered(workspace.query_one("#pat-record-title"))

    play(build_app, scenario)


def test_flags_and_a_doublon_report(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario(driver: KeyDriver, workspace: WorkspaceScreen) -> None:
        await search(driver, birth_date="12/04/1985")
        await driver.send("enter")
        await driver.do_flag_identity({"patient": "p_dupond", "attribute": "douteuse", "on": True})
        title = rendered(workspace.query_one("#pat-record-title"))
        assert "douteuse" in title
        await driver.do_report_identity_issue(
            {"patients": ["p_dupont", "p_dupond"], "kind": "doublon", "note": "Même personne ?"}
        )
        assert actions_of(driver.app)[-2:] == [
            ("flag_identity", {"patient": "p_dupond", "attribute": "douteuse", "on": True}, True),
            (
                "report_identity_issue",
                {
                    "patients": ["p_dupont", "p_dupond"],
                    "kind": "doublon",
                    "note": "Même personne ?",
                },
                True,
            ),
        ]
        attached = rendered(workspace.query_one("#pat-attached"))
        assert "Signalement (doublon) avec p_dupond" in attached

    play(build_app, scenario)


def test_a_document_is_attached(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario(driver: KeyDriver, workspace: WorkspaceScreen) -> None:
        await search(driver, birth_date="12/04/1985")
        await driver.send("enter")
        await driver.do_attach_document({"patient": "p_dupont", "document": "mutuelle_dupont"})
        assert actions_of(driver.app)[-1][0] == "attach_document"
        assert "Carte de mutuelle" in rendered(workspace.query_one("#pat-attached"))

    play(build_app, scenario)


def test_every_action_is_in_the_command_palette(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario(driver: KeyDriver, workspace: WorkspaceScreen) -> None:
        titles = [command.title for command in workspace.palette_commands()]
        for expected in (
            "Rechercher",
            "Nouveau dossier",
            "Modifier l'identité",
            "Contrôler une pièce",
            "Appeler INSi",
            "Identitovigilance",
            "Joindre une pièce",
        ):
            assert expected in titles
        await search(driver, birth_date="12/04/1985")
        await driver.send("enter")
        await driver.open_patient("p_dupont")
        await driver.send("ctrl+p")
        await driver.send(*"INSi")
        await driver.pilot.pause(0.3)
        await driver.send("enter")
        await driver.pick(0)  # the traits
        assert actions_of(driver.app)[-1][0] == "call_insi"

    play(build_app, scenario)
