"""The insurance and payment module, driven with the keyboard (F4).

On ``data_identity/identite.yaml``: Mme Dupont (rights open at the CPAM de Paris, her
daughter Léa on her carte Vitale, the Mutuelle des Tilleuls with tiers payant) has seen
the doctor (appointment ``rdv_dupont``, arrived) and is at the desk with her cards.
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
from simsec.ui.screens.insurance import InsuranceModule
from simsec.ui.screens.patients import focused_patient
from simsec.ui.screens.workspace import WorkspaceScreen
from simsec.ui.widgets.fee_split import FeeSplitView

Scenario = Callable[[KeyDriver, WorkspaceScreen], Awaitable[None]]


def play(build_app: Callable[..., SimsecApp], scenario: Scenario) -> None:
    """Take Mme Dupont in charge, find and open her record, show the insurance module,
    then run ``scenario``."""

    async def run() -> None:
        app = build_app(scenario=IDENTITY_SCENARIO, trainee="clavier", modules=IDENTITY_MODULES)
        async with app.run_test(size=SIZE) as pilot:
            workspace: WorkspaceScreen = await wait_for_screen(pilot, WorkspaceScreen)
            driver = KeyDriver(pilot)
            await driver.send("enter")  # attend: her cards are handed over on arrival
            await driver.do_search_patients({"birth_date": "1985-04-12"})
            await driver.open_patient("p_dupont")
            await driver.module("f4")
            await scenario(driver, workspace)

    asyncio.run(run())


def text(workspace: WorkspaceScreen, selector: str) -> str:
    return rendered(workspace.query_one(selector, Static))


def test_the_carte_vitale_is_read_and_a_beneficiary_chosen(
    build_app: Callable[..., SimsecApp],
) -> None:
    async def scenario(driver: KeyDriver, workspace: WorkspaceScreen) -> None:
        await driver.send("ctrl+l")
        await driver.pick(0)  # the carte Vitale comes first
        assert actions_of(driver.app)[-1] == (
            "read_vitale",
            {"patient": "p_dupont", "document": "vitale_dupont"},
            True,
        )
        vitale = text(workspace, "#ins-vitale")
        assert "2 bénéficiaire(s)" in vitale
        assert "CPAM de Paris" in vitale and "Droits ouverts" in vitale
        module = workspace.query_one(InsuranceModule)
        assert module.beneficiaries == ("p_dupont", "p_lea")
        await driver.pick(1)  # Léa
        assert focused_patient(workspace.session) == "p_lea"
        assert views_of(driver.app)[-1] == ("patient", "p_lea")
        assert "DUPONT LEA" in text(workspace, "#ins-header")

    play(build_app, scenario)


def test_rights_checked_online_are_copied_into_the_form_and_recorded(
    build_app: Callable[..., SimsecApp],
) -> None:
    async def scenario(driver: KeyDriver, workspace: WorkspaceScreen) -> None:
        assert "AMO : rien d'enregistré" in text(workspace, "#ins-recorded")
        await driver.send("ctrl+r")
        assert actions_of(driver.app)[-1] == ("check_rights", {"patient": "p_dupont"}, True)
        assert "Droits ouverts" in text(workspace, "#ins-adri")
        await driver.send("ctrl+g")  # the rights read, and the mutuelle card presented
        await driver.send("ctrl+s")
        do, fields, ok = actions_of(driver.app)[-1]
        assert (do, ok) == ("set_coverage", True)
        assert fields == {
            "patient": "p_dupont",
            "amo": {
                "regime": "general",
                "caisse": "CPAM de Paris",
                "rights_from": "2025-10-01",
                "rights_until": "2026-09-30",
                "exemption": "none",
            },
            "amc": {
                "organisme": "Mutuelle des Tilleuls",
                "contract": "MT-558812",
                "valid_from": "2026-01-01",
                "valid_until": "2026-12-31",
                "tiers_payant": True,
            },
        }
        recorded = text(workspace, "#ins-recorded")
        assert "Régime général (CPAM) · CPAM de Paris" in recorded
        assert "Mutuelle des Tilleuls" in recorded and "tiers payant" in recorded

    play(build_app, scenario)


def test_the_fee_is_split_line_by_line_and_paid(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario(driver: KeyDriver, workspace: WorkspaceScreen) -> None:
        await driver.do_set_coverage(
            {
                "patient": "p_dupont",
                "amo": {
                    "regime": "general",
                    "rights_from": "2025-10-01",
                    "rights_until": "2026-09-30",
                },
                "amc": {"organisme": "Mutuelle des Tilleuls", "tiers_payant": False},
            }
        )
        await driver.do_bill({"appointment": "rdv_dupont", "acts": ["G"], "tiers_payant": "amo"})
        do, _fields, ok = actions_of(driver.app)[-1]
        assert (do, ok) == ("bill", True)
        split = rendered(workspace.query_one(FeeSplitView))
        # couverture.md, worked example 1: 30 € = AMO 19 + AMC 9 + participation 2
        assert "Part obligatoire (AMO)" in split and "19,00" in split
        assert "Part complémentaire (AMC)" in split and "9,00" in split
        assert "Participation forfaitaire" in split and "2,00" in split
        assert "Total des honoraires" in split and "30,00" in split
        assert "À régler au comptoir : 9,00" in split
        await driver.do_record_payment({"invoice": "invoice#1", "amount": "9.00", "method": "cb"})
        assert actions_of(driver.app)[-1] == (
            "record_payment",
            {"invoice": "invoice#1", "amount": "9.00", "method": "cb"},
            True,
        )
        split = rendered(workspace.query_one(FeeSplitView))
        assert "Reste dû : 0,00" in split and "Carte bancaire" in split

    play(build_app, scenario)


def test_incomplete_forms_send_nothing(build_app: Callable[..., SimsecApp]) -> None:
    async def scenario(driver: KeyDriver, workspace: WorkspaceScreen) -> None:
        before = len(actions_of(driver.app))
        await driver.send("ctrl+s")  # the focus is on the billing list: no tiers payant, no act
        await driver.send("ctrl+o")  # the coverage form, empty
        await driver.send("ctrl+s")
        await driver.send("tab")
        await driver.type("CPAM")
        await driver.send("tab")
        await driver.type("31/02/2026")  # not a date
        await driver.send("ctrl+s")
        assert len(actions_of(driver.app)) == before
        notices = [n.message for n in driver.app._notifications]
        assert any("Rien à enregistrer" in m for m in notices)

    play(build_app, scenario)
