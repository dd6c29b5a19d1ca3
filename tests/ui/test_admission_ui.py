"""The admission module with the keyboard (F6), its checklist and its read model."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
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
)
from textual.widgets import Static
from ui_support import _CACHE, SIZE

from simsec.scenario.loader import load_scenario
from simsec.scenario.run import Run
from simsec.services import readmodels_planning as rm
from simsec.ui.app import SimsecApp
from simsec.ui.screens.admission import AdmissionModule
from simsec.ui.widgets.checklist import admission_checklist
from simsec.ui.widgets.form_dialog import FormDialog
from simsec.ui.widgets.picker import Picker

__all__ = ["fast_keys"]

ROOT = Path(__file__).resolve().parents[2]


def _run(name: str) -> Run:
    loaded = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    assert loaded.scenario is not None
    return Run.start(loaded.scenario, sha256=loaded.sha256, cache=_CACHE)


def _plain(renderable: object) -> str:
    from rich.console import Console

    console = Console(width=120, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


# ------------------------------------------------------------------------ read model


def test_the_checklist_of_a_minor_operated_in_day_surgery() -> None:
    run = _run("admission_mineur_ambulatoire")
    opened = run.perform(
        {
            "do": "open_admission",
            "with": {"patient": "p_lucas", "kind": "ambulatoire", "date": "2026-04-14"},
        }
    )
    key = opened.result["key"]
    detail = rm.admission_detail(run.db, key)
    assert detail is not None
    assert detail.cases == ("ambulatoire", "minor", "minor_surgery") and detail.patient_minor
    items = [line.item for line in detail.checklist]
    assert "autorisation_operer" in items and "personne_a_prevenir" in items
    assert "personne_confiance" not in items  # a minor designates none (L1111-6)
    assert set(detail.missing) == set(opened.result["missing"])
    run.perform(
        {"do": "record_admission_document", "with": {"admission": key, "kind": "livret_famille"}}
    )
    after = rm.admission_detail(run.db, key)
    assert after is not None and after.documents == ("livret_famille",)
    assert "identite_mineur" not in after.missing
    text = _plain(admission_checklist(after.checklist))
    assert "✔ Identité de l'enfant" in text and "✘ Autorisation d'opérer" in text
    assert [a.key for a in rm.admissions(run.db)] == [key]


def test_an_adult_at_work_accident_needs_the_feuille_at_and_is_offered_a_confidant() -> None:
    run = _run("planning_absence_praticien")
    run.perform(
        {"do": "set_coverage", "with": {"patient": "p_arnaud", "amo": {"exemption": "at_mp"}}}
    )
    opened = run.perform(
        {
            "do": "open_admission",
            "with": {"patient": "p_arnaud", "kind": "hospitalisation", "date": "2026-03-09"},
        }
    )
    detail = rm.admission_detail(run.db, opened.result["key"])
    assert detail is not None and "at_mp" in detail.cases
    lines = {line.item: line for line in detail.checklist}
    assert lines["feuille_at"].required and not lines["feuille_at"].done
    assert not lines["personne_confiance"].required  # offered, never imposed
    assert lines["personne_a_prevenir"].required
    record = rm.patient_record(run.db, "p_arnaud", date(2026, 3, 9))
    assert record is not None
    assert [a.kind for a in record.admissions] == ["hospitalisation"]
    assert [a.key for a in record.appointments] == ["rdv_arnaud"]


# ------------------------------------------------------------------------------ keys


def test_a_minor_has_no_personne_de_confiance_and_closing_lists_what_is_missing(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, "admission_mineur_ambulatoire")
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            await pilot.press("f6")
            await idle(pilot)
            await open_dialog(pilot, "n")
            for value in ("p_lucas", "ambulatoire"):
                await fill(pilot, value)
            await pilot.press("enter")  # today, as proposed
            await fill(pilot, "dr_lambert")
            await fill(pilot, None)
            await idle(pilot)
            assert actions(screen)[-1] == (
                "open_admission",
                {
                    "patient": "p_lucas",
                    "kind": "ambulatoire",
                    "practitioner": "dr_lambert",
                    "date": "2026-04-14",
                },
                True,
            )
            module = screen.query_one(AdmissionModule)
            assert module.detail is not None and module.detail.patient_minor
            await open_dialog(pilot, "c")
            for value in ("Émilie FONTAINE", "06 58 20 14 77", "mère"):
                await fill(pilot, value)
            await idle(pilot)
            form = app.screen
            assert isinstance(form, FormDialog)  # refused: the form stays, with the reason
            assert "personne majeure" in str(form.query_one("#form-error", Static).render())
            assert actions(screen)[-1][0] == "set_contact_person" and not actions(screen)[-1][2]
            await pilot.press("escape")
            await open_dialog(pilot, "d")
            await fill(pilot, "livret_famille")
            await pilot.press("enter")  # whose: the patient's, as proposed
            await idle(pilot)
            assert module.documents == (("livret_famille", "patient"),)
            await open_dialog(pilot, "f")
            await idle(pilot)
            form = app.screen
            assert isinstance(form, FormDialog)
            intro = _plain(form.intro)
            assert "Autorisation d'opérer" in intro and "Clore quand même" in intro
            await pilot.press("ctrl+s")
            await idle(pilot)
            closed = screen.session.run.records[-1]
            assert closed["do"] == "close_admission" and closed["result"]["ok"]
            assert "autorisation_operer" in closed["result"]["missing"]
            assert module.detail is not None and module.detail.summary.status == "closed"

    run_async(scenario())


def test_whose_document_is_asked_and_the_checklist_says_it(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    """The mother's CNI recorded as the accompanying person's ticks the parent's line,
    not the child's; the same document again is refused and changes nothing; the child's
    livret de famille ticks the child's line."""

    async def scenario() -> None:
        app = planning_app(build_app, tmp_path, "admission_mineur_ambulatoire")
        async with app.run_test(size=SIZE) as pilot:
            screen = await start(pilot)
            await pilot.press("f6")
            await idle(pilot)
            await open_dialog(pilot, "n")
            await fill(pilot, "p_lucas")
            await fill(pilot, "ambulatoire")
            await pilot.press("enter", "enter", "enter")  # today, no practitioner, no service
            await idle(pilot)
            module = screen.query_one(AdmissionModule)
            assert module.detail is not None
            key = module.detail.summary.key

            await open_dialog(pilot, "d")
            form = app.screen
            assert isinstance(form, FormDialog)
            assert [f.name for f in form.fields] == ["kind", "holder"]
            holder = form.query_one("#field-holder", Picker)
            assert [k for k, _label in holder.options] == ["patient", "accompagnant"]
            assert holder.value == "patient"  # proposed; the trainee says otherwise
            await fill(pilot, "cni")
            await fill(pilot, "accompagnant")
            await idle(pilot)
            assert actions(screen)[-1] == (
                "record_admission_document",
                {"admission": key, "kind": "cni", "holder": "accompagnant"},
                True,
            )
            done = {item.item: item.done for item in module.items}
            assert done["identite_parent"] and not done["identite_mineur"]
            assert "identite_mineur" in module.missing
            text = _plain(module.checklist_view())
            assert "carte nationale d'identité (pièce de l'accompagnant)" in text
            assert "pièces de l'accompagnant acceptées" in text
            assert "pièces du patient acceptées" in text

            before = screen.session.run.db_hash()
            await open_dialog(pilot, "d")
            await fill(pilot, "cni")
            await fill(pilot, "accompagnant")
            await idle(pilot)
            form = app.screen
            assert isinstance(form, FormDialog)  # refused: the form stays, with the reason
            error = str(form.query_one("#form-error", Static).render())
            assert "déjà enregistré" in error and "pièce de l'accompagnant" in error
            assert actions(screen)[-1][0] == "record_admission_document"
            assert not actions(screen)[-1][2]
            assert screen.session.run.db_hash() == before
            await pilot.press("escape")
            await idle(pilot)
            assert module.documents == (("cni", "accompagnant"),)

            await open_dialog(pilot, "d")
            await fill(pilot, "livret_famille")
            await fill(pilot, "patient")
            await idle(pilot)
            assert list(module.documents) == [
                ("cni", "accompagnant"),
                ("livret_famille", "patient"),
            ]
            done = {item.item: item.done for item in module.items}
            assert done["identite_parent"] and done["identite_mineur"]
            text = _plain(module.checklist_view())
            assert "✔ Identité de l'enfant" in text
            assert "au dossier : livret de famille (pièce du patient)" in text

    run_async(scenario())
