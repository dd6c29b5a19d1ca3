"""Every requester kind through the access services: registered, proofs recorded, the
right checked (and its French reason while a proof is missing), the deadlines, the
communication; a third party's request refused with its motive; the designated doctor
who says for whom they act."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter
from test_svc_support import World, apply, build_world, refused

from simsec.db.models import AccessRequest, Patient
from simsec.scenario.checks import evaluate
from simsec.scenario.entities import state_field_kind
from simsec.scenario.loader import load_scenario
from simsec.scenario.model import Check
from simsec.scenario.run import Run
from simsec.scenario.world_cache import WorldCache

LATER = datetime(2026, 3, 20, 10, 0)
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
CHECK: TypeAdapter[Any] = TypeAdapter(Check)


@pytest.fixture
def w() -> World:
    return build_world()


def _patient(w: World, *, minor: bool = False, deceased: bool = False) -> None:
    """Make p_dupont (an adult, items cr_2019, cr_2025, courrier_tiers) a minor or dead."""
    with w.factory() as s:
        row = s.get_one(Patient, w.get(Patient, "p_dupont").id)
        if minor:
            row.birth_date = date(2012, 6, 1)
        if deceased:
            row.deceased_on = date(2026, 2, 1)
        s.commit()


def _register(w: World, requester: dict[str, Any], **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "patient": "p_dupont",
        "requester": requester,
        "received_on": "2026-03-02",
        "channel": "courrier",  # the letter is the written request
        "items": "all",
        "delivery": "envoi_postal",
        **changes,
    }
    result, _ = apply(w, "register_access_request", fields)
    return result


#: kind: (patient state, motive, documents that complete a letter, the last one's proof,
#: French words of the missing proof).
CASES: dict[str, tuple[dict[str, bool], str | None, list[str], str, str]] = {
    "patient": ({}, None, ["cni"], "identite", "pièce d'identité"),
    "parent": ({"minor": True}, None, ["cni", "livret_famille"], "autorite_parentale", "autorité"),
    "tuteur": ({}, None, ["cni", "jugement_tutelle"], "jugement_protection", "jugement"),
    "curateur": (
        {},
        None,
        ["cni", "jugement_curatelle", "consentement_ecrit"],
        "consentement_majeur_protege",
        "consentement écrit du majeur protégé",
    ),
    "ayant_droit": (
        {"deceased": True},
        "causes_deces",
        ["cni", "acte_deces", "certificat_heredite"],
        "qualite_ayant_droit",
        "qualité d'ayant droit",
    ),
    "concubin": (
        {"deceased": True},
        "defendre_memoire",
        ["passeport", "acte_deces", "attestation_vie_commune"],
        "qualite_concubin",
        "concubinage",
    ),
    "partenaire_pacs": (
        {"deceased": True},
        "faire_valoir_droits",
        ["cni", "acte_deces", "attestation_pacs"],
        "qualite_partenaire_pacs",
        "PACS",
    ),
}
HEIRS = {"ayant_droit", "concubin", "partenaire_pacs"}


def _flow(w: World, requester: dict[str, Any], documents: list[str], proof: str, words: str) -> str:
    """Register, record the proofs (the right checked before the last one), complete,
    prepare, communicate, close; returns the request key."""
    delivery = "medecin" if requester["kind"] == "medecin" else "envoi_postal"
    registered = _register(w, requester, delivery=delivery)
    key = str(registered["key"])
    assert registered["status"] == "incomplete" and registered["decision"] == "incomplete"
    result = registered
    for kind in documents[:-1]:
        result, _ = apply(w, "record_request_document", {"request": key, "kind": kind})
        assert result["kind"] == kind
    assert result["missing"] == [proof], result
    assert words in result["message"], result["message"]
    refusal = refused(
        w, "mark_request_complete", {"request": key, "on": "2026-03-02"}, "proofs_missing"
    )
    assert words in refusal.message
    result, _ = apply(w, "record_request_document", {"request": key, "kind": documents[-1]})
    assert result["decision"] == "allowed" and result["missing"] == []
    assert result["status"] == "incomplete"
    done, _ = apply(w, "mark_request_complete", {"request": key, "on": "2026-03-02"})
    assert (done["status"], done["earliest_on"], done["due_on"]) == (
        "complete",
        "2026-03-04",
        "2026-03-10",
    )
    prepared, _ = apply(w, "prepare_communication", {"request": key, "items": "all"})
    assert prepared["prepared"] == ["cr_2019", "cr_2025"]  # the third party's letter withheld
    refused(
        w,
        "send_communication",
        {"request": key, "on": "2026-03-03", "mode": delivery},
        "too_early",
        now=LATER,
    )
    sent, _ = apply(
        w, "send_communication", {"request": key, "on": "2026-03-05", "mode": delivery}, now=LATER
    )
    assert sent["status"] == "envoyee" and sent["on_time"]
    closed, _ = apply(w, "close_access_request", {"request": key})
    assert closed["status"] == "cloturee"
    return key


@pytest.mark.parametrize("kind", list(CASES))
def test_each_requester_from_registration_to_communication(w: World, kind: str) -> None:
    state, motive, documents, proof, words = CASES[kind]
    _patient(w, **state)
    requester = {"kind": kind, "name": "Claude MARTIN", "relationship": "proche"}
    if motive:
        requester["motive"] = motive
    key = _flow(w, requester, documents, proof, words)
    row = w.get(AccessRequest, key)
    assert row.requester_kind == kind and row.motive == motive
    assert row.sent_on == date(2026, 3, 5)


@pytest.mark.parametrize("kind", sorted(HEIRS))
def test_heirs_get_only_what_their_motive_needs(w: World, kind: str) -> None:
    state, motive, documents, _proof, _words = CASES[kind]
    _patient(w, **state)
    without = _register(w, {"kind": kind, "name": "Claude MARTIN"})
    assert "motif" in without["missing"]
    assert "Le motif de la demande doit être indiqué par écrit" in without["message"]
    key = _register(w, {"kind": kind, "name": "Claude MARTIN", "motive": motive})["key"]
    for document in documents:
        result, _ = apply(w, "record_request_document", {"request": key, "kind": document})
    assert result["limited_to_motive"]
    apply(w, "mark_request_complete", {"request": key, "on": "2026-03-02"})
    _, warnings = apply(w, "prepare_communication", {"request": key, "items": ["cr_2025"]})
    label = {"ayant_droit": "Ayant droit", "concubin": "Concubin"}.get(kind, "Partenaire de PACS")
    assert any(w_.startswith(f"{label} : seules les informations") for w_ in warnings), warnings


@pytest.mark.parametrize("principal", list(CASES))
def test_designated_doctor_acting_for_each_requester(w: World, principal: str) -> None:
    state, motive, documents, proof, words = CASES[principal]
    _patient(w, **state)
    requester: dict[str, Any] = {"kind": "medecin", "name": "Dr Paul NAUDIN"}
    requester["on_behalf_of"] = principal
    if motive:
        requester["motive"] = motive
    registered = _register(w, requester)
    assert registered["on_behalf_of"] == principal
    assert set(registered["missing"]) >= {"designation_medecin", "qualite_medecin"}
    # the doctor's own proofs first, the principal's last
    key = _flow(w, requester, ["designation_medecin", "carte_cps", *documents], proof, words)
    row = w.get(AccessRequest, key)
    assert row.requester_kind == "medecin" and row.sent_mode == "medecin"


def test_a_doctor_without_their_designation_is_told_so(w: World) -> None:
    registered = _register(
        w, {"kind": "medecin", "name": "Dr Paul NAUDIN", "on_behalf_of": "tuteur"}
    )
    assert registered["missing"] == [
        "designation_medecin",
        "qualite_medecin",
        "identite",
        "jugement_protection",
    ]
    assert "désignation du médecin" in registered["message"]


def test_a_doctor_without_on_behalf_of_acts_for_who_has_the_right(w: World) -> None:
    registered = _register(w, {"kind": "medecin", "name": "Dr Paul NAUDIN"})
    assert "on_behalf_of" not in registered  # the results of older runs are unchanged
    assert set(registered["required"]) == {
        "designation_medecin",
        "qualite_medecin",
        "demande_ecrite",
        "identite",
    }
    _patient(w, minor=True)
    minor = _register(w, {"kind": "medecin", "name": "Dr Paul NAUDIN"})
    assert "autorite_parentale" in minor["required"]


def test_a_doctor_acting_for_a_heir_of_a_living_patient_is_refused(w: World) -> None:
    registered = _register(
        w,
        {
            "kind": "medecin",
            "name": "Dr Paul NAUDIN",
            "on_behalf_of": "concubin",
            "motive": "causes_deces",
        },
    )
    assert registered["decision"] == "refused" and registered["reasons"] == ["patient_alive"]


def test_on_behalf_of_is_for_a_doctor_only(w: World) -> None:
    base = {
        "patient": "p_dupont",
        "received_on": "2026-03-02",
        "channel": "courrier",
        "items": "all",
        "delivery": "envoi_postal",
    }
    error = refused(
        w,
        "register_access_request",
        {**base, "requester": {"kind": "curateur", "name": "X", "on_behalf_of": "patient"}},
        "on_behalf_of_not_doctor",
    )
    assert "médecin désigné" in error.message and "curateur" in error.message


def test_a_doctor_keeps_both_a_relationship_and_for_whom_they_act(w: World) -> None:
    _patient(w, deceased=True)
    requester = {
        "kind": "medecin",
        "name": "Dr Paul NAUDIN",
        "relationship": "médecin traitant de la fille",
        "on_behalf_of": "ayant_droit",
        "motive": "causes_deces",
    }
    registered = _register(w, requester, delivery="medecin")
    assert registered["on_behalf_of"] == "ayant_droit"
    # the heir's proofs on top of the doctor's: the principal was read back
    assert {"qualite_ayant_droit", "designation_medecin"} <= set(registered["required"])
    row = w.get(AccessRequest, registered["key"])
    assert row.requester_relationship == "médecin traitant de la fille"
    assert row.requester_on_behalf_of == "ayant_droit"
    assert row.motive == "causes_deces"


def test_a_doctors_relationship_is_never_read_as_for_whom_they_act(w: World) -> None:
    """The relationship is free text: « tuteur » there says nothing of the principal."""
    registered = _register(
        w, {"kind": "medecin", "name": "Dr Paul NAUDIN", "relationship": "tuteur"}
    )
    assert "on_behalf_of" not in registered
    assert "jugement_protection" not in registered["required"]  # acts for the patient
    row = w.get(AccessRequest, registered["key"])
    assert (row.requester_relationship, row.requester_on_behalf_of) == ("tuteur", None)


def test_a_rubric_reads_for_whom_the_doctor_acts() -> None:
    """``state: {entity: access_request, has: {requester.on_behalf_of: ...}}``."""
    assert state_field_kind("access_request", "requester.on_behalf_of") == (True, None)
    loaded = load_scenario(SCENARIOS / "acces_dossier_ayant_droit.yaml")
    assert loaded.scenario is not None, loaded.errors
    run = Run.start(loaded.scenario, cache=WorldCache(), fsync=False)

    def passes(has: dict[str, Any]) -> bool:
        check = CHECK.validate_python(
            {
                "state": {
                    "entity": "access_request",
                    "where": {"requester.kind": "medecin"},
                    "has": has,
                }
            }
        )
        with run.session() as session:
            return evaluate(check, run.scenario, run.facts(), session).passed

    wanted = {"requester.on_behalf_of": "ayant_droit"}
    assert not passes(wanted)  # no doctor's request yet
    feedback = run.perform(
        {
            "do": "register_access_request",
            "with": {
                "patient": "p_lemaire",
                "requester": {
                    "kind": "medecin",
                    "name": "Dr Paul NAUDIN",
                    "relationship": "médecin traitant",
                    "on_behalf_of": "ayant_droit",
                    "motive": "causes_deces",
                },
                "received_on": "2026-02-17",
                "channel": "courrier",
                "items": "all",
                "delivery": "medecin",
            },
        }
    )
    assert feedback.ok, feedback.result
    assert passes(wanted)
    assert passes({**wanted, "requester.relationship": "médecin traitant"})
    assert passes({"requester": {"on_behalf_of": "ayant_droit", "kind": "medecin"}})
    assert not passes({"requester.on_behalf_of": "parent"})
    assert not passes({"requester.relationship": "ayant_droit"})  # no longer stored there
    run.db.dispose()


# ------------------------------------------------------------------------ third party


@pytest.mark.parametrize("state", [{}, {"deceased": True}])
def test_a_third_partys_request_is_registered_then_refused_with_its_motive(
    w: World, state: dict[str, bool]
) -> None:
    _patient(w, **state)
    registered, warnings = apply(
        w,
        "register_access_request",
        {
            "patient": "p_dupont",
            "requester": {"kind": "tiers", "name": "M. VOISIN", "relationship": "voisin"},
            "received_on": "2026-03-02",
            "channel": "courrier",
            "items": "all",
            "delivery": "envoi_postal",
        },
    )
    key = registered["key"]
    assert registered["status"] == "recue" and registered["decision"] == "refused"
    assert registered["reasons"] == ["third_party_requester", "unauthorised_requester"]
    assert registered["missing"] == [] and registered["required"] == []
    assert "Un tiers n'a aucun droit d'accès au dossier médical" in registered["message"]
    assert "Refusez la demande par écrit" in registered["message"]
    assert warnings and "doit être refusée, par écrit et avec un motif" in warnings[0]
    # every proof in the world changes nothing
    for kind in ("cni", "acte_deces", "certificat_heredite", "designation_medecin"):
        result, _ = apply(w, "record_request_document", {"request": key, "kind": kind})
        assert result["decision"] == "refused"
    refused(
        w, "mark_request_complete", {"request": key, "on": "2026-03-02"}, "request_not_eligible"
    )
    refused(w, "refuse_access_request", {"request": key, "motive": "  "}, "empty_text")
    done, warnings = apply(
        w,
        "refuse_access_request",
        {"request": key, "motive": "Un tiers n'a aucun droit d'accès au dossier médical."},
    )
    assert done["status"] == "refusee" and not warnings  # a refusal that was due
    assert w.get(AccessRequest, key).refusal_motive.startswith("Un tiers")
    closed, _ = apply(w, "close_access_request", {"request": key})
    assert closed["status"] == "cloturee"


def test_a_curateur_without_the_protected_adults_consent_is_told_why(w: World) -> None:
    key = _register(w, {"kind": "curateur", "name": "Claude MARTIN"})["key"]
    for kind in ("cni", "jugement_curatelle"):
        result, _ = apply(w, "record_request_document", {"request": key, "kind": kind})
    assert result["missing"] == ["consentement_majeur_protege"]
    assert result["reasons"] == ["proofs_missing", "consent_required"]
    assert "Le consentement exprès du majeur protégé est nécessaire" in result["message"]
    asked, _ = apply(
        w, "request_missing_documents", {"request": key, "kinds": ["consentement_ecrit"]}
    )
    assert asked["requested"] == ["consentement_ecrit"] and asked["status"] == "incomplete"
    result, _ = apply(w, "record_request_document", {"request": key, "kind": "consentement_ecrit"})
    assert result["decision"] == "allowed"


def test_a_curatelle_judgment_does_not_make_a_tuteur(w: World) -> None:
    """A curateur registered as a tuteur, with the curatelle judgment: not complete (the
    tuteur's proof is a representation judgment), so the consent cannot be skipped."""
    key = _register(w, {"kind": "tuteur", "name": "Claude MARTIN"})["key"]
    for kind in ("demande_ecrite", "cni", "jugement_curatelle"):
        result, _ = apply(w, "record_request_document", {"request": key, "kind": kind})
    assert result["decision"] != "allowed"
    assert "jugement_protection" in result["missing"]
    key = _register(w, {"kind": "curateur", "name": "Claude MARTIN"})["key"]
    for kind in ("demande_ecrite", "cni", "jugement_tutelle"):
        result, _ = apply(w, "record_request_document", {"request": key, "kind": kind})
    assert "jugement_curatelle" in result["missing"]
