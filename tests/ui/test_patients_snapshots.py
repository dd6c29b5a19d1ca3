"""SVG snapshots of the patients and insurance modules (pytest-textual-snapshot).

The search results (ranked, the matched traits highlighted), the identity form next to
an INSi answer whose traits differ, and the fee split line by line. Update after a
deliberate change: ``pytest tests/ui/test_patients_snapshots.py --snapshot-update``, then
look at the SVG files in ``__snapshots__/`` before committing.

The focus is left on a list, not in an input, so that no blinking cursor makes the
picture depend on the moment it is taken.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from identity_driver import (
    IDENTITY_MODULES,
    IDENTITY_SCENARIO,
    KeyDriver,
)
from ui_support import SIZE, wait_for_screen

from simsec.ui.app import SimsecApp
from simsec.ui.screens.workspace import WorkspaceScreen


async def _at_the_desk(pilot: Any) -> KeyDriver:
    await wait_for_screen(pilot, WorkspaceScreen)
    driver = KeyDriver(pilot)
    await driver.send("enter")  # attend Mme Dupont: her cards are handed over
    return driver


async def _quiet(driver: KeyDriver) -> None:
    driver.app.clear_notifications()
    await driver.pilot.pause()


def _app(build_app: Callable[..., SimsecApp]) -> SimsecApp:
    return build_app(scenario=IDENTITY_SCENARIO, trainee="Emilie Durand", modules=IDENTITY_MODULES)


def test_search_results_snapshot(build_app: Callable[..., SimsecApp], snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        driver = await _at_the_desk(pilot)
        await driver.do_search_patients({"birth_name": "DUP", "birth_date": "1985-04-12"})
        await driver.send("ctrl+l")
        await _quiet(driver)

    assert snap_compare(_app(build_app), terminal_size=SIZE, run_before=run_before)


def test_identity_form_with_an_insi_difference_snapshot(
    build_app: Callable[..., SimsecApp], snap_compare: Any
) -> None:
    async def run_before(pilot: Any) -> None:
        driver = await _at_the_desk(pilot)
        await driver.do_search_patients({"birth_date": "1985-04-12"})
        await driver.do_call_insi({"patient": "p_dupont", "mode": "vitale"})
        await driver.send("ctrl+r")  # the identity form, next to the INSi answer
        await driver.send("ctrl+l")
        await _quiet(driver)

    assert snap_compare(_app(build_app), terminal_size=SIZE, run_before=run_before)


def test_fee_split_snapshot(build_app: Callable[..., SimsecApp], snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        driver = await _at_the_desk(pilot)
        await driver.do_search_patients({"birth_date": "1985-04-12"})
        await driver.do_set_coverage(
            {
                "patient": "p_dupont",
                "amo": {
                    "regime": "general",
                    "caisse": "CPAM de Paris",
                    "rights_until": "2026-09-30",
                },
                "amc": {"organisme": "Mutuelle des Tilleuls", "tiers_payant": False},
            }
        )
        await driver.do_bill({"appointment": "rdv_dupont", "acts": ["G"], "tiers_payant": "amo"})
        await _quiet(driver)

    assert snap_compare(_app(build_app), terminal_size=SIZE, run_before=run_before)
