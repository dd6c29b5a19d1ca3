"""Access to the medical record: eligibility, proofs, deadlines, communication."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from test_svc_support import World, apply, build_world, refused

from simsec.db.models import AccessRequest, Patient

LATER = datetime(2026, 3, 20, 10, 0)


@pytest.fixture
def w() -> World:
    return build_world()


def _register(w: World, **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "patient": "p_dupont",
        "requester": {"kind": "patient", "name": "Marie DUPONT"},
        "received_on": "2026-03-02",
        "channel": "courrier",
        "items": "all",
        "delivery": "envoi_postal",
        **changes,
    }
    result, _ = apply(w, "register_access_request", fields)
    return result


def _complete(w: World, key: str, on: str = "2026-03-02") -> dict[str, Any]:
    apply(w, "record_request_document", {"request": key, "kind": "cni"})
    result, _ = apply(w, "mark_request_complete", {"request": key, "on": on})
    return result


def test_register_a_letter_missing_the_id(w: World) -> None:
    result = _register(w)
    assert result["status"] == "incomplete" and result["decision"] == "incomplete"
    assert result["missing"] == ["identite"]
    assert result["key"].startswith("access_request#")


def test_register_at_the_desk_needs_the_written_request(w: World) -> None:
    result = _register(w, channel="guichet")
    assert set(result["missing"]) == {"demande_ecrite", "identite"}


def test_heir_of_a_living_patient_must_be_refused(w: World) -> None:
    result = _register(
        w, requester={"kind": "ayant_droit", "name": "Paul LEROY", "motive": "causes_deces"}
    )
    assert result["decision"] == "refused" and "patient_alive" in result["reasons"]
    refused(
        w,
        "mark_request_complete",
        {"request": result["key"], "on": "2026-03-02"},
        "request_not_eligible",
    )
    done, warnings = apply(
        w, "refuse_access_request", {"request": result["key"], "motive": "Patiente vivante"}
    )
    assert done["status"] == "refusee" and not warnings
    closed, _ = apply(w, "close_access_request", {"request": result["key"]})
    assert closed["status"] == "cloturee"


def test_full_flow_with_deadlines(w: World) -> None:
    key = _register(w)["key"]
    result = _complete(w, key)
    # the most recent item (2025-11-03) is less than 5 years old: 8 days
    assert (result["earliest_on"], result["due_on"], result["long"]) == (
        "2026-03-04",
        "2026-03-10",
        False,
    )
    prepared, warnings = apply(w, "prepare_communication", {"request": key, "items": "all"})
    assert prepared["prepared"] == ["cr_2019", "cr_2025"]
    assert prepared["withheld"] == [{"key": "courrier_tiers", "reason": "third_party_information"}]
    assert warnings
    refused(
        w,
        "send_communication",
        {"request": key, "on": "2026-03-03", "mode": "envoi_postal"},
        "too_early",
        now=LATER,
    )
    sent, warnings = apply(
        w,
        "send_communication",
        {"request": key, "on": "2026-03-05", "mode": "envoi_postal"},
        now=LATER,
    )
    assert sent["status"] == "envoyee" and sent["on_time"] and not warnings
    row = w.get(AccessRequest, key)
    assert row.sent_on == date(2026, 3, 5) and row.prepared_items == ["cr_2019", "cr_2025"]
    closed, _ = apply(w, "close_access_request", {"request": key})
    assert closed["status"] == "cloturee"


def test_old_information_gives_two_months(w: World) -> None:
    key = _register(w, items=["cr_2019"])["key"]
    result = _complete(w, key)
    assert (result["due_on"], result["long"]) == ("2026-05-02", True)


def test_missing_documents_then_complete(w: World) -> None:
    key = _register(w, channel="guichet")["key"]
    asked, _ = apply(
        w, "request_missing_documents", {"request": key, "kinds": ["demande_ecrite", "cni"]}
    )
    assert asked["status"] == "incomplete" and asked["requested"] == ["demande_ecrite", "cni"]
    refused(w, "mark_request_complete", {"request": key, "on": "2026-03-02"}, "proofs_missing")
    apply(w, "record_request_document", {"request": key, "kind": "demande_ecrite"})
    result, _ = apply(w, "record_request_document", {"request": key, "kind": "cni"})
    assert result["decision"] == "allowed" and result["missing"] == []


def test_nothing_communicable_is_refused(w: World) -> None:
    key = _register(w, items=["courrier_tiers"])["key"]
    _complete(w, key)
    refused(w, "prepare_communication", {"request": key, "items": "all"}, "nothing_communicable")


def test_access_refusals(w: World) -> None:
    refused(
        w,
        "register_access_request",
        {
            "patient": "p_dupont",
            "requester": {"kind": "patient", "name": "X"},
            "received_on": "2026-04-01",
            "channel": "courrier",
            "items": "all",
            "delivery": "envoi_postal",
        },
        "date_in_future",
    )
    refused(
        w,
        "register_access_request",
        {
            "patient": "p_dupont",
            "requester": {"kind": "patient", "name": "X"},
            "received_on": "2026-03-01",
            "channel": "courrier",
            "items": ["nope"],
            "delivery": "envoi_postal",
        },
        "not_found",
    )
    key = _register(w)["key"]
    refused(w, "prepare_communication", {"request": key, "items": "all"}, "invalid_transition")
    refused(
        w,
        "send_communication",
        {"request": key, "on": "2026-03-02", "mode": "envoi_postal"},
        "invalid_transition",
    )
    refused(w, "close_access_request", {"request": key}, "invalid_transition")
    apply(w, "record_request_document", {"request": key, "kind": "cni"})
    refused(w, "mark_request_complete", {"request": key, "on": "2026-03-01"}, "date_before_receipt")
    refused(w, "mark_request_complete", {"request": key, "on": "2026-03-03"}, "date_in_future")
    apply(w, "mark_request_complete", {"request": key, "on": "2026-03-02"})
    refused(
        w, "prepare_communication", {"request": key, "items": ["cr_2019", "autre"]}, "not_found"
    )
    refused(w, "record_request_document", {"request": key, "kind": "cni"}, "request_finished")


def test_items_outside_the_request_are_refused(w: World) -> None:
    key = _register(w, items=["cr_2025"])["key"]
    _complete(w, key)
    refused(
        w, "prepare_communication", {"request": key, "items": ["cr_2019"]}, "item_not_requested"
    )


def test_deceased_patient_heir_with_proofs(w: World) -> None:
    with w.factory() as s:
        s.get_one(Patient, w.get(Patient, "p_dupont").id).deceased_on = date(2026, 2, 1)
        s.commit()
    key = _register(
        w, requester={"kind": "ayant_droit", "name": "Paul LEROY", "motive": "causes_deces"}
    )["key"]
    for kind in ("cni", "acte_deces", "acte_notoriete"):
        result, _ = apply(w, "record_request_document", {"request": key, "kind": kind})
    assert result["decision"] == "allowed" and result["limited_to_motive"]
    apply(w, "mark_request_complete", {"request": key, "on": "2026-03-02"})
    _, warnings = apply(w, "prepare_communication", {"request": key, "items": ["cr_2025"]})
    assert warnings  # only what the motive needs


def test_refusing_an_eligible_request_warns(w: World) -> None:
    key = _register(w)["key"]
    result, warnings = apply(w, "refuse_access_request", {"request": key, "motive": "Erreur"})
    assert result["status"] == "refusee" and warnings
    refused(w, "refuse_access_request", {"request": key, "motive": "encore"}, "already_in_status")
    refused(
        w, "refuse_access_request", {"request": "access_request#99", "motive": "x"}, "not_found"
    )
