"""Identity services: search, create, update, document check, INSi, flags, reports."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from test_svc_support import (
    DEMO_OID,
    DUPONT_NIR,
    World,
    apply,
    build_world,
    doc,
    refused,
    tracking,
)

from simsec.db.models import IdentityReport, InsurerRecord, Patient, PatientDocument
from simsec.rules.nir import make_nir

NEW_PATIENT: dict[str, Any] = {
    "birth_name": "Martin-Dupré",
    "first_names": ["Léa", "Anne"],
    "birth_date": "1990-07-14",
    "sex": "F",
    "birth_place": "69123",
    "phone": "06 12 34 56 78",
}


@pytest.fixture
def w() -> World:
    return build_world()


# --------------------------------------------------------------------------- search


def test_search_finds_the_patient_by_birth_date_and_name(w: World) -> None:
    result, _ = apply(w, "search_patients", {"birth_name": "dupont", "birth_date": "1985-04-12"})
    assert result["results"][0]["key"] == "p_dupont"
    assert result["count"] == len(result["results"])
    assert 0 < result["results"][0]["score"] <= 1


def test_search_by_used_name(w: World) -> None:
    result, _ = apply(w, "search_patients", {"used_name": "LEROY", "birth_date": "1985-04-12"})
    assert [r["key"] for r in result["results"]][:1] == ["p_dupont"]


# --------------------------------------------------------------------------- create


def test_create_patient_normalises_and_starts_provisoire(w: World) -> None:
    result, _ = apply(w, "create_patient", NEW_PATIENT)
    assert result["key"].startswith("patient#")
    assert result["birth_name"] == "MARTIN-DUPRE"
    assert result["first_names"] == ["LEA", "ANNE"]
    assert result["identity_status"] == "provisoire"
    assert set(result["normalised"]) == {"birth_name", "first_names"}
    row = w.get(Patient, result["key"])
    assert row.k_birth_name == "MARTINDUPRE"
    assert row.collection_method == "SM"
    assert row.phone == "06 12 34 56 78"


def test_created_keys_follow_the_database(w: World) -> None:
    first, _ = apply(w, "create_patient", NEW_PATIENT)
    second, _ = apply(w, "create_patient", {**NEW_PATIENT, "birth_name": "AUTRE"})
    assert first["key"] != second["key"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"birth_date": "2027-01-01"}, "invalid_traits"),
        ({"birth_name": "DUP0NT"}, "invalid_traits"),
        ({"birth_name": "-DUPONT"}, "invalid_traits"),
        ({"birth_place": None}, "invalid_traits"),
        ({"birth_place": "1234"}, "invalid_traits"),
        ({"nir": "290076912300799"}, "invalid_nir"),
        ({"nir": DUPONT_NIR}, "incoherent_nir"),
    ],
)
def test_create_patient_refusals(w: World, change: dict[str, Any], code: str) -> None:
    refused(w, "create_patient", {**NEW_PATIENT, **change}, code)


def test_create_with_a_coherent_nir(w: World) -> None:
    nir = make_nir("F", date(1990, 7, 14), "69123", 7)
    spaced = " ".join((nir[:1], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:]))
    result, _ = apply(w, "create_patient", {**NEW_PATIENT, "nir": spaced})
    assert result["nir"] == nir


# --------------------------------------------------------------------------- update


def _validate(w: World) -> None:
    result, _ = apply(
        w, "check_identity_document", {"patient": "p_dupont", "document": "cni_dupont"}
    )
    assert result["identity_status"] == "validee"


def test_update_complementary_trait_keeps_the_status(w: World) -> None:
    _validate(w)
    result, _ = apply(
        w,
        "update_patient",
        {"patient": "p_dupont", "set": {"phone": "0478000000", "used_name": None}},
    )
    assert result["identity_status"] == "validee"
    assert not result["downgraded"]
    assert set(result["changed"]) == {"phone", "used_name"}
    assert w.get(Patient, "p_dupont").used_name is None


def test_update_strict_trait_downgrades(w: World) -> None:
    _validate(w)
    result, warnings = apply(
        w, "update_patient", {"patient": "p_dupont", "set": {"first_names": ["MARIE"]}}
    )
    assert result["identity_status"] == "provisoire"
    assert result["downgraded"]
    assert warnings
    row = w.get(Patient, "p_dupont")
    assert row.first_names == "MARIE"
    assert row.document_checked is None


def test_update_refuses_strict_traits_of_a_retrieved_ins(w: World) -> None:
    apply(w, "call_insi", {"patient": "p_dupont", "mode": "traits"})
    refused(
        w,
        "update_patient",
        {"patient": "p_dupont", "set": {"birth_name": "DUPOND"}},
        "ins_traits_locked",
    )
    # a used name is not an INS trait
    result, _ = apply(
        w, "update_patient", {"patient": "p_dupont", "set": {"used_name": "LEROY-MARTIN"}}
    )
    assert result["identity_status"] == "recuperee"


def test_update_refusals(w: World) -> None:
    refused(
        w,
        "update_patient",
        {"patient": "p_dupont", "set": {"birth_date": "2030-01-01"}},
        "invalid_traits",
    )
    refused(w, "update_patient", {"patient": "nobody", "set": {"phone": "1"}}, "not_found")
    refused(
        w,
        "update_patient",
        {"patient": "p_dupont", "set": {"nir": make_nir("M", date(1985, 4, 12), "75056", 42)}},
        "incoherent_nir",
    )


# --------------------------------------------------------------------------- documents


def test_check_cni_validates(w: World) -> None:
    result, warnings = apply(
        w, "check_identity_document", {"patient": "p_dupont", "document": "cni_dupont"}
    )
    assert result["consistent"] and result["accepted"] and result["validated"]
    assert result["identity_status"] == "validee"
    assert result["status_before"] == "provisoire"
    assert result["trust"] == "high"
    assert result["validation_mode"] == "CN"
    assert result["mrz"]["ok"] and len(result["mrz"]["lines"]) == 3
    place = next(d for d in result["differences"] if d["trait"] == "birth_place")
    assert place["kind"] == "not_compared"
    row = w.get(Patient, "p_dupont")
    assert row.document_checked == "cni"
    assert not warnings


def test_check_driving_licence_does_not_validate(w: World) -> None:
    result, warnings = apply(
        w, "check_identity_document", {"patient": "p_dupont", "document": "permis_dupont"}
    )
    assert result["trust"] == "insufficient"
    assert not result["validated"]
    assert result["identity_status"] == "provisoire"
    assert warnings
    # MARIE alone against MARIE CLAIRE: the record has more first names than the licence
    assert not result["consistent"]


def test_check_bad_mrz_is_a_finding(w: World) -> None:
    bad = doc(
        "cni_fausse",
        "cni",
        birth_name="DUPONT",
        first_names=["MARIE", "CLAIRE"],
        birth_date="1985-04-12",
        sex="F",
        number="X4RTBPFW4",
        issued="2022-01-01",
        expires="2032-01-01",
        mrz="bad_check_digit",
    )
    w.stage.add("v_autre", patient="p_dupont", documents=[bad])
    result, warnings = apply(
        w, "check_identity_document", {"patient": "p_dupont", "document": "cni_fausse"}
    )
    assert result["consistent"] and not result["accepted"] and not result["validated"]
    assert not result["mrz"]["ok"] and result["mrz"]["bad_checks"] == ["composite"]
    assert any(f["code"] == "mrz_invalid" for f in result["findings"])
    assert w.get(Patient, "p_dupont").identity_status == "provisoire"
    assert warnings


def test_check_inconsistent_document(w: World) -> None:
    other = doc(
        "cni_autre",
        "cni",
        birth_name="DURAND",
        first_names=["MARIE", "CLAIRE"],
        birth_date="1985-12-04",
        sex="F",
        expires="2031-01-01",
    )
    w.stage.add("v_autre", documents=[other])
    result, warnings = apply(
        w, "check_identity_document", {"patient": "p_dupont", "document": "cni_autre"}
    )
    assert not result["consistent"]
    kinds = {d["trait"]: d["kind"] for d in result["differences"]}
    assert kinds["birth_date"] == "day_month_swapped"
    assert kinds["birth_name"] == "different"
    assert w.get(Patient, "p_dupont").identity_status == "provisoire"
    assert warnings


def test_check_expired_beyond_tolerance(w: World) -> None:
    old = doc(
        "cni_vieille",
        "cni",
        birth_name="DUPONT",
        first_names=["MARIE", "CLAIRE"],
        birth_date="1985-04-12",
        sex="F",
        issued="2001-01-01",
        expires="2011-01-01",
    )
    w.stage.add("v_autre", patient="p_dupont", documents=[old])
    result, _ = apply(
        w, "check_identity_document", {"patient": "p_dupont", "document": "cni_vieille"}
    )
    assert result["validity"]["status"] == "expired_too_long"
    assert not result["validated"]


def test_check_document_refusals(w: World) -> None:
    refused(
        w,
        "check_identity_document",
        {"patient": "p_dupont", "document": "secret"},
        "document_not_presented",
    )
    refused(
        w,
        "check_identity_document",
        {"patient": "p_dupont", "document": "nope"},
        "document_not_presented",
    )
    w.stage.here.discard("v_dupont")
    refused(
        w,
        "check_identity_document",
        {"patient": "p_dupont", "document": "cni_dupont"},
        "document_not_presented",
    )


def test_minor_validated_with_birth_record_and_parent_id(w: World) -> None:
    livret = doc("livret", "livret_famille", members=["PETIT LUCAS"])
    cni_parent = doc(
        "cni_parent",
        "cni",
        birth_name="PETIT",
        first_names=["JULIE"],
        birth_date="1988-02-02",
        sex="F",
        expires="2030-01-01",
    )
    w.stage.add("v_mere", role="parent", documents=[livret, cni_parent])
    result, _ = apply(w, "check_identity_document", {"patient": "p_petit", "document": "livret"})
    assert result["accepted"] and result["validated"]
    assert result["validation_mode"] == "LE"
    assert result["identity_status"] == "validee"


# --------------------------------------------------------------------------- INSi


def test_insi_traits_found_and_applied(w: World) -> None:
    result, _ = apply(w, "call_insi", {"patient": "p_dupont", "mode": "traits"})
    assert result["found"] == 1
    assert result["accepted"]
    assert result["ins"] == DUPONT_NIR and result["oid"] == DEMO_OID
    assert result["traits"]["first_names"] == ["MARIE-CLAIRE"]
    assert [d["kind"] for d in result["differences"]] == ["compound_first_name"]
    assert result["identity_status"] == "recuperee"
    row = w.get(Patient, "p_dupont")
    assert row.first_names == "MARIE-CLAIRE"
    assert row.k_first_names == "MARIECLAIRE"
    assert row.ins == DUPONT_NIR and row.ins_retrieved and row.collection_method == "INSi"


def test_document_then_insi_gives_qualifiee(w: World) -> None:
    _validate(w)
    result, _ = apply(w, "call_insi", {"patient": "p_dupont", "mode": "traits"})
    assert result["identity_status"] == "qualifiee"
    # and the document still matches the INS traits afterwards
    again, _ = apply(
        w, "check_identity_document", {"patient": "p_dupont", "document": "cni_dupont"}
    )
    assert again["consistent"] and again["identity_status"] == "qualifiee"


def test_insi_many_without_birth_place(w: World) -> None:
    created, _ = apply(
        w,
        "create_patient",
        {
            "birth_name": "DUPONT",
            "first_names": ["MARIE"],
            "birth_date": "1985-04-12",
            "sex": "F",
            "birth_place": "99100",
        },
    )
    with w.factory() as s:
        s.get_one(Patient, w.get(Patient, created["key"]).id).birth_place = None  # unknown place
        s.commit()
    result, warnings = apply(w, "call_insi", {"patient": created["key"], "mode": "traits"})
    assert result["found"] == "many" and result["count"] == 2
    assert not result["accepted"] and warnings


def test_insi_not_found(w: World) -> None:
    result, _ = apply(w, "call_insi", {"patient": "p_petit", "mode": "traits"})
    assert result["found"] == 0
    assert w.get(Patient, "p_petit").ins is None


def test_insi_refuses_an_ins_held_by_another_record(w: World) -> None:
    apply(w, "call_insi", {"patient": "p_dupont", "mode": "traits"})
    twin, _ = apply(
        w,
        "create_patient",
        {
            "birth_name": "DUPONT",
            "first_names": ["MARIE", "CLAIRE"],
            "birth_date": "1985-04-12",
            "sex": "F",
            "birth_place": "75056",
        },
    )
    result, warnings = apply(w, "call_insi", {"patient": twin["key"], "mode": "traits"})
    assert result["found"] == 1 and not result["accepted"]
    assert result["ins_elsewhere"] == ["p_dupont"]
    assert w.get(Patient, twin["key"]).ins is None
    assert warnings


def test_insi_vitale_with_different_traits_is_not_accepted(w: World) -> None:
    wrong, _ = apply(
        w,
        "create_patient",
        {
            "birth_name": "LEROY",
            "first_names": ["MARIE", "CLAIRE"],
            "birth_date": "1985-04-12",
            "sex": "F",
            "birth_place": "75056",
        },
    )
    with w.factory() as s:
        s.add(
            InsurerRecord(
                key="ins_rec_wrong",
                patient_key=wrong["key"],
                nir=DUPONT_NIR,
                card_holder_key=wrong["key"],
            )
        )
        s.commit()
    result, warnings = apply(w, "call_insi", {"patient": wrong["key"], "mode": "vitale"})
    assert result["found"] == 1 and not result["accepted"]
    assert {d["trait"]: d["kind"] for d in result["differences"]}["birth_name"] == "different"
    assert result["identity_status"] == "provisoire"
    assert warnings


def test_insi_vitale_accepted(w: World) -> None:
    result, _ = apply(w, "call_insi", {"patient": "p_dupont", "mode": "vitale"})
    assert result["found"] == 1 and result["accepted"]


def test_insi_refusals(w: World) -> None:
    w.stage.services["insi"] = "unavailable"
    refused(w, "call_insi", {"patient": "p_dupont", "mode": "traits"}, "insi_unavailable")
    w.stage.services["insi"] = "available"
    created, _ = apply(w, "create_patient", NEW_PATIENT)
    refused(w, "call_insi", {"patient": created["key"], "mode": "vitale"}, "no_vitale")


def test_insi_blocked_by_douteuse(w: World) -> None:
    apply(w, "flag_identity", {"patient": "p_dupont", "attribute": "douteuse", "on": True})
    result, warnings = apply(w, "call_insi", {"patient": "p_dupont", "mode": "traits"})
    assert result["found"] == 1 and not result["accepted"]
    assert w.get(Patient, "p_dupont").ins is None
    assert warnings


# --------------------------------------------------------------------------- flags, reports


def test_flag_douteuse_forces_provisoire(w: World) -> None:
    _validate(w)
    result, warnings = apply(
        w, "flag_identity", {"patient": "p_dupont", "attribute": "douteuse", "on": True}
    )
    assert result["identity_status"] == "provisoire" and result["status_before"] == "validee"
    assert warnings
    row = w.get(Patient, "p_dupont")
    assert row.douteuse and row.document_checked is None
    refused(
        w,
        "flag_identity",
        {"patient": "p_dupont", "attribute": "douteuse", "on": True},
        "flag_already_set",
    )
    cleared, _ = apply(
        w, "flag_identity", {"patient": "p_dupont", "attribute": "douteuse", "on": False}
    )
    assert cleared["identity_status"] == "provisoire"
    refused(
        w,
        "flag_identity",
        {"patient": "p_dupont", "attribute": "fictive", "on": False},
        "flag_not_set",
    )


def test_fictive_identity_is_never_validated(w: World) -> None:
    apply(w, "flag_identity", {"patient": "p_dupont", "attribute": "fictive", "on": True})
    result, _ = apply(
        w, "check_identity_document", {"patient": "p_dupont", "document": "cni_dupont"}
    )
    assert not result["validated"] and result["identity_status"] == "provisoire"


def test_report_identity_issue(w: World) -> None:
    result, _ = apply(
        w,
        "report_identity_issue",
        {"patients": ["p_dupont", "p_petit"], "kind": "doublon", "note": "même personne ?"},
    )
    report = w.get(IdentityReport, result["key"])
    assert report.patients == ["p_dupont", "p_petit"] and report.kind == "doublon"
    refused(
        w,
        "report_identity_issue",
        {"patients": ["p_dupont", "p_dupont"], "kind": "doublon"},
        "same_patient",
    )
    refused(
        w,
        "report_identity_issue",
        {"patients": ["p_dupont", "ghost"], "kind": "collision"},
        "not_found",
    )


def test_attach_document(w: World) -> None:
    result, _ = apply(w, "attach_document", {"patient": "p_dupont", "document": "cni_dupont"})
    attached = w.get(PatientDocument, result["key"])
    assert attached.kind == "cni" and attached.fields["number"] == "X4RTBPFW4"
    refused(
        w, "attach_document", {"patient": "p_dupont", "document": "cni_dupont"}, "already_attached"
    )
    refused(
        w,
        "attach_document",
        {"patient": "p_dupont", "document": "secret"},
        "document_not_presented",
    )


def test_identity_card_of_a_state_outside_the_list_does_not_validate(w: World) -> None:
    cni = doc(
        "cni_usa",
        "cni",
        birth_name="DUPONT",
        first_names=["MARIE", "CLAIRE"],
        birth_date="1985-04-12",
        sex="F",
        nationality="USA",
        expires="2030-01-01",
    )
    w.stage.add("v_autre", patient="p_dupont", documents=[cni])
    result, _ = apply(w, "check_identity_document", {"patient": "p_dupont", "document": "cni_usa"})
    assert result["trust"] == "insufficient" and not result["validated"]
    assert any(f["code"] == "state_not_accepted" for f in result["findings"])


# --------------------------------------------------------------------------- regressions
# Found while writing the shipped scenarios.


SMITH: dict[str, Any] = {
    "birth_name": "SMITH",
    "first_names": ["JOHN"],
    "birth_date": "1990-09-09",
    "sex": "M",
    "birth_place": "99136",
}


def _cni_smith(**changes: Any) -> Any:
    fields: dict[str, Any] = {
        "birth_name": "SMITH",
        "first_names": ["JOHN"],
        "birth_date": "1990-09-09",
        "sex": "M",
        "nationality": "IRL",
        "country": "IRL",
        "number": "IE1234567",
        "issued": "2022-01-01",
        "expires": "2032-01-01",
        "mrz": "valid",
        **changes,
    }
    return doc("cni_smith", "cni", **fields)


def test_a_patient_created_in_the_run_is_validated_on_their_own_document(w: World) -> None:
    # a visitor who comes as a patient and has no record yet (no ``patient:`` key)
    w.stage.add("v_smith", role="patient", documents=[_cni_smith()])
    created, _ = apply(w, "create_patient", SMITH)
    key = created["key"]
    assert key.startswith("patient#")
    result, warnings = apply(
        w, "check_identity_document", {"patient": key, "document": "cni_smith"}
    )
    assert result["consistent"] and result["accepted"] and result["validated"]
    assert result["identity_status"] == "validee" and result["validation_mode"] == "CN"
    assert w.get(Patient, key).document_checked == "cni"
    assert not warnings


def test_a_new_visitors_document_is_still_compared_with_the_record(w: World) -> None:
    w.stage.add("v_smith", role="patient", documents=[_cni_smith(birth_date="1990-09-19")])
    created, _ = apply(w, "create_patient", SMITH)
    result, warnings = apply(
        w, "check_identity_document", {"patient": created["key"], "document": "cni_smith"}
    )
    assert not result["consistent"] and not result["validated"]
    assert result["identity_status"] == "provisoire"
    assert warnings
    # nor does it validate someone else's record
    other, _ = apply(w, "check_identity_document", {"patient": "p_dupont", "document": "cni_smith"})
    assert not other["consistent"] and not other["validated"]


def test_the_document_of_a_known_patients_visitor_does_not_validate_a_new_record(w: World) -> None:
    # v_dupont is p_dupont: her CNI does not prove the identity of a doublon created for her
    created, _ = apply(
        w,
        "create_patient",
        {
            "birth_name": "DUPONT",
            "first_names": ["MARIE", "CLAIRE"],
            "birth_date": "1985-04-12",
            "sex": "F",
            "birth_place": "75056",
        },
    )
    result, _ = apply(
        w, "check_identity_document", {"patient": created["key"], "document": "cni_dupont"}
    )
    assert result["consistent"] and not result["accepted"] and not result["validated"]
    assert any(f["code"] == "not_the_patients_document" for f in result["findings"])


def _family(w: World, *, cni_shown: str = "on_request") -> None:
    """Lucas PETIT's mother, with the livret de famille, her CNI and her carte Vitale."""
    livret = doc("livret", "livret_famille", members=["Julie PETIT", "Lucas PETIT"])
    cni_mere = doc(
        "cni_mere",
        "cni",
        cni_shown,
        birth_name="PETIT",
        first_names=["JULIE"],
        birth_date="1988-02-02",
        sex="F",
        expires="2030-01-01",
    )
    vitale = doc("vitale_mere", "carte_vitale", beneficiaries=["p_petit"])
    w.stage.add("v_mere", role="parent", documents=[livret, cni_mere, vitale])


