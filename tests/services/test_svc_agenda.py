"""Agenda services: slots, booking (never twice), moving, cancelling, arrivals, absences,
waiting list and meetings. Dr Martin: Monday 08:30-12:00 and 14:00-18:00, C = 20 min;
Dr Durand: Monday 09:00-12:00, C = 15 min; rdv1: Mme Dupont with Dr Martin at 09:00."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from test_svc_support import World, apply, build_world, refused

from simsec.db.models import Absence, Appointment, Meeting, Practitioner
from simsec.services.base import RuleError


@pytest.fixture
def w() -> World:
    return build_world()


def _book(w: World, start: str, **fields: Any) -> dict[str, Any]:
    values = {
        "patient": "p_petit",
        "practitioner": "dr_martin",
        "type": "C",
        "start": start,
        **fields,
    }
    result, _ = apply(w, "book_appointment", values)
    return result


# --------------------------------------------------------------------------- slots


def test_find_slots_for_one_practitioner(w: World) -> None:
    result, _ = apply(w, "find_slots", {"type": "C", "practitioner": "dr_martin"})
    starts = [slot["start"][11:] for slot in result["slots"]]
    assert starts == ["09:20", "09:40", "10:00", "10:20", "10:40"]
    assert result["count"] == 5
    assert {slot["practitioner"] for slot in result["slots"]} == {"dr_martin"}


def test_find_slots_for_every_practitioner_offering_the_type(w: World) -> None:
    result, _ = apply(w, "find_slots", {"type": "C", "count": 4})
    assert [(s["start"][11:], s["practitioner"]) for s in result["slots"]] == [
        ("09:00", "dr_durand"),
        ("09:15", "dr_durand"),
        ("09:20", "dr_martin"),
        ("09:30", "dr_durand"),
    ]


def test_find_slots_between_bounds(w: World) -> None:
    result, _ = apply(
        w, "find_slots", {"type": "C1", "after": "2026-03-02T14:00", "before": "2026-03-02T15:00"}
    )
    assert [s["start"] for s in result["slots"]] == ["2026-03-02T14:00", "2026-03-02T14:30"]


def test_find_slots_refusals(w: World) -> None:
    refused(w, "find_slots", {"type": "C1", "practitioner": "dr_durand"}, "unknown_type")
    refused(w, "find_slots", {"type": "IRM"}, "unknown_type")
    refused(w, "find_slots", {"type": "C", "practitioner": "dr_nobody"}, "not_found")


# --------------------------------------------------------------------------- booking


def test_book_appointment(w: World) -> None:
    result = _book(w, "2026-03-02T09:20", reason="fièvre")
    assert (result["start"], result["end"], result["status"]) == (
        "2026-03-02T09:20",
        "2026-03-02T09:40",
        "booked",
    )
    row = w.get(Appointment, result["key"])
    assert row.reason == "fièvre" and row.type_code == "C"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"start": "2026-03-02T09:10"}, "practitioner_busy"),
        ({"start": "2026-03-02T11:50"}, "outside_hours"),
        ({"start": "2026-03-02T08:00"}, "start_in_past"),
        ({"start": "2026-03-03T14:00"}, "outside_hours"),
        ({"start": "2026-03-02T10:00", "type": "IRM"}, "unknown_type"),
        (
            {"start": "2026-03-02T09:10", "patient": "p_dupont", "practitioner": "dr_durand"},
            "patient_busy",
        ),
        ({"start": "2026-03-02T10:00", "patient": "ghost"}, "not_found"),
    ],
)
def test_book_appointment_refusals(w: World, fields: dict[str, Any], code: str) -> None:
    values = {"patient": "p_petit", "practitioner": "dr_martin", "type": "C", **fields}
    refused(w, "book_appointment", values, code)


def test_touching_appointments_do_not_overlap(w: World) -> None:
    _book(w, "2026-03-02T09:20")  # rdv1 ends at 09:20: half-open intervals
    refused(
        w,
        "book_appointment",
        {
            "patient": "p_dupont",
            "practitioner": "dr_martin",
            "type": "C",
            "start": "2026-03-02T09:30",
        },
        "practitioner_busy",
    )


def test_no_double_booking_between_two_desks(tmp_path: Path) -> None:
    """Two transactions book the same slot at the same time: exactly one wins."""
    w = build_world(f"sqlite:///{tmp_path / 'agenda.sqlite3'}")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def desk(patient: str) -> None:
        barrier.wait()
        try:
            apply(
                w,
                "book_appointment",
                {
                    "patient": patient,
                    "practitioner": "dr_martin",
                    "type": "C",
                    "start": "2026-03-02T10:00",
                },
            )
            outcomes.append("ok")
        except RuleError as error:
            outcomes.append(error.code)

    threads = [threading.Thread(target=desk, args=(p,)) for p in ("p_petit", "p_dupont")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok", "practitioner_busy"]


# --------------------------------------------------------------------------- changes


def test_move_appointment(w: World) -> None:
    result, _ = apply(w, "move_appointment", {"appointment": "rdv1", "start": "2026-03-02T09:10"})
    assert (
        result["start"] == "2026-03-02T09:10" and result["previous"]["start"] == "2026-03-02T09:00"
    )
    moved, _ = apply(
        w,
        "move_appointment",
        {"appointment": "rdv1", "start": "2026-03-02T09:30", "practitioner": "dr_durand"},
    )
    assert moved["practitioner"] == "dr_durand" and moved["end"] == "2026-03-02T09:45"


def test_move_appointment_refusals(w: World) -> None:
    other = _book(w, "2026-03-02T10:00")
    refused(
        w,
        "move_appointment",
        {"appointment": "rdv1", "start": "2026-03-02T09:50"},
        "practitioner_busy",
    )
    refused(
        w, "move_appointment", {"appointment": "rdv1", "start": "2026-03-02T12:00"}, "outside_hours"
    )
    apply(
        w,
        "cancel_appointment",
        {"appointment": other["key"], "by": "structure", "reason": "erreur"},
    )
    refused(
        w,
        "move_appointment",
        {"appointment": other["key"], "start": "2026-03-02T11:00"},
        "appointment_cancelled",
    )


def test_cancel_appointment_proposes_the_waitlist(w: World) -> None:
    waiting, _ = apply(
        w,
        "add_to_waitlist",
        {
            "patient": "p_petit",
            "type": "C",
            "practitioner": "dr_martin",
            "note": "dès que possible",
        },
    )
    result, warnings = apply(
        w, "cancel_appointment", {"appointment": "rdv1", "by": "patient", "reason": "empêchement"}
    )
    assert result["status"] == "cancelled" and result["cancelled_by"] == "patient"
    assert result["waitlist"] == [waiting["key"]] and warnings
    row = w.get(Appointment, "rdv1")
    assert row.cancel_reason == "empêchement"
    refused(
        w,
        "cancel_appointment",
        {"appointment": "rdv1", "by": "patient", "reason": "x"},
        "appointment_cancelled",
    )
    # the freed slot can be booked again
    assert _book(w, "2026-03-02T09:00")["status"] == "booked"


def test_arrivals_and_no_shows(w: World) -> None:
    refused(w, "mark_no_show", {"appointment": "rdv1"}, "not_started")
    later = datetime(2026, 3, 2, 9, 30)
    result, _ = apply(w, "mark_no_show", {"appointment": "rdv1"}, now=later)
    assert result["status"] == "no_show"
    result, warnings = apply(w, "mark_arrived", {"appointment": "rdv1"}, now=later)
    assert result["status"] == "arrived" and warnings
    refused(w, "mark_arrived", {"appointment": "rdv1"}, "appointment_wrong_status")


def test_cancelled_appointment_cannot_be_marked_arrived(w: World) -> None:
    apply(
        w, "cancel_appointment", {"appointment": "rdv1", "by": "practitioner", "reason": "absent"}
    )
    refused(w, "mark_arrived", {"appointment": "rdv1"}, "appointment_cancelled")
    refused(w, "mark_no_show", {"appointment": "rdv1"}, "appointment_cancelled")


def test_waitlist_refusals(w: World) -> None:
    refused(
        w,
        "add_to_waitlist",
        {"patient": "p_petit", "type": "C1", "practitioner": "dr_durand"},
        "unknown_type",
    )
    refused(w, "add_to_waitlist", {"patient": "ghost", "type": "C"}, "not_found")


def test_add_absence_returns_the_appointments_it_hits(w: World) -> None:
    result, warnings = apply(
        w,
        "add_absence",
        {
            "practitioner": "dr_martin",
            "from": "2026-03-02T08:30",
            "to": "2026-03-02T12:00",
            "reason": "formation",
        },
    )
    assert [a["key"] for a in result["appointments"]] == ["rdv1"]
    assert result["appointments"][0]["patient"] == "p_dupont"
    assert warnings
    assert w.get(Absence, result["key"]).reason == "formation"
    refused(
        w,
        "book_appointment",
        {
            "patient": "p_petit",
            "practitioner": "dr_martin",
            "type": "C",
            "start": "2026-03-02T10:00",
        },
        "during_absence",
    )
    slots, _ = apply(w, "find_slots", {"type": "C", "practitioner": "dr_martin", "count": 1})
    assert slots["slots"][0]["start"] == "2026-03-02T14:00"


def test_add_absence_refuses_an_empty_period(w: World) -> None:
    refused(
        w,
        "add_absence",
        {
            "practitioner": "dr_martin",
            "from": "2026-03-03T10:00",
            "to": "2026-03-03T09:00",
            "reason": "x",
        },
        "invalid_period",
    )


def test_schedule_meeting(w: World) -> None:
    result, _ = apply(
        w,
        "schedule_meeting",
        {
            "title": "Staff",
            "participants": ["dr_martin", "dr_durand", "Mme Infirmière"],
            "start": "2026-03-02T12:15",
            "minutes": 45,
            "room": "Salle 1",
        },
    )
    assert result["end"] == "2026-03-02T13:00"
    assert w.get(Meeting, result["key"]).participants == [
        "dr_martin",
        "dr_durand",
        "Mme Infirmière",
    ]
    # the meeting now blocks the practitioner's agenda... (outside opening hours here)
    refused(
        w,
        "schedule_meeting",
        {
            "title": "Autre",
            "participants": ["Mme X"],
            "start": "2026-03-02T12:30",
            "minutes": 30,
            "room": "Salle 1",
        },
        "room_busy",
    )
    refused(
        w,
        "schedule_meeting",
        {
            "title": "Autre",
            "participants": ["dr_martin"],
            "start": "2026-03-02T12:30",
            "minutes": 15,
        },
        "participant_busy",
    )
    refused(
        w,
        "schedule_meeting",
        {"title": "Tôt", "participants": ["dr_martin"], "start": "2026-03-02T09:00", "minutes": 30},
        "participant_busy",
    )


def test_meeting_blocks_bookings(w: World) -> None:
    apply(
        w,
        "schedule_meeting",
        {
            "title": "Staff",
            "participants": ["dr_martin"],
            "start": "2026-03-02T10:00",
            "minutes": 30,
        },
    )
    refused(
        w,
        "book_appointment",
        {
            "patient": "p_petit",
            "practitioner": "dr_martin",
            "type": "C",
            "start": "2026-03-02T10:10",
        },
        "practitioner_busy",
    )


# --------------------------------------------------------------------------- regressions


def test_a_busy_participant_is_named_not_keyed(w: World) -> None:
    error = refused(
        w,
        "schedule_meeting",
        {"title": "Tôt", "participants": ["dr_martin"], "start": "2026-03-02T09:00", "minutes": 30},
        "participant_busy",
    )
    assert error.message.startswith("Dr Claire MARTIN n'est pas disponible")
    assert "dr_martin" not in error.message


def test_a_nurse_is_named_without_the_doctor_title(w: World) -> None:
    with w.factory() as s:
        s.add(
            Practitioner(
                key="ide_riviere",
                last_name="RIVIERE",
                first_name="Léa",
                specialty="soins_infirmiers",
                rpps="10000000025",
                hours={"mon": ["08:00-12:00"]},
            )
        )
        s.commit()
    apply(
        w,
        "schedule_meeting",
        {
            "title": "Soins",
            "participants": ["ide_riviere"],
            "start": "2026-03-02T10:00",
            "minutes": 30,
        },
    )
    error = refused(
        w,
        "schedule_meeting",
        {
            "title": "Autre",
            "participants": ["ide_riviere"],
            "start": "2026-03-02T10:15",
            "minutes": 30,
        },
        "participant_busy",
    )
    assert error.message.startswith("Léa RIVIERE n'est pas disponible")


def test_find_slots_of_every_practitioner_reads_each_agenda(w: World) -> None:
    _book(w, "2026-03-02T09:20")
    result, _ = apply(w, "find_slots", {"type": "C", "after": "2026-03-02T09:00", "count": 4})
    slots = [(s["practitioner"], s["start"], s["end"]) for s in result["slots"]]
    # Dr Martin is busy at 09:00 (rdv1) and 09:20; Dr Durand's slots last 15 minutes
    assert slots == [
        ("dr_durand", "2026-03-02T09:00", "2026-03-02T09:15"),
        ("dr_durand", "2026-03-02T09:15", "2026-03-02T09:30"),
        ("dr_durand", "2026-03-02T09:30", "2026-03-02T09:45"),
        ("dr_martin", "2026-03-02T09:40", "2026-03-02T10:00"),
    ]
