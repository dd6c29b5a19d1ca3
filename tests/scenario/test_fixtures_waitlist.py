# ruff: noqa: E501 - the scenario's fixtures, one per line
"""Waiting-list fixtures (``fixtures.waitlist``, simsec addition to SCENARIO_FORMAT.md
§ fixtures): requests made before t=0, loaded oldest first, offered when a slot frees."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from simsec.db.models import Patient, Practitioner, WaitlistEntry
from simsec.scenario.errors import ErrorCode
from simsec.scenario.fixtures import FixtureError, build_database
from simsec.scenario.run import Run
from simsec.scenario.schema import scenario_json_schema
from simsec.scenario.world_cache import WorldCache, memory_engine
from simsec.services import readmodels_planning as rm
from tests.scenario.conftest import line_of, load_text, only

START = datetime(2026, 3, 2, 8, 45)

#: Monday 2 March 2026, 08:45. Dr Martin (C, C1) sees Mme Aubert at 09:00; Dr Durand has
#: the types of general practice (C, C1, URG). The waiting list, written out of order:
#: the rows must come oldest first.
SCENARIO = """\
format: simsec/scenario@1
id: attente
title: "Liste d'attente initiale"
start: 2026-03-02T08:45
duration: 1h
structure: {kind: cabinet_medical, name: "Cabinet"}
fixtures:
  practitioners:
    - key: dr_martin
      hours: {mon: ["08:30-12:00"]}
      appointment_types:
        - {code: C, label: "Consultation", minutes: 20}
        - {code: C1, label: "Première consultation", minutes: 30}
    - key: dr_durand
      specialty: medecine_generale
  patients:
    - {key: p_aubert, birth_name: AUBERT}
    - {key: p_blanc, birth_name: BLANC}
    - {key: p_colin, birth_name: COLIN}
    - {key: p_dumas, birth_name: DUMAS}
    - {key: p_etienne, birth_name: ETIENNE}
  appointments:
    - {key: rdv1, patient: p_aubert, practitioner: dr_martin, type: C, start: 2026-03-02T09:00}
  waitlist:
    - {key: w_tard, patient: p_blanc, type: C, practitioner: dr_martin, note: "Le matin", since: 2026-02-27T16:00}
    - {patient: p_colin, type: C}
    - {key: w_ancien, patient: p_dumas, type: C, since: 2026-02-20}
    - {key: w_durand, patient: p_etienne, type: URG, practitioner: dr_durand, since: 2026-02-01}
    - {key: w_lui, patient: p_aubert, type: C, since: 2026-02-10}
    - {key: w_c1, patient: p_blanc, type: C1, since: 2026-02-01}
solutions:
  - id: rien
    actions:
      - {do: wait, with: {for: 1m}}
