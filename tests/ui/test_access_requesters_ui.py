"""Access to the record (F7) for every requester kind: the form offers them all (and, for a
designated doctor, for whom they act), the proof documents they bring, the reasons of the
right; a curateur's request from registration to communication with the keyboard only; a
third party's request shown as one to refuse, and refused with its motive."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from planning_support import (
    SCENARIOS,
    actions,
    fast_keys,
    fill,
    idle,
    open_dialog,
    run_async,
    start,
    until,
)
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import SelectionList

from simsec.actions.catalogue import RequesterKind, literal_values
from simsec.ui.app import SimsecApp
from simsec.ui.messages import ActionPerformed
from simsec.ui.modules import MODULES
from simsec.ui.screens.access import AccessModule
from simsec.ui.screens.workspace import WorkspaceScreen
from simsec.ui.widgets.form_dialog import FormDialog
from simsec.ui.widgets.picker import Picker

__all__ = ["fast_keys"]

SIZE = (150, 48)
#: The shipped scenario, its patient alive: M. Lemaire, an adult with a record of five
#: items (one of them a neighbour's letter, not communicable). Clock: 17/02/2026 14:00.
LIVING = "acces_dossier_patient_vivant"


def _app(build_app: Callable[..., SimsecApp], tmp_path: Path) -> SimsecApp:
    text = (SCENARIOS / "acces_dossier_ayant_droit.yaml").read_text(encoding="utf-8")
    assert "      deceased_on: 2026-01-21\n" in text
    text = text.replace("      deceased_on: 2026-01-21\n", "").replace(
        "id: acces_dossier_ayant_droit", f"id: {LIVING}"
    )
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / f"{LIVING}.yaml").write_text(text, encoding="utf-8")
    return build_app(scenario_dirs=[folder], modules=tuple(MODULES))


def _plain(renderable: Any) -> str:
    console = Console(width=120, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def _form(app: App[Any]) -> FormDialog:
    assert isinstance(app.screen, FormDialog), app.screen
    return app.screen


def _shown(app: App[Any], name: str) -> bool:
    return bool(_form(app).query_one(f"#form-{name}").display)


async def _access(pilot: Pilot[Any]) -> tuple[WorkspaceScreen, AccessModule]:
    screen = await start(pilot)
    await pilot.press("f7")
    await idle(pilot)
    return screen, screen.query_one(AccessModule)


async def _open_register_form(pilot: Pilot[Any]) -> None:
    await open_dialog(pilot, "n")
    await fill(pilot, "p_lemaire")
    await until(pilot, lambda: pilot.app.screen.id == "access-form", "no request form")
    await pilot.pause()


async def _register(
    pilot: Pilot[Any], kind: str, name: str, relationship: str | None, received: str
) -> None:
    """The request form, with keys: a letter asking for the whole record, by post."""
    await _open_register_form(pilot)
    await fill(pilot, kind)
    await fill(pilot, name)
    await fill(pilot, relationship)
    await fill(pilot, "courrier")
    await fill(pilot, received)
    items = _form(pilot.app).query_one("#field-items", SelectionList)
    assert pilot.app.focused is items
    await pilot.press("home", "space", "tab")  # « Tout le dossier »
    await fill(pilot, "envoi_postal")
    await idle(pilot)


def _last(screen: WorkspaceScreen) -> tuple[str, dict[str, Any], bool]:
    return actions(screen)[-1]


# ------------------------------------------------------------------------- choices


def test_the_form_offers_every_requester_and_the_doctors_principal(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = _app(build_app, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await _access(pilot)
            await _open_register_form(pilot)
            kinds = dict(_form(app).query_one("#field-kind", Picker).options)
            assert set(kinds) == set(literal_values(RequesterKind))
            assert kinds["curateur"] == "curateur (protection avec assistance)"
            assert kinds["concubin"] == "concubin"
            assert kinds["partenaire_pacs"] == "partenaire de PACS"
            assert kinds["medecin"] == "médecin désigné"
            assert kinds["tiers"] == "tiers"
            assert not _shown(app, "on_behalf_of") and not _shown(app, "motive")
            await fill(pilot, "concubin")  # an heir-like requester: the motive is asked
            await idle(pilot)
            assert _shown(app, "motive") and _shown(app, "relationship")
            await pilot.press("shift+tab")
            await fill(pilot, "medecin")  # a doctor: for whom, and a link if any
            await idle(pilot)
            assert _shown(app, "on_behalf_of") and _shown(app, "relationship")
            # for whom left empty: the person who has the right, an heir after a death,
            # so the motive is asked (optional)
            assert _shown(app, "motive")
            principals = dict(_form(app).query_one("#field-on_behalf_of", Picker).options)
            assert set(principals) == set(literal_values(RequesterKind)) - {"medecin", "tiers"}
            await fill(pilot, "Dr NAUDIN")
            await fill(pilot, None)  # no link with the patient
            await fill(pilot, "partenaire_pacs")  # acting for a partner: the motive too
            await idle(pilot)
            assert _shown(app, "motive")
            await pilot.press("escape")

    run_async(scenario())


def test_the_proof_documents_are_offered_missing_ones_first(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = _app(build_app, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen, module = await _access(pilot)
            feedback = screen.session.perform(
                {
                    "do": "register_access_request",
                    "with": {
                        "patient": "p_lemaire",
                        "requester": {
                            "kind": "medecin",
                            "name": "Dr NAUDIN",
                            "on_behalf_of": "curateur",
                        },
                        "received_on": "2026-02-16",
                        "channel": "courrier",
                        "items": "all",
                        "delivery": "medecin",
                    },
                }
            )
            assert feedback.ok, feedback.message
            screen.post_message(ActionPerformed(feedback))
            await idle(pilot)
            detail = module.detail
            assert detail is not None and detail.decision == "incomplete"
            header = _plain(module._header())
            assert "médecin désigné · agit pour : curateur (protection avec assistance)" in header
            await open_dialog(pilot, "r")
            options = _form(app).query_one("#field-kind", Picker).options
            keys = [k for k, _label in options]
            assert keys[:2] == ["designation_medecin", "carte_cps"]
            for kind in ("jugement_curatelle", "consentement_ecrit", "attestation_rpps"):
                assert kind in keys
            labels = dict(options)
            assert labels["jugement_curatelle"] == "Jugement de curatelle"
            assert labels["carte_cps"] == "Carte de professionnel de santé (CPS)"
            assert labels["attestation_pacs"] == "Attestation d'enregistrement du PACS"
            await fill(pilot, "designation_medecin")
            await idle(pilot)
            assert _last(screen) == (
                "record_request_document",
                {"request": detail.summary.key, "kind": "designation_medecin"},
                True,
            )

    run_async(scenario())


def test_a_doctors_link_and_principal_typed_in_the_form_are_both_kept(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = _app(build_app, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen, module = await _access(pilot)
            await _open_register_form(pilot)
            await fill(pilot, "medecin")
            await fill(pilot, "Dr NAUDIN")
            await fill(pilot, "médecin traitant")
            await fill(pilot, "curateur")
            await fill(pilot, "courrier")
            await fill(pilot, "16/02/2026")
            await pilot.press("home", "space", "tab")  # « Tout le dossier »
            await fill(pilot, "medecin")
            await idle(pilot)
            do, fields, ok = _last(screen)
            assert (do, ok) == ("register_access_request", True)
            assert fields["requester"] == {
                "kind": "medecin",
                "name": "Dr NAUDIN",
                "relationship": "médecin traitant",
                "on_behalf_of": "curateur",
            }
            detail = module.detail
            assert detail is not None
            assert (detail.relationship, detail.on_behalf_of) == ("médecin traitant", "curateur")
            assert "jugement_curatelle" in {p.proof for p in detail.proofs}
            header = _plain(module._header())
            assert "Dr NAUDIN · médecin désigné (médecin traitant) · agit pour : curateur" in header

    run_async(scenario())


# ---------------------------------------------------------------------- curateur


def test_a_curateurs_request_from_registration_to_communication_with_the_keyboard(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = _app(build_app, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen, module = await _access(pilot)
            await _register(pilot, "curateur", "Claude MARTIN", "neveu", "10/02/2026")
            do, fields, ok = _last(screen)
            assert (do, ok) == ("register_access_request", True)
            assert fields["requester"] == {
                "kind": "curateur",
                "name": "Claude MARTIN",
                "relationship": "neveu",
            }
            assert fields["received_on"] == "2026-02-10" and fields["items"] == "all"
            detail = module.detail
            assert detail is not None and detail.summary.status == "incomplete"
            key = detail.summary.key
            assert [p.proof for p in detail.proofs if not p.satisfied] == [
                "identite",
                "jugement_curatelle",
                "consentement_majeur_protege",
            ]

            for kind in ("cni", "jugement_curatelle"):
                await open_dialog(pilot, "r")
                await fill(pilot, kind)
                await idle(pilot)
                assert _last(screen) == (
                    "record_request_document",
                    {"request": key, "kind": kind},
                    True,
                )
            right = _plain(module._right())
            assert "Demande incomplète" in right
            assert "Le consentement exprès du majeur protégé est nécessaire" in right

            await open_dialog(pilot, "c")  # not yet: the consent is missing
            await fill(pilot, "10/02/2026")
            await idle(pilot)
            assert _last(screen)[0] == "mark_request_complete" and not _last(screen)[2]
            assert isinstance(app.screen, FormDialog)
            await pilot.press("escape")
            await idle(pilot)

            await open_dialog(pilot, "r")
            await fill(pilot, "consentement_ecrit")
            await idle(pilot)
            assert module.detail is not None and module.detail.decision == "allowed"
            assert "Demande recevable" in _plain(module._right())

            await open_dialog(pilot, "c")
            await fill(pilot, "10/02/2026")
            await idle(pilot)
            assert _last(screen) == (
                "mark_request_complete",
                {"request": key, "on": "2026-02-10"},
                True,
            )
            await open_dialog(pilot, "p")  # « all », the neighbour's letter withheld
            await pilot.press("ctrl+s")
            await idle(pilot)
            assert _last(screen) == (
                "prepare_communication",
                {"request": key, "items": "all"},
                True,
            )
            assert module.detail is not None
            assert "courrier_voisine" not in module.detail.prepared
            await open_dialog(pilot, "e")
            await fill(pilot, "17/02/2026")
            await fill(pilot, "envoi_postal")
            await idle(pilot)
            assert _last(screen) == (
                "send_communication",
                {"request": key, "on": "2026-02-17", "mode": "envoi_postal"},
                True,
            )
            assert module.detail is not None
            assert module.detail.summary.status == "envoyee"
            assert not module.detail.summary.overdue  # complete 10/02, due 18/02

    run_async(scenario())


# -------------------------------------------------------------------- third party


def test_a_third_partys_request_is_shown_to_refuse_then_refused_with_its_motive(
    build_app: Callable[..., SimsecApp], tmp_path: Path
) -> None:
    async def scenario() -> None:
        app = _app(build_app, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen, module = await _access(pilot)
            await _register(pilot, "tiers", "M. ROBIN", "voisin", "17/02/2026")
            assert _last(screen)[0] == "register_access_request" and _last(screen)[2]
            detail = module.detail
            assert detail is not None and detail.decision == "refused"
            assert detail.summary.status == "recue" and detail.proofs == ()
            right = _plain(module._right())
            assert "Demande à refuser" in right
            assert "Un tiers n'a aucun droit d'accès au dossier médical" in right
            assert "secret professionnel" in right
            assert "À refuser par écrit, avec son motif" in right
            assert "M. ROBIN · tiers (voisin)" in _plain(module._header())

            await open_dialog(pilot, "x")  # the motive proposed is the rules' reasons
            await pilot.press("ctrl+s")
            await idle(pilot)
            do, fields, ok = _last(screen)
            assert (do, ok) == ("refuse_access_request", True)
            assert fields["motive"].startswith("Un tiers n'a aucun droit d'accès")
            assert module.detail is not None and module.detail.summary.status == "refusee"
            await pilot.press("l", "ctrl+s")
            await idle(pilot)
            assert _last(screen) == ("close_access_request", {"request": fields["request"]}, True)

    run_async(scenario())
