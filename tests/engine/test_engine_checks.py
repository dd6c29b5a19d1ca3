"""Every check kind of the rubric, and scoring by competence and CCP with evidence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from engine_helpers import load_variant, parse_check, variant
from sqlalchemy import select

from simsec.db.models import Appointment, Patient, Practitioner
from simsec.scenario.checks import CheckResult, RunFacts, evaluate, word_error_rate
from simsec.scenario.entities import STATE_FIELDS
from simsec.scenario.matchers import ActionFact, MatchContext
from simsec.scenario.run import Run
from simsec.scenario.scoring import Grade, percent_of, score_run
from simsec.scenario.state import load_entities


def judge(run: Run, data: dict[str, Any]) -> CheckResult:
    with run.session() as session:
        return evaluate(parse_check(data), run.scenario, run.facts(), session)


def passes(run: Run, data: dict[str, Any]) -> bool:
    return judge(run, data).passed


@pytest.fixture
def desk_run(start_run: Callable[..., Run]) -> Run:
    """Mme Dupont attended, searched, identity checked, arrival noted, a call answered."""
    run = start_run()
    steps: list[tuple[timedelta | None, dict[str, Any]]] = [
        (timedelta(seconds=30), {"do": "attend", "with": {"person": "v_dupont"}}),
        (
            None,
            {
                "do": "search_patients",
                "as": "recherche",
                "with": {"birth_name": "DUPONT", "birth_date": "1985-04-12"},
            },
        ),
        (None, {"do": "request_document", "with": {"person": "v_dupont", "kind": "cni"}}),
        (
            None,
            {
                "do": "check_identity_document",
                "with": {"patient": {"found": "recherche", "rank": 1}, "document": "cni_dupont"},
            },
        ),
        (timedelta(minutes=1), {"do": "mark_arrived", "with": {"appointment": "rdv1"}}),
        (None, {"do": "mark_arrived", "with": {"appointment": "rdv_inconnu"}}),
        (timedelta(minutes=6), {"do": "attend", "with": {"person": "c_pharmacien"}}),
        (
            None,
            {
                "do": "say",
                "with": {
                    "person": "c_pharmacien",
                    "text": "Je ne donne aucun résultat par téléphone.",
                },
            },
        ),
    ]
    for at, action in steps:
        outcome = run.perform(action, at=at)
        assert outcome.ok or action["with"].get("appointment") == "rdv_inconnu", outcome.result
    return run


# ---------------------------------------------------------------- action checks


def test_action_check_counts(desk_run: Run) -> None:
    assert passes(desk_run, {"action": {"do": "attend"}})
    assert passes(desk_run, {"action": {"do": "attend"}, "count": 2})
    assert not passes(desk_run, {"action": {"do": "attend"}, "count": 1})
    assert passes(desk_run, {"action": {"do": "attend"}, "count": {"min": 1, "max": 2}})
    assert not passes(desk_run, {"action": {"do": "attend"}, "count": {"max": 1}})
    assert not passes(desk_run, {"action": {"do": "attend"}, "count": {"min": 3}})
    assert passes(desk_run, {"action": {"do": "create_patient"}, "count": 0})
    assert passes(desk_run, {"action": {"do": "mark_arrived", "ok": False}, "count": 1})
    assert passes(desk_run, {"action": {"do": "mark_arrived", "ok": "any"}, "count": 2})
    result = judge(desk_run, {"action": {"do": "attend", "with": {"person": "c_pharmacien"}}})
    assert result.passed
    assert [(e.kind, e.what, e.seq) for e in result.evidence] == [("action", "attend", 10)]
    assert result.evidence[0].t == datetime(2026, 3, 2, 8, 51)


def test_no_action_before_and_within(desk_run: Run) -> None:
    assert passes(desk_run, {"no_action": {"do": "create_patient"}})
    blocked = judge(
        desk_run, {"no_action": {"do": "say", "with": {"text": {"contains": "resultat"}}}}
    )
    assert not blocked.passed and blocked.evidence[0].what == "say"
    assert passes(
        desk_run,
        {"before": {"first": {"do": "search_patients"}, "then": {"do": "check_identity_document"}}},
    )
    assert not passes(
        desk_run,
        {"before": {"first": {"do": "check_identity_document"}, "then": {"do": "search_patients"}}},
    )
    assert not passes(
        desk_run, {"before": {"first": {"do": "search_patients"}, "then": {"do": "create_patient"}}}
    )
    on_time = judge(
        desk_run,
        {
            "within": {
                "after": "arrivee_dupont",
                "minutes": 1,
                "action": {"do": "attend", "with": {"person": "v_dupont"}},
            }
        },
    )
    assert on_time.passed
    assert [e.kind for e in on_time.evidence] == ["event", "action"]
    assert not passes(
        desk_run,
        {
            "within": {
                "after": "appel_pharmacie",
                "minutes": 1,
                "action": {"do": "attend", "with": {"person": "c_pharmacien"}},
            }
        },
    )
    assert passes(
        desk_run,
        {
            "within": {
                "after": "appel_pharmacie",
                "minutes": 3,
                "action": {"do": "attend", "with": {"person": "c_pharmacien"}},
            }
        },
    )
    never = judge(
        desk_run, {"within": {"after": "dictee_cr", "minutes": 5, "action": {"do": "attend"}}}
    )
    assert not never.passed and "n'a pas eu lieu" in never.detail


def test_combinators(desk_run: Run) -> None:
    yes, no = {"action": {"do": "attend"}}, {"action": {"do": "create_patient"}}
    assert passes(desk_run, {"all": [yes, yes]})
    assert not passes(desk_run, {"all": [yes, no]})
    assert passes(desk_run, {"any": [no, yes]})
    assert not passes(desk_run, {"any": [no, no]})
    assert passes(desk_run, {"not": no})
    assert not passes(desk_run, {"not": yes})
    assert passes(desk_run, {"not": {"all": [yes, {"not": yes}]}})


# ---------------------------------------------------------------- state


def test_state_of_patients(desk_run: Run) -> None:
    assert passes(
        desk_run,
        {
            "state": {
                "entity": "patient",
                "where": {"key": "p_dupont"},
                "has": {
                    "identity_status": "validee",
                    "ins": "absent",
                    "coverage.amo.regime": "general",
                    "used_name": "LEROY",
                    "first_name": "MARIE",
                },
            }
        },
    )
    assert passes(
        desk_run,
        {
            "state": {
                "entity": "patient",
                "where": {"key": "p_petit"},
                "has": {"ins": "present", "coverage.amo": None},
            }
        },
    )
    assert not passes(
        desk_run,
        {"state": {"entity": "patient", "where": {"key": "p_petit"}, "has": {"ins": "absent"}}},
    )
    assert passes(
        desk_run,
        {
            "state": {
                "entity": "patient",
                "count": 1,
                "where": {"birth_name": "dupont", "birth_date": "1985-04-12"},
            }
        },
    )
    assert passes(
        desk_run,
        {
            "state": {
                "entity": "patient",
                "count": {"min": 60},
                "where": {"birth_date": {"between": ["1900-01-01", "2026-03-02"]}},
            }
        },
    )
    assert passes(
        desk_run, {"state": {"entity": "patient", "count": 0, "where": {"key": "p_nobody"}}}
    )


def test_state_of_appointments_with_evidence(desk_run: Run) -> None:
    result = judge(
        desk_run,
        {
            "state": {
                "entity": "appointment",
                "where": {"key": "rdv1"},
                "has": {
                    "status": "arrived",
                    "patient": "p_dupont",
                    "practitioner": "dr_martin",
                    "minutes": 20,
                },
            }
        },
    )
    assert result.passed
    assert ("action", "mark_arrived") in [(e.kind, e.what) for e in result.evidence]
    assert ("entity", "appointment:rdv1") in [(e.kind, e.what) for e in result.evidence]
    assert not passes(
        desk_run,
        {"state": {"entity": "appointment", "where": {"key": "rdv1"}, "has": {"status": "booked"}}},
    )


def test_state_of_access_requests_invoices_and_others(start_run: Callable[..., Run]) -> None:
    run = start_run()
    actions: list[dict[str, Any]] = [
        {
            "do": "register_access_request",
            "as": "demande",
            "with": {
                "patient": "p_petit",
                "requester": {"kind": "patient", "name": "Jean Petit"},
                "received_on": "2026-03-01",
                "channel": "courrier",
                "items": "all",
                "delivery": "envoi_postal",
            },
        },
        {"do": "mark_arrived", "with": {"appointment": "rdv1"}},
        {
            "do": "bill",
            "with": {"appointment": "rdv1", "acts": ["G"], "tiers_payant": "none"},
            "as": "facture",
        },
        {"do": "record_payment", "with": {"invoice": "facture", "amount": "30.00", "method": "cb"}},
        {
            "do": "set_coverage",
            "with": {"patient": "p_petit", "amo": {"regime": "msa", "rights_until": "2027-01-01"}},
        },
        {
            "do": "send_message",
            "with": {
                "to": "dr_martin",
                "subject": "Arrivée",
                "body": "Mme Dupont est là",
                "patient": "p_dupont",
            },
        },
        {
            "do": "report_identity_issue",
            "with": {"patients": ["p_dupont", "p_petit"], "kind": "doublon"},
        },
        {"do": "add_to_waitlist", "with": {"patient": "p_petit", "type": "C"}},
        {
            "do": "add_absence",
            "with": {
                "practitioner": "dr_martin",
                "from": "2026-03-10T00:00",
                "to": "2026-03-10T23:59",
                "reason": "formation",
            },
        },
        {
            "do": "schedule_meeting",
            "with": {
                "title": "Réunion d'équipe",
                "participants": ["dr_martin"],
                "start": "2026-03-03T12:00",
                "minutes": 30,
            },
        },
        {
            "do": "open_admission",
            "with": {"patient": "p_petit", "kind": "consultation", "date": "2026-03-02"},
        },
        {
            "do": "write_letter",
            "as": "lettre",
            "with": {"template": "accuse_reception", "to": "M. Petit", "patient": "p_petit"},
        },
        {"do": "send_letter", "with": {"letter": "lettre"}},
    ]
    for action in actions:
        assert run.perform(action).ok, action
    assert passes(
        run,
        {
            "state": {
                "entity": "letter",
                "where": {"key": "lettre"},
                "has": {"sent": True, "template": "accuse_reception", "patient": "p_petit"},
            }
        },
    )
    with run.session() as session:
        for entity, names in STATE_FIELDS.items():
            wanted = {name: None for name in names if not name.endswith(".*")}
            rows = load_entities(session, entity, {}, wanted, MatchContext(run.scenario.start))
            assert rows, entity
            row = rows[-1]
            missing = [name for name in wanted if not _reachable(row, name)]
            assert missing == [], (entity, missing)
    assert passes(
        run,
        {
            "state": {
                "entity": "access_request",
                "where": {"patient": "p_petit"},
                "has": {
                    "requester.kind": "patient",
                    "received_on": "2026-03-01",
                    "status": {"in": ["recue", "incomplete"]},
                },
            }
        },
    )
    assert passes(
        run,
        {
            "state": {
                "entity": "access_request",
                "where": {"key": "demande"},
                "has": {"requester": {"name": {"contains": "petit"}}},
            }
        },
    )
    assert passes(
        run,
        {
            "state": {
                "entity": "invoice",
                "where": {"key": "facture"},
                "has": {
                    "total": "30.00",
                    "paid": 30,
                    "amo_part": {"between": [5, 10]},
                    "patient": "p_dupont",
                    "appointment": "rdv1",
                },
            }
        },
    )
    assert passes(
        run,
        {
            "state": {
                "entity": "patient",
                "where": {"key": "p_petit"},
                "has": {"coverage.amo.regime": "msa", "coverage.amo.rights_until": "2027-01-01"},
            }
        },
    )
    for entity, has in [
        ("message", {"to": "dr_martin", "subject": "Arrivée", "patient": "p_dupont"}),
        ("identity_report", {"kind": "doublon", "patients": ["p_petit", "p_dupont"]}),
        ("waitlist", {"patient": "p_petit", "type": "C"}),
        (
            "absence",
            {"practitioner": "dr_martin", "reason": "formation", "from": "2026-03-10T00:00"},
        ),
        ("meeting", {"participants": "dr_martin", "minutes": 30}),
        ("admission", {"patient": "p_petit", "kind": "consultation", "status": "open"}),
    ]:
        assert passes(run, {"state": {"entity": entity, "has": has}}), entity


def _reachable(row: dict[str, Any], name: str) -> bool:
    """Whether a state field is read for an entity (a nested one whose parent is None,
    such as ``coverage.amo.regime`` without AMO, counts as read)."""
    current: Any = row
    for part in name.split("."):
        if current is None:
            return True
        if not isinstance(current, dict) or part not in current:
            return name in row
        current = current[part]
    return True


# ---------------------------------------------------------------- doublons, conflicts


def test_no_duplicates_looks_at_what_the_run_created(start_run: Callable[..., Run]) -> None:
    run = start_run()
    assert passes(run, {"no_duplicates": True})
    other = run.perform(
        {
            "do": "create_patient",
            "with": {
                "birth_name": "Martin",
                "first_names": ["Léa"],
                "birth_date": "2001-02-03",
                "sex": "F",
                "birth_place": "69123",
            },
        }
    )
    assert other.ok, other.result
    assert passes(run, {"no_duplicates": True})
    again = run.perform(
        {
            "do": "create_patient",
            "as": "bis",
            "with": {
                "birth_name": "dupont",
                "first_names": ["Marie"],
                "birth_date": "1985-04-12",
                "sex": "F",
                "birth_place": "75056",
            },
        }
    )
    assert again.ok, again.result
    result = judge(run, {"no_duplicates": True})
    assert not result.passed
    assert "p_dupont" in result.detail
    assert result.evidence[0].what == "create_patient"


def test_no_conflicts_looks_at_what_the_run_booked(start_run: Callable[..., Run]) -> None:
    run = start_run()
    booked = run.perform(
        {
            "do": "book_appointment",
            "as": "rdv_petit",
            "with": {
                "patient": "p_petit",
                "practitioner": "dr_martin",
                "type": "C",
                "start": "2026-03-02T10:00",
            },
        }
    )
    assert booked.ok
    assert passes(run, {"no_conflicts": True})
    with run.session() as session, session.begin():
        martin = session.scalars(select(Practitioner).where(Practitioner.key == "dr_martin")).one()
        petit = session.scalars(select(Patient).where(Patient.key == "p_dupont")).one()
        session.add(
            Appointment(
                key="intrus",
                patient_id=petit.id,
                practitioner_id=martin.id,
                type_code="C",
                start=datetime(2026, 3, 2, 10, 10),
                end=datetime(2026, 3, 2, 10, 30),
                status="booked",
            )
        )
    result = judge(run, {"no_conflicts": True})
    assert not result.passed and "intrus" in result.detail
    run.perform(
        {
            "do": "cancel_appointment",
            "with": {"appointment": "rdv_petit", "by": "patient", "reason": "Empêché"},
        }
    )
    assert passes(run, {"no_conflicts": True})


# ---------------------------------------------------------------- submissions


def test_answer_with_tolerance_and_the_last_submission(start_run: Callable[..., Run]) -> None:
    run = start_run()
    assert not passes(run, {"answer": {"question": "question_stats", "equals": Decimal("12.5")}})
    run.perform({"do": "submit_answer", "with": {"question": "question_stats", "value": "11"}})
    run.perform({"do": "submit_answer", "with": {"question": "question_stats", "value": "12,4"}})
    assert not passes(run, {"answer": {"question": "question_stats", "equals": Decimal("12.5")}})
    assert passes(
        run,
        {
            "answer": {
                "question": "question_stats",
                "equals": Decimal("12.5"),
                "tolerance": Decimal("0.1"),
            }
        },
    )
    run.perform(
        {"do": "submit_answer", "with": {"question": "question_stats", "value": "Dr Martin"}}
    )
    assert passes(run, {"answer": {"question": "question_stats", "equals": "dr martin"}})


def test_transcription_by_word_error_rate(start_run: Callable[..., Run]) -> None:
    run = start_run()
    reference = "Patiente de quarante ans vue pour une lombalgie aiguë sans signe de gravité."
    assert word_error_rate(reference, reference.upper()) == 0
    assert word_error_rate(reference, reference.replace("aiguë", "aigue")) == pytest.approx(1 / 13)
    assert word_error_rate("", "") == 0
    run.perform(
        {
            "do": "submit_transcription",
            "with": {"task": "dictee_cr", "text": reference.replace("aiguë", "aigue")},
        }
    )
    assert not passes(run, {"transcription": {"task": "dictee_cr", "max_wer": 0.05}})
    assert passes(run, {"transcription": {"task": "dictee_cr", "max_wer": 0.1}})


# ---------------------------------------------------------------- scoring


def test_scoring_groups_by_competence_and_ccp_with_evidence(desk_run: Run) -> None:
    with desk_run.session() as session:
        report = score_run(desk_run.scenario, desk_run.facts(), session)
    automatic = [c for c in report.criteria if not c.manual]
    assert report.max == sum(c.max for c in automatic)
    assert report.points == sum(c.points or 0 for c in automatic)
    for code, subtotal in report.by_competency.items():
        mine = [c for c in automatic if c.competency == code]
        assert subtotal.points == sum(c.points or 0 for c in mine)
        assert subtotal.max == sum(c.max for c in mine)
    assert sum(s.max for s in report.by_ccp.values()) == report.max
    assert set(report.by_ccp) == {"SAMA.1", "TR"}
    assert report.criterion("confidentialite") is not None
    assert report.failed == ["confidentialite"]
    posture = report.criterion("posture")
    assert posture is not None and posture.passed is None and posture.points is None
    assert report.open == ["posture"]
    for criterion in report.criteria:
        if criterion.passed:
            assert criterion.evidence or criterion.id in {
                "pas_de_doublon",
                "pas_de_chevauchement",
                "recherche_avant_creation",
            }
    data = report.as_dict()
    assert set(data) >= {"scenario", "score", "criteria", "by_competency"}
    assert set(data["criteria"][0]) >= {"id", "passed", "points", "max", "competency", "evidence"}


def test_manual_grades_and_rounding(desk_run: Run) -> None:
    grade = Grade("posture", Decimal("0.5"), "Correct", "jury", seq=40)
    with desk_run.session() as session:
        report = score_run(desk_run.scenario, desk_run.facts(), session, grades=[grade])
    posture = report.criterion("posture")
    assert posture is not None and posture.points == Decimal("0.5") and posture.passed is None
    assert report.manual_graded == 1 and report.open == []
    assert percent_of(Decimal(2), Decimal(3)) == 67
    assert percent_of(Decimal(1), Decimal(8)) == 13  # 12.5 rounds half up
    assert percent_of(Decimal(0), Decimal(0)) == 100


def test_rescoring_with_a_changed_rubric(desk_run: Run, scenario_text: str) -> None:
    changed = load_variant(
        variant(
            scenario_text,
            (
                'par téléphone"\n    competency: TR.1\n    points: 1',
                'par téléphone"\n    competency: TR.1\n    points: 0',
            ),
        )
    )
    assert changed.scenario is not None
    with desk_run.session() as session:
        before = score_run(desk_run.scenario, desk_run.facts(), session)
        after = score_run(changed.scenario, desk_run.facts(), session)
    assert before.percent < 100 and after.percent == 100


def test_facts_read_back_from_records_are_the_live_ones(desk_run: Run) -> None:
    facts = RunFacts.from_records(desk_run.records, desk_run.scenario.start)
    assert facts.actions == desk_run.actions
    assert facts.events == desk_run.events
    assert isinstance(facts.actions[0], ActionFact)
