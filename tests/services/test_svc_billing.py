"""Coverage and billing services: carte Vitale, ADRi, coverage, fee split, payments.

The amounts are the worked examples of couverture.md (G = 30.00 €, secteur 1).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete
from test_svc_support import DUPONT_NIR, World, apply, build_world, doc, refused

from simsec.db.models import Appointment, InsurerRecord, Invoice, Patient

GP_VISIT = {"appointment": "rdv1", "acts": ["G"]}


@pytest.fixture
def w() -> World:
    return build_world()


def _set(w: World, key: str, **values: Any) -> None:
    with w.factory() as s:
        patient = s.get_one(Patient, w.get(Patient, key).id)
        for name, value in values.items():
            if name.startswith(("amo_", "amc_", "c2s", "ame")):
                setattr(patient.coverage, name, value)
            else:
                setattr(patient, name, value)
        s.commit()


# --------------------------------------------------------------------------- coverage


def test_read_vitale_lists_the_beneficiaries(w: World) -> None:
    result, warnings = apply(w, "read_vitale", {"patient": "p_dupont", "document": "vitale_dupont"})
    assert result["holder"] == "p_dupont"
    assert [b["key"] for b in result["beneficiaries"]] == ["p_dupont", "p_petit"]
    assert result["patient_on_card"]
    assert result["amo"]["exemption"] == "ald" and result["rights"] == "open"
    assert set(result["differences"]) == {"rights_from", "rights_until", "exemption"}
    assert warnings
    # reading the card does not change the local record
    with w.factory() as s:
        coverage = s.get_one(Patient, w.get(Patient, "p_dupont").id).coverage
        assert coverage is not None and coverage.amo_exemption == "none"


def test_read_vitale_for_a_child_on_the_parents_card(w: World) -> None:
    result, _ = apply(w, "read_vitale", {"patient": "p_petit", "document": "vitale_dupont"})
    assert result["patient_on_card"] and result["amo"]["regime"] == "general"


def test_read_vitale_refuses_another_document(w: World) -> None:
    refused(
        w, "read_vitale", {"patient": "p_dupont", "document": "cni_dupont"}, "document_wrong_kind"
    )


def test_check_rights(w: World) -> None:
    result, _ = apply(w, "check_rights", {"patient": "p_dupont"})
    assert result["found"] and result["rights"] == "open"
    assert result["amo"]["rights_until"] == "2027-01-31"
    created, _ = apply(
        w,
        "create_patient",
        {
            "birth_name": "NEUF",
            "first_names": ["JEAN"],
            "birth_date": "1970-01-01",
            "sex": "M",
            "birth_place": "75056",
        },
    )
    unknown, warnings = apply(w, "check_rights", {"patient": created["key"]})
    assert not unknown["found"] and unknown["rights"] == "missing" and warnings


def test_check_rights_unavailable(w: World) -> None:
    w.stage.services["adri"] = "unavailable"
    refused(w, "check_rights", {"patient": "p_dupont"}, "adri_unavailable")


def test_set_coverage_then_no_difference(w: World) -> None:
    amo = {
        "regime": "general",
        "caisse": "CPAM du Rhône",
        "rights_from": "2026-01-01",
        "rights_until": "2027-01-31",
        "exemption": "ald",
    }
    result, _ = apply(w, "set_coverage", {"patient": "p_dupont", "amo": amo})
    assert result["amo"]["exemption"] == "ald"
    assert result["amc"]["organisme"] == "Mutuelle des Tilleuls"  # untouched
    checked, _ = apply(w, "check_rights", {"patient": "p_dupont"})
    assert checked["differences"] == []


def test_set_coverage_creates_the_record(w: World) -> None:
    result, _ = apply(
        w,
        "set_coverage",
        {
            "patient": "p_petit",
            "amc": {"organisme": "Mutuelle X", "valid_until": "2026-12-31", "tiers_payant": True},
        },
    )
    assert result["amo"] is None and result["amc"]["tiers_payant"]


def test_set_coverage_refusals(w: World) -> None:
    refused(w, "set_coverage", {"patient": "p_dupont"}, "nothing_to_set")
    refused(
        w,
        "set_coverage",
        {"patient": "p_dupont", "amo": {"rights_from": "2026-02-01", "rights_until": "2026-01-01"}},
        "invalid_period",
    )


# --------------------------------------------------------------------------- billing


def _bill(w: World, tiers_payant: str, **fields: Any) -> dict[str, Any]:
    result, _ = apply(w, "bill", {**GP_VISIT, "tiers_payant": tiers_payant, **fields})
    return result


def test_bill_example_1_parcours_with_mutuelle(w: World) -> None:
    apply(w, "mark_arrived", {"appointment": "rdv1"})
    result = _bill(w, "amo_amc")
    assert (result["total"], result["amo_part"], result["amc_part"]) == ("30.00", "19.00", "9.00")
    assert (result["participation"], result["patient_part"], result["due_at_desk"]) == (
        "2.00",
        "2.00",
        "0.00",
    )
    invoice = w.get(Invoice, result["key"])
    assert invoice.amo_part == Decimal("19.00") and invoice.paid == Decimal("0.00")
    assert {line["code"]: line["amount"] for line in invoice.split["lines"]}["amc"] == "9.00"


def test_bill_example_3_outside_the_parcours(w: World) -> None:
    _set(w, "p_dupont", medecin_traitant=None)
    result = _bill(w, "amo_amc")
    assert (result["amo_part"], result["amc_part"], result["patient_part"]) == (
        "7.00",
        "9.00",
        "14.00",
    )
    assert result["due_at_desk"] == "12.00"
    assert result["split"]["parcours"] == "out"


def test_bill_example_4_ald(w: World) -> None:
    _set(w, "p_dupont", amo_exemption="ald", amc_organisme=None)
    result = _bill(w, "amo")
    assert (result["amo_part"], result["amc_part"], result["patient_part"]) == (
        "28.00",
        "0.00",
        "2.00",
    )
    assert result["due_at_desk"] == "0.00"


def test_bill_c2s_without_tiers_payant_warns(w: World) -> None:
    _set(w, "p_dupont", c2s=True)
    result, warnings = apply(w, "bill", {**GP_VISIT, "tiers_payant": "none"})
    assert (result["amo_part"], result["amc_part"], result["patient_part"]) == (
        "21.00",
        "9.00",
        "0.00",
    )
    assert any("tiers payant" in message for message in warnings)


def test_bill_refusals(w: World) -> None:
    refused(w, "bill", {**GP_VISIT, "acts": ["XYZ"], "tiers_payant": "none"}, "unknown_act")
    _set(w, "p_dupont", amc_tiers_payant=False)
    refused(w, "bill", {**GP_VISIT, "tiers_payant": "amo_amc"}, "tiers_payant_not_allowed")
    _set(w, "p_dupont", amo_rights_until=datetime(2026, 1, 31).date())
    refused(w, "bill", {**GP_VISIT, "tiers_payant": "amo"}, "rights_not_open")
    _bill(w, "none")
    refused(w, "bill", {**GP_VISIT, "tiers_payant": "none"}, "already_billed")
    refused(w, "bill", {"appointment": "ghost", "acts": ["G"], "tiers_payant": "none"}, "not_found")


def test_bill_cancelled_appointment_refused(w: World) -> None:
    apply(w, "cancel_appointment", {"appointment": "rdv1", "by": "patient", "reason": "malade"})
    refused(w, "bill", {**GP_VISIT, "tiers_payant": "none"}, "appointment_not_billable")


def test_bill_an_admission_counts_the_participations_of_the_year(w: World) -> None:
    first = _bill(w, "amo_amc")
    admission, _ = apply(
        w, "open_admission", {"patient": "p_dupont", "kind": "urgence", "date": "2026-03-02"}
    )
    second, _ = apply(
        w, "bill", {"admission": admission["key"], "acts": ["G"], "tiers_payant": "amo_amc"}
    )
    assert first["participation"] == second["participation"] == "2.00"
    assert second["split"]["parcours"] == "emergency"
    with w.factory() as s:
        assert s.get_one(Appointment, w.get(Appointment, "rdv1").id).status == "booked"


# --------------------------------------------------------------------------- payments


def test_record_payment(w: World) -> None:
    _set(w, "p_dupont", medecin_traitant=None)
    invoice = _bill(w, "amo_amc")["key"]  # 12.00 due at the desk
    result, _ = apply(w, "record_payment", {"invoice": invoice, "amount": "5.00", "method": "cb"})
    assert (result["paid"], result["remaining"], result["settled"]) == ("5.00", "7.00", False)
    refused(
        w,
        "record_payment",
        {"invoice": invoice, "amount": "8.00", "method": "especes"},
        "overpayment",
    )
    refused(
        w,
        "record_payment",
        {"invoice": invoice, "amount": "0", "method": "especes"},
        "invalid_amount",
    )
    result, _ = apply(
        w, "record_payment", {"invoice": invoice, "amount": "7.00", "method": "cheque"}
    )
    assert result["settled"] and result["remaining"] == "0.00"
    assert w.get(Invoice, invoice).paid == Decimal("12.00")


def test_record_payment_unknown_invoice(w: World) -> None:
    refused(
        w,
        "record_payment",
        {"invoice": "invoice#99", "amount": "1.00", "method": "cb"},
        "not_found",
    )


# --------------------------------------------------------------------------- regressions
# Found while writing the shipped scenarios.

SMITH_NIR = "190099913600185"  # a man born in September 1990 in Ireland (99136)


def _insured_person(w: World, **values: Any) -> None:
    """The insurer knows a visitor by their NIR only: no patient record names them."""
    fields: dict[str, Any] = {
        "key": "insurer#v_smith",
        "patient_key": None,
        "nir": SMITH_NIR,
        "card_holder_key": "v_smith",
        "amo_regime": "general",
        "amo_caisse": "CPAM du Rhône",
        "rights_from": date(2026, 1, 1),
        "rights_until": date(2026, 12, 31),
        "exemption": "none",
        **values,
    }
    with w.factory() as s:
        s.add(InsurerRecord(**fields))
        s.commit()
    w.stage.add("v_smith", documents=[doc("vitale_smith", "carte_vitale", "on_arrival")])


def _smith(w: World, **fields: Any) -> str:
    created, _ = apply(
        w,
        "create_patient",
        {
            "birth_name": "SMITH",
            "first_names": ["JOHN"],
            "birth_date": "1990-09-09",
            "sex": "M",
            "birth_place": "99136",
            **fields,
        },
    )
    return str(created["key"])


def test_rights_of_a_patient_created_in_the_run_are_found_by_their_nir(w: World) -> None:
    _insured_person(w)
    key = _smith(w, nir=SMITH_NIR)
    rights, _ = apply(w, "check_rights", {"patient": key})
    assert rights["found"] and rights["rights"] == "open"
    assert rights["amo"]["caisse"] == "CPAM du Rhône"
    assert rights["differences"]  # nothing recorded locally yet
    card, _ = apply(w, "read_vitale", {"patient": key, "document": "vitale_smith"})
    assert card["patient_on_card"] and card["holder"] == "v_smith"
    assert card["amo"]["rights_until"] == "2026-12-31"
    # without a NIR, the insurer does not know the record
    other = _smith(w, first_names=["JOHN", "PAUL"])
    unknown, _ = apply(w, "check_rights", {"patient": other})
    assert not unknown["found"]


def test_rights_are_found_by_the_ins(w: World) -> None:
    _insured_person(w, nir=DUPONT_NIR)
    with w.factory() as s:  # p_dupont's own insurer record is gone: only the number links
        s.execute(delete(InsurerRecord).where(InsurerRecord.patient_key == "p_dupont"))
        s.commit()
    _set(w, "p_dupont", nir=None)
    unknown, _ = apply(w, "check_rights", {"patient": "p_dupont"})
    assert not unknown["found"]
    apply(w, "call_insi", {"patient": "p_dupont", "mode": "traits"})  # takes the INS
    rights, _ = apply(w, "check_rights", {"patient": "p_dupont"})
    assert rights["found"] and rights["amo"]["caisse"] == "CPAM du Rhône"


def test_a_record_named_by_key_comes_before_one_found_by_number(w: World) -> None:
    _insured_person(w, nir=DUPONT_NIR, amo_caisse="CPAM de Paris")
    rights, _ = apply(w, "check_rights", {"patient": "p_dupont"})
    assert rights["amo"]["caisse"] == "CPAM du Rhône"


CEAM: dict[str, Any] = {"regime": "ceam", "rights_from": "2024-01-01", "rights_until": "2029-01-01"}


def test_set_coverage_records_a_ceam(w: World) -> None:
    result, _ = apply(w, "set_coverage", {"patient": "p_dupont", "amo": CEAM})
    assert result["amo"]["regime"] == "ceam" and result["amo"]["ceam"] is True
    with w.factory() as s:
        coverage = s.get_one(Patient, w.get(Patient, "p_dupont").id).coverage
        assert coverage is not None and coverage.ceam and coverage.amo_regime == "ceam"
    back, _ = apply(w, "set_coverage", {"patient": "p_dupont", "amo": {"regime": "general"}})
    assert back["amo"]["ceam"] is False


def test_a_ceam_holder_on_a_stay_is_billed_like_a_local_insured_person(w: World) -> None:
    # no médecin traitant in France: no out-of-parcours majoration for a CEAM holder
    _set(w, "p_dupont", medecin_traitant=None, amc_organisme=None)
    apply(w, "set_coverage", {"patient": "p_dupont", "amo": CEAM})
    result = _bill(w, "amo")
    assert result["split"]["parcours"] == "away_from_home"
    assert result["split"]["amo_rate"] == "0.70"
    assert (result["amo_part"], result["participation"], result["patient_part"]) == (
        "19.00",
        "2.00",
        "11.00",
    )
    assert "out_of_parcours_majoration" not in result["split"]["notes"]


def test_the_same_patient_without_ceam_is_outside_the_parcours(w: World) -> None:
    _set(w, "p_dupont", medecin_traitant=None, amc_organisme=None)
    result = _bill(w, "amo")
    assert result["split"]["parcours"] == "out"
    assert (result["amo_part"], result["patient_part"]) == ("7.00", "23.00")


def test_the_medecin_traitant_set_by_an_action_puts_the_bill_in_the_parcours(w: World) -> None:
    _set(w, "p_dupont", medecin_traitant=None, amc_organisme=None)
    apply(w, "update_patient", {"patient": "p_dupont", "set": {"medecin_traitant": "dr_martin"}})
    result = _bill(w, "amo")
    assert result["split"]["parcours"] == "in"
    assert (result["amo_part"], result["patient_part"]) == ("19.00", "11.00")