"""


def _loaded(text: str = SCENARIO) -> Run:
    result = load_text(text)
    assert result.ok and result.scenario is not None, [e.format() for e in result.errors]
    return Run.start(result.scenario, cache=WorldCache())


def _rows(run: Run) -> list[tuple[str, str, str, str | None, str | None, str, datetime | None]]:
    with Session(run.db) as session:
        query = (
            select(WaitlistEntry, Patient.key, Practitioner.key)
            .join(Patient, Patient.id == WaitlistEntry.patient_id)
            .outerjoin(Practitioner, Practitioner.id == WaitlistEntry.practitioner_id)
            .order_by(WaitlistEntry.id)
        )
        return [
            (e.key, patient, e.type_code, practitioner, e.note, e.status, e.created_at)
            for e, patient, practitioner in session.execute(query)
        ]


# ------------------------------------------------------------------------ loading


def test_seeded_entries_are_in_the_database_oldest_first_with_their_fields() -> None:
    run = _loaded()
    assert _rows(run) == [
        ("w_durand", "p_etienne", "URG", "dr_durand", None, "waiting", datetime(2026, 2, 1)),
        ("w_c1", "p_blanc", "C1", None, None, "waiting", datetime(2026, 2, 1)),
        ("w_lui", "p_aubert", "C", None, None, "waiting", datetime(2026, 2, 10)),
        ("w_ancien", "p_dumas", "C", None, None, "waiting", datetime(2026, 2, 20)),
        ("w_tard", "p_blanc", "C", "dr_martin", "Le matin", "waiting", datetime(2026, 2, 27, 16)),
        # no key: one as add_to_waitlist makes; no since: the scenario start
        ("waitlist#6", "p_colin", "C", None, None, "waiting", START),
    ]
    # the read model of the agenda screen shows the same order
    assert [w.key for w in rm.waitlist(run.db)] == [row[0] for row in _rows(run)]


def test_a_scenario_without_waitlist_has_an_empty_waiting_list() -> None:
    text = SCENARIO[: SCENARIO.index("  waitlist:")] + SCENARIO[SCENARIO.index("solutions:") :]
    assert _rows(_loaded(text)) == []


# --------------------------------------------------------------- freed slots, serving


def test_cancelling_a_slot_offers_the_seeded_entries_oldest_first() -> None:
    run = _loaded()
    outcome = run.perform(
        {
            "do": "cancel_appointment",
            "with": {"appointment": "rdv1", "by": "patient", "reason": "Empêchement"},
        }
    )
    assert outcome.ok, outcome.error
    # same type, Dr Martin or any practitioner, not the patient who cancelled
    assert outcome.result["waitlist"] == ["w_ancien", "w_tard", "waitlist#6"]
    (warning,) = outcome.result["warnings"]
    assert "liste d'attente" in warning
    assert "w_ancien" in warning


def test_an_entry_added_during_the_run_comes_after_the_seeded_ones() -> None:
    run = _loaded()
    added = run.perform({"do": "add_to_waitlist", "with": {"patient": "p_etienne", "type": "C"}})
    assert added.ok, added.error
    assert added.result["key"] == "waitlist#7"
    cancelled = run.perform(
        {
            "do": "cancel_appointment",
            "with": {"appointment": "rdv1", "by": "patient", "reason": "Empêchement"},
        }
    )
    assert cancelled.result["waitlist"] == ["w_ancien", "w_tard", "waitlist#6", "waitlist#7"]
    assert _rows(run)[-1][0] == "waitlist#7"
    assert _rows(run)[-1][6] == START


def test_booking_serves_the_seeded_entry_of_that_patient() -> None:
    run = _loaded()
    run.perform(
        {
            "do": "cancel_appointment",
            "with": {"appointment": "rdv1", "by": "patient", "reason": "Empêchement"},
        }
    )
    booked = run.perform(
        {
            "do": "book_appointment",
            "with": {
                "patient": "p_dumas",
                "practitioner": "dr_martin",
                "type": "C",
                "start": "2026-03-02T09:00",
            },
        }
    )
    assert booked.ok, booked.error
    assert booked.result["waitlist_served"] == "w_ancien"
    statuses = {row[0]: row[5] for row in _rows(run)}
    assert statuses["w_ancien"] == "served"
    assert [w.key for w in rm.waitlist(run.db)] == [
        "w_durand",
        "w_c1",
        "w_lui",
        "w_tard",
        "waitlist#6",
    ]


# ------------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("old", "new", "code", "path", "needle", "words"),
    [
        (
            "{key: w_ancien, patient: p_dumas,",
            "{key: w_ancien, patient: p_dumass,",
            ErrorCode.REF_UNKNOWN,
            "fixtures.waitlist[2].patient",
            "p_dumass",
            ("Clé inconnue « p_dumass »", "un patient", "« p_dumas »"),
        ),
        (
            "type: URG, practitioner: dr_durand,",
            "type: URG, practitioner: dr_dupont,",
            ErrorCode.REF_UNKNOWN,
            "fixtures.waitlist[3].practitioner",
            "dr_dupont",
            ("Clé inconnue « dr_dupont »", "un praticien"),
        ),
        (
            "patient: p_blanc, type: C, practitioner: dr_martin,",
            "patient: p_blanc, type: URG, practitioner: dr_martin,",
            ErrorCode.APPOINTMENT_TYPE,
            "fixtures.waitlist[0].type",
            "URG",
            ("Type de rendez-vous « URG » inconnu pour dr_martin", "C, C1"),
        ),
        (
            # a practitioner without appointment_types: the types of the specialty
            "type: URG, practitioner: dr_durand,",
            "type: ECHO, practitioner: dr_durand,",
            ErrorCode.APPOINTMENT_TYPE,
            "fixtures.waitlist[3].type",
            "ECHO",
            ("« ECHO » inconnu pour dr_durand", "C, C1, URG"),
        ),
        (
            "{patient: p_colin, type: C}",
            "{patient: p_colin, type: C2}",
            ErrorCode.WAITLIST_TYPE,
            "fixtures.waitlist[1].type",
            "C2",
            ("Aucun praticien ne propose le type de rendez-vous « C2 »", "C, C1, URG"),
        ),
        (
            "since: 2026-02-27T16:00",
            "since: 2026-03-02T10:00",
            ErrorCode.WAITLIST_SINCE,
            "fixtures.waitlist[0].since",
            "2026-03-02T10:00",
            ("postérieure au début du scénario (2026-03-02T08:45)",),
        ),
        (
            "{key: w_lui,",
            "{key: w_ancien,",
            ErrorCode.KEY_DUPLICATE,
            "fixtures.waitlist[4].key",
            "w_ancien, patient: p_aubert",
            ("« w_ancien » déjà définie", "fixtures.waitlist[2].key"),
        ),
        (
            "since: 2026-02-20}",
            "since: la semaine dernière}",
            "schema.simsec_date_or_datetime",
            "fixtures.waitlist[2].since",
            "la semaine dernière",
            ("Date (2026-03-02) ou date et heure locales",),
        ),
        (
            "since: 2026-02-20}",
            "since: 2026-02-30}",
            "schema.simsec_date_invalid",
            "fixtures.waitlist[2].since",
            "2026-02-30",
            ("Date inexistante : 2026-02-30",),
        ),
    ],
)
def test_bad_waitlist_fixtures_give_a_positioned_french_error(
    old: str, new: str, code: str, path: str, needle: str, words: tuple[str, ...]
) -> None:
    assert old in SCENARIO, old
    text = SCENARIO.replace(old, new, 1)
    result = load_text(text)
    assert not result.ok
    error = only(result)
    assert (error.code, error.path) == (str(code), path)
    line = line_of(text, needle)
    assert error.line == line
    assert error.column == text.splitlines()[line - 1].index(needle) + 1
    for word in words:
        assert word in error.message, error.message
    assert error.format().startswith(f"s.yaml:{line}:{error.column}: {path}: ")


def test_a_type_of_the_generated_practitioners_is_accepted_for_any_practitioner() -> None:
    text = SCENARIO.replace("{patient: p_colin, type: C}", "{patient: p_colin, type: VAC}")
    assert only(load_text(text)).code == ErrorCode.WAITLIST_TYPE
    generated = text.replace("structure:", "world: {practitioners: 2}\nstructure:", 1)
    assert load_text(generated).ok


def test_the_loader_refuses_what_the_validator_would_have_caught() -> None:
    text = SCENARIO.replace("{patient: p_colin, type: C}", "{patient: p_colin, type: C2}")
    result = load_text(text, semantic=False)
    assert result.scenario is not None
    db = memory_engine(sqlite3.connect(":memory:", check_same_thread=False))
    with pytest.raises(FixtureError, match="C2"):
        build_database(db, result.scenario)
    with Session(db) as session:  # one transaction: nothing of the fixtures was kept
        assert session.scalars(select(WaitlistEntry)).all() == []
        assert session.scalars(select(Patient)).all() == []


def test_the_json_schema_describes_the_waitlist() -> None:
    schema = scenario_json_schema()
    definitions = schema["$defs"]
    assert definitions["Fixtures"]["properties"]["waitlist"]["items"] == {
        "$ref": "#/$defs/WaitlistFixture"
    }
    entry = definitions["WaitlistFixture"]
    assert set(entry["properties"]) == {"key", "patient", "type", "practitioner", "note", "since"}
    assert sorted(entry["required"]) == ["patient", "type"]
    assert entry["additionalProperties"] is False