@pytest.mark.parametrize("document", ["vitale_mere", "permis_mere"])
def test_a_minor_is_not_validated_by_a_document_that_is_no_identity_device(
    w: World, document: str
) -> None:
    _family(w)
    w.stage.people["v_mere"] = replace(
        w.stage.people["v_mere"],
        documents=(
            *w.stage.people["v_mere"].documents,
            doc("permis_mere", "permis_conduire", birth_name="PETIT", first_names=["LUCAS"]),
        ),
    )
    result, warnings = apply(
        w, "check_identity_document", {"patient": "p_petit", "document": document}
    )
    assert not result["accepted"] and not result["validated"]
    assert result["validation_mode"] is None
    assert any(f["code"] == "insufficient_trust" for f in result["findings"])
    assert w.get(Patient, "p_petit").identity_status == "provisoire"
    assert warnings


def test_the_minor_rule_counts_only_the_documents_handed_over(w: World) -> None:
    _family(w)
    stage = tracking(w)
    check = {"patient": "p_petit", "document": "livret"}
    refused(w, "check_identity_document", check, "document_not_requested")
    stage.request("v_mere", "livret_famille")
    alone, warnings = apply(w, "check_identity_document", check)
    assert not alone["accepted"] and alone["identity_status"] == "provisoire"
    assert any(f["code"] == "needs_parent_document" for f in alone["findings"])
    assert warnings
    refused(
        w,
        "check_identity_document",
        {"patient": "p_petit", "document": "cni_mere"},
        "document_not_requested",
    )
    stage.request("v_mere", "cni")
    together, _ = apply(w, "check_identity_document", check)
    assert together["accepted"] and together["validated"]
    assert together["validation_mode"] == "LE" and together["identity_status"] == "validee"


