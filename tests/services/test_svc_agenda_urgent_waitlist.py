"""Urgent appointments, the waiting list served by a booking, and the slot a move frees.

The world of :mod:`test_svc_support`, on Monday 2 March 2026 at 08:45: Dr Martin
(08:30-12:00, C = 20 min), Dr Durand (09:00-12:00, C = 15 min), rdv1: Mme Dupont with
Dr Martin at 09:00; Lucas Petit, and Jean Moreau added here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from test_svc_support import World, apply, build_world, patient_row, refused

from simsec.db.models import Appointment, WaitlistEntry


@pytest.fixture
def w() -> World:
    world = build_world()
    with world.factory() as session:
        session.add(
            patient_row(
                "p_moreau",
                birth_name="MOREAU",
                first_names="JEAN",
                birth_date=date(1950, 2, 3),
                sex="M",
                birth_place="69123",
            )
        )
        session.commit()
    return world


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


def _wait(w: World, patient: str, practitioner: str | None = "dr_martin", **more: Any) -> str:
    fields: dict[str, Any] = {"patient": patient, "type": "C", **more}
    if practitioner is not None:
        fields["practitioner"] = practitioner
    result, _ = apply(w, "add_to_waitlist", fields)
    return str(result["key"])


def _status(w: World, key: str) -> str:
    return str(w.get(WaitlistEntry, key).status)


# ------------------------------------------------------------------------ urgent


def test_an_urgent_appointment_is_stored_and_returned_as_urgent(w: World) -> None:
    # 09:20 is the next free slot of Dr Martin; an urgency may take a later one
    result = _book(w, "2026-03-02T10:40", urgent=True, reason="douleur thoracique")
    assert (result["urgent"], result["start"], result["end"]) == (
        True,
        "2026-03-02T10:40",
        "2026-03-02T11:00",
    )
    assert w.get(Appointment, result["key"]).urgent is True
    ordinary = _book(w, "2026-03-02T09:20")
    assert ordinary["urgent"] is False
    assert w.get(Appointment, ordinary["key"]).urgent is False


@pytest.mark.parametrize(
    ("start", "code"),
    [
        ("2026-03-02T09:00", "practitioner_busy"),  # rdv1's slot
        ("2026-03-02T08:50", "practitioner_busy"),  # overlaps rdv1
        ("2026-03-02T08:00", "start_in_past"),
        ("2026-03-02T12:30", "outside_hours"),
    ],
)
def test_an_urgency_is_never_double_booked(w: World, start: str, code: str) -> None:
    refused(
        w,
        "book_appointment",
        {
            "patient": "p_petit",
            "practitioner": "dr_martin",
            "type": "C",
            "start": start,
            "urgent": True,
        },
        code,
    )


def test_two_urgencies_on_one_slot_only_one_is_booked(w: World) -> None:
    _book(w, "2026-03-02T09:20", urgent=True)
    refused(
        w,
        "book_appointment",
        {
            "patient": "p_moreau",
            "practitioner": "dr_martin",
            "type": "C",
            "start": "2026-03-02T09:30",
            "urgent": True,
        },
        "practitioner_busy",
    )


# ------------------------------------------------------------------ waiting list


def test_booking_a_waiting_patient_serves_the_entry(w: World) -> None:
    entry = _wait(w, "p_petit", note="le matin")
    result = _book(w, "2026-03-02T09:20")
    assert result["waitlist_served"] == entry
    assert _status(w, entry) == "served"
    # served once: the next booking serves nothing
    assert _book(w, "2026-03-02T10:00")["waitlist_served"] is None


def test_an_entry_for_any_practitioner_is_served_by_any(w: World) -> None:
    entry = _wait(w, "p_petit", practitioner=None)
    result = _book(w, "2026-03-02T09:15", practitioner="dr_durand")
    assert result["waitlist_served"] == entry and _status(w, entry) == "served"


def test_the_entry_naming_the_practitioner_is_served_first(w: World) -> None:
    anyone = _wait(w, "p_petit", practitioner=None)
    martin = _wait(w, "p_petit")
    assert _book(w, "2026-03-02T09:20")["waitlist_served"] == martin
    assert (_status(w, martin), _status(w, anyone)) == ("served", "waiting")


def test_other_entries_are_not_served(w: World) -> None:
    durand = _wait(w, "p_petit", practitioner="dr_durand")
    first_visit = str(apply(w, "add_to_waitlist", {"patient": "p_petit", "type": "C1"})[0]["key"])
    other_patient = _wait(w, "p_moreau")
    result = _book(w, "2026-03-02T09:20")  # C with Dr Martin
    assert result["waitlist_served"] is None
    assert [_status(w, k) for k in (durand, first_visit, other_patient)] == ["waiting"] * 3


def test_a_refused_booking_serves_nothing(w: World) -> None:
    entry = _wait(w, "p_petit")
    refused(
        w,
        "book_appointment",
        {
            "patient": "p_petit",
            "practitioner": "dr_martin",
            "type": "C",
            "start": "2026-03-02T09:10",
        },
        "practitioner_busy",
    )
    assert _status(w, entry) == "waiting"


# ----------------------------------------------------------- the slot a move frees


def test_moving_an_appointment_offers_its_slot_to_the_waiting_list(w: World) -> None:
    entry = _wait(w, "p_petit")
    anyone = _wait(w, "p_moreau", practitioner=None)
    own = _wait(w, "p_dupont")  # the patient moved does not take her own slot
    _wait(w, "p_moreau", practitioner="dr_durand")  # another practitioner
    result, warnings = apply(
        w, "move_appointment", {"appointment": "rdv1", "start": "2026-03-02T10:00"}
    )
    assert result["waitlist"] == [entry, anyone]
    assert result["previous"] == {"start": "2026-03-02T09:00", "practitioner": "dr_martin"}
    assert any(entry in warning and anyone in warning for warning in warnings)
    assert own not in result["waitlist"]
    # the slot offered can be booked for the patient chosen, which serves the entry
    booked = _book(w, "2026-03-02T09:00")
    assert booked["waitlist_served"] == entry and _status(w, entry) == "served"


def test_a_move_to_another_practitioner_frees_the_first_one(w: World) -> None:
    entry = _wait(w, "p_petit")
    result, _ = apply(
        w,
        "move_appointment",
        {"appointment": "rdv1", "start": "2026-03-02T10:00", "practitioner": "dr_durand"},
    )
    assert result["practitioner"] == "dr_durand" and result["waitlist"] == [entry]


def test_a_slot_still_taken_is_not_offered(w: World) -> None:
    _wait(w, "p_petit")
    # 09:00 -> 09:10: the appointment still holds most of its old slot
    result, warnings = apply(
        w, "move_appointment", {"appointment": "rdv1", "start": "2026-03-02T09:10"}
    )
    assert result["waitlist"] == [] and warnings == []


def test_a_past_slot_is_not_offered(w: World) -> None:
    _wait(w, "p_petit")
    later = datetime(2026, 3, 2, 9, 30)
    result, warnings = apply(
        w, "move_appointment", {"appointment": "rdv1", "start": "2026-03-02T10:00"}, now=later
    )
    assert result["waitlist"] == [] and warnings == []


def test_a_slot_freed_during_an_absence_is_not_offered(w: World) -> None:
    _wait(w, "p_petit", practitioner=None)
    apply(
        w,
        "add_absence",
        {
            "practitioner": "dr_martin",
            "from": "2026-03-02T08:30",
            "to": "2026-03-02T12:00",
            "reason": "Formation",
        },
    )
    moved, warnings = apply(
        w,
        "move_appointment",
        {"appointment": "rdv1", "start": "2026-03-02T10:00", "practitioner": "dr_durand"},
    )
    assert moved["practitioner"] == "dr_durand"
    assert moved["waitlist"] == [] and not any("attente" in x for x in warnings)


def test_a_cancel_during_an_absence_offers_nothing(w: World) -> None:
    _wait(w, "p_petit")
    apply(
        w,
        "add_absence",
        {
            "practitioner": "dr_martin",
            "from": "2026-03-02T08:30",
            "to": "2026-03-02T12:00",
            "reason": "Formation",
        },
    )
    result, warnings = apply(
        w,
        "cancel_appointment",
        {"appointment": "rdv1", "by": "practitioner", "reason": "Médecin absent"},
    )
    assert result["waitlist"] == [] and not any("attente" in x for x in warnings)


def test_a_refused_move_changes_nothing_and_offers_nothing(w: World) -> None:
    entry = _wait(w, "p_petit")
    other = _book(w, "2026-03-02T10:00", patient="p_moreau")
    refused(
        w,
        "move_appointment",
        {"appointment": "rdv1", "start": "2026-03-02T09:50"},
        "practitioner_busy",
    )
    refused(
        w,
        "move_appointment",
        {"appointment": "rdv1", "start": "2026-03-02T10:10", "practitioner": "dr_nobody"},
        "not_found",
    )
    assert _status(w, entry) == "waiting"
    assert w.get(Appointment, "rdv1").start == datetime(2026, 3, 2, 9, 0)
    assert other["waitlist_served"] is None


def test_a_rubric_reads_whether_an_appointment_is_urgent() -> None:
    """``state: {entity: appointment, has: {urgent: true}}`` and ``waitlist.status``."""
    from pathlib import Path

    from pydantic import TypeAdapter

    from simsec.scenario.checks import evaluate
    from simsec.scenario.entities import state_field_kind
    from simsec.scenario.loader import load_scenario
    from simsec.scenario.model import Check
    from simsec.scenario.run import Run
    from simsec.scenario.world_cache import WorldCache

    assert state_field_kind("appointment", "urgent")[0]
    assert state_field_kind("waitlist", "status")[0]
    path = Path(__file__).resolve().parents[2] / "scenarios" / "planning_absence_praticien.yaml"
    loaded = load_scenario(path)
    assert loaded.scenario is not None, loaded.errors
    run = Run.start(loaded.scenario, cache=WorldCache(), fsync=False)
    adapter: TypeAdapter[Check] = TypeAdapter(Check)

    def urgent_ones(count: int) -> bool:
        check = adapter.validate_python(
            {
                "state": {
                    "entity": "appointment",
                    "where": {"urgent": True, "patient": "p_arnaud"},
                    "count": count,
                }
            }
        )
        with run.session() as session:
            return evaluate(check, run.scenario, run.facts(), session).passed

    found = run.perform(
        {
            "do": "find_slots",
            "with": {
                "type": "C",
                "practitioner": "dr_benoit",
                "after": "2026-03-13T08:30",
                "before": "2026-03-13T12:30",
                "count": 1,
            },
        }
    )
    assert found.ok, found.result
    start = found.result["slots"][0]["start"]
    assert urgent_ones(0) and not urgent_ones(1)
    booked = run.perform(
        {
            "do": "book_appointment",
            "with": {
                "patient": "p_arnaud",
                "practitioner": "dr_benoit",
                "type": "C",
                "start": start,
                "urgent": True,
            },
        }
    )
    assert booked.ok, booked.result
    assert urgent_ones(1) and not urgent_ones(0)
    run.db.dispose()
