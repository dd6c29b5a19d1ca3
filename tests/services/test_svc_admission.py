"""Admission services: checklists by case, documents, contact persons, closing."""

from __future__ import annotations

from typing import Any

import pytest
from test_svc_support import World, apply, build_world, refused

from simsec.db.models import Admission, ContactPerson, Patient
from simsec.services.admission import checklist, load_admission_data


@pytest.fixture
def w() -> World:
    return build_world()


def _open(w: World, patient: str = "p_dupont", kind: str = "hospitalisation") -> dict[str, Any]:
    result, _ = apply(
        w,
        "open_admission",
        {"patient": patient, "kind": kind, "date": "2026-03-02", "practitioner": "dr_martin"},
    )
    return result


def _items(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["item"]: item for item in result["checklist"]}


def test_every_case_names_known_items() -> None:
    for version in load_admission_data().versions:
        names = set(version.items)
        assert set(version.always) <= names
        for spec in version.cases.values():
            assert set(spec.add) | set(spec.remove) | set(spec.optional) <= names


def test_hospitalisation_checklist(w: World) -> None:
    result, warnings = apply(
        w,
        "open_admission",
        {"patient": "p_dupont", "kind": "hospitalisation", "date": "2026-03-02"},
    )
    items = _items(result)
    assert result["cases"] == ["hospitalisation"]
    assert {
        "identite",
        "droits_amo",
        "prescription",
        "personne_confiance",
        "personne_a_prevenir",
    } <= set(items)
    assert not items["personne_confiance"]["required"] and items["personne_a_prevenir"]["required"]
    assert set(result["missing"]) == {
        "identite",
        "droits_amo",
        "prescription",
        "personne_a_prevenir",
    }
    assert warnings  # offer a personne de confiance
    assert w.get(Admission, result["key"]).status == "open"


def test_minor_checklist_needs_parents_and_autorisation(w: World) -> None:
    result = _open(w, "p_petit", "ambulatoire")
    assert result["cases"] == ["ambulatoire", "minor", "minor_surgery"]
    items = _items(result)
    assert {"identite_mineur", "identite_parent", "autorisation_operer"} <= set(items)
    assert "identite" not in items and "personne_confiance" not in items


def test_urgence_makes_identity_optional(w: World) -> None:
    result = _open(w, kind="urgence")
    assert not _items(result)["identite"]["required"]


def test_coverage_cases() -> None:
    items = checklist(
        ["consultation", "ame", "at_mp"], load_admission_data().versions[0].valid_from, [], []
    )
    names = [i.item for i in items]
    assert "droits_ame" in names and "feuille_at" in names and "droits_amo" not in names


def test_documents_and_contacts_tick_the_checklist(w: World) -> None:
    admission = _open(w)["key"]
    for kind in ("cni", "carte_vitale", "ordonnance"):
        result, _ = apply(w, "record_admission_document", {"admission": admission, "kind": kind})
    assert result["missing"] == ["personne_a_prevenir"]
    refused(
        w,
        "record_admission_document",
        {"admission": admission, "kind": "cni"},
        "document_already_recorded",
    )
    contact, _ = apply(
        w,
        "set_contact_person",
        {
            "patient": "p_dupont",
            "role": "prevenir",
            "name": "Paul LEROY",
            "phone": "0600000000",
            "relationship": "époux",
        },
    )
    assert not contact["replaced"]
    closed, warnings = apply(w, "close_admission", {"admission": admission})
    assert closed["complete"] and closed["missing"] == [] and not warnings
    refused(w, "close_admission", {"admission": admission}, "admission_closed")
    refused(
        w,
        "record_admission_document",
        {"admission": admission, "kind": "carte_mutuelle"},
        "admission_closed",
    )


def test_close_with_missing_items_warns(w: World) -> None:
    admission = _open(w)["key"]
    result, warnings = apply(w, "close_admission", {"admission": admission})
    assert not result["complete"] and "identite" in result["missing"]
    assert warnings


def test_confiance_and_prevenir_are_separate_records(w: World) -> None:
    apply(
        w,
        "set_contact_person",
        {
            "patient": "p_dupont",
            "role": "confiance",
            "name": "Anne MARTIN",
            "phone": "0611111111",
            "relationship": "sœur",
        },
    )
    apply(
        w,
        "set_contact_person",
        {
            "patient": "p_dupont",
            "role": "prevenir",
            "name": "Paul LEROY",
            "phone": "0622222222",
            "relationship": "époux",
        },
    )
    replaced, _ = apply(
        w,
        "set_contact_person",
        {
            "patient": "p_dupont",
            "role": "confiance",
            "name": "Jeanne MARTIN",
            "phone": "0633333333",
            "relationship": "mère",
        },
    )
    assert replaced["replaced"]
    with w.factory() as s:
        patient_id = w.get(Patient, "p_dupont").id
        rows = {c.role: c.name for c in s.query(ContactPerson).filter_by(patient_id=patient_id)}
    assert rows == {"confiance": "Jeanne MARTIN", "prevenir": "Paul LEROY"}


def test_contact_person_refusals(w: World) -> None:
    refused(
        w,
        "set_contact_person",
        {
            "patient": "p_petit",
            "role": "confiance",
            "name": "X",
            "phone": "1",
            "relationship": "mère",
        },
        "minor_cannot_designate",
    )
    refused(
        w,
        "set_contact_person",
        {"patient": "p_dupont", "role": "prevenir", "name": " ", "phone": "1", "relationship": "x"},
        "empty_text",
    )


def test_open_admission_refusals(w: World) -> None:
    _open(w)
    refused(
        w,
        "open_admission",
        {"patient": "p_dupont", "kind": "consultation", "date": "2026-03-02"},
        "admission_already_open",
    )
    refused(
        w,
        "open_admission",
        {"patient": "ghost", "kind": "consultation", "date": "2026-03-02"},
        "not_found",
    )
    refused(
        w,
        "open_admission",
        {
            "patient": "p_petit",
            "kind": "consultation",
            "date": "2026-03-02",
            "practitioner": "dr_x",
        },
        "not_found",
    )