def test_a_parents_document_shown_on_arrival_counts_for_the_minor_rule(w: World) -> None:
    _family(w, cni_shown="on_arrival")
    stage = tracking(w)
    stage.request("v_mere", "livret_famille")
    result, _ = apply(w, "check_identity_document", {"patient": "p_petit", "document": "livret"})
    assert result["validated"] and result["validation_mode"] == "LE"


def test_a_document_shown_on_request_is_asked_for_before_it_is_used(w: World) -> None:
    stage = tracking(w)
    error = refused(
        w,
        "check_identity_document",
        {"patient": "p_dupont", "document": "cni_dupont"},
        "document_not_requested",
    )
    assert "cni_dupont" in error.message and "Demander un document" in error.message
    refused(
        w,
        "attach_document",
        {"patient": "p_dupont", "document": "cni_dupont"},
        "document_not_requested",
    )
    # a document shown on arrival needs no request
    apply(w, "read_vitale", {"patient": "p_dupont", "document": "vitale_dupont"})
    stage.request("v_dupont", "cni")
    result, _ = apply(
        w, "check_identity_document", {"patient": "p_dupont", "document": "cni_dupont"}
    )
    assert result["validated"]
    apply(w, "attach_document", {"patient": "p_dupont", "document": "cni_dupont"})
    # a document never shown stays refused, asked for or not
    stage.request("v_dupont", "passeport")
    refused(
        w,
        "check_identity_document",
        {"patient": "p_dupont", "document": "secret"},
        "document_not_presented",
    )


def test_medecin_traitant_is_set_on_creation_and_by_an_update(w: World) -> None:
    created, _ = apply(w, "create_patient", {**SMITH, "medecin_traitant": " dr_martin "})
    key = created["key"]
    assert w.get(Patient, key).medecin_traitant == "dr_martin"
    changed, _ = apply(
        w, "update_patient", {"patient": key, "set": {"medecin_traitant": "Dr DURAND, Lyon"}}
    )
    assert changed["changed"] == ["medecin_traitant"] and not changed["downgraded"]
    assert w.get(Patient, key).medecin_traitant == "Dr DURAND, Lyon"
    cleared, _ = apply(w, "update_patient", {"patient": key, "set": {"medecin_traitant": None}})
    assert cleared["changed"] == ["medecin_traitant"]
    assert w.get(Patient, key).medecin_traitant is None
    same, _ = apply(w, "update_patient", {"patient": key, "set": {"medecin_traitant": None}})
    assert same["changed"] == []
