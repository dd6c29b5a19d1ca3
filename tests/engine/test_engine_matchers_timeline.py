"""Action matchers, value operators, the clock and the timeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from engine_helpers import load_variant, variant
from hypothesis import given
from hypothesis import strategies as st

from simsec.scenario.matchers import ActionFact, MatchContext, fold, match_action, match_value
from simsec.scenario.model import ActionMatcher, Between, Contains, InValues
from simsec.scenario.run import Run
from simsec.scenario.timeline import Clock

START = datetime(2026, 3, 2, 8, 45)
CTX = MatchContext(START, {"nouveau": "patient#61", "recherche": ("p_a", "p_b")})


def fact(do: str, with_: dict[str, Any], ok: bool = True) -> ActionFact:
    result: dict[str, Any] = {"ok": True} if ok else {"ok": False, "error": {"code": "x"}}
    return ActionFact(1, START, do, with_, None, result)


def matcher(data: dict[str, Any]) -> ActionMatcher:
    return ActionMatcher.model_validate(data)


# ---------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("expected", "actual", "result"),
    [
        ("DUPONT", "Dupont", True),
        ("Léa", "LEA", True),
        ("DUPONT", "DURAND", False),
        ("nouveau", "patient#61", True),
        ("2026-03-02T09:00", "2026-03-02T09:00:00", True),
        ("2026-03-02", datetime(2026, 3, 2, 14, 0), True),
        ("2026-03-02", date(2026, 3, 3), False),
        ("10m", datetime(2026, 3, 2, 8, 55), True),
        (Decimal("26.5"), "26.50", True),
        (2, 2, True),
        (True, True, True),
        (True, False, False),
        ("douteuse", ["douteuse", "fictive"], True),
        ("present", "285047505672304", True),
        ("present", None, False),
        ("absent", None, True),
        ("absent", "", True),
        (None, None, True),
        (["b", "a"], ["a", "b"], True),
        (["a"], ["a", "b"], False),
        ({"kind": "ayant_droit"}, {"kind": "ayant_droit", "name": "X"}, True),
        ({"kind": "patient"}, {"kind": "ayant_droit"}, False),
        ("MARIE CLAIRE", ["MARIE", "CLAIRE"], True),
    ],
)
def test_literal_values(expected: Any, actual: Any, result: bool) -> None:
    assert match_value(expected, actual, CTX) is result


def test_operators() -> None:
    assert match_value(Contains(contains="resultat"), "Le RÉSULTAT d'analyse", CTX)
    assert not match_value(Contains(contains="ordonnance"), "Le résultat", CTX)
    assert match_value(InValues.model_validate({"in": ["cb", "especes"]}), "especes", CTX)
    assert not match_value(InValues.model_validate({"in": ["cb"]}), "cheque", CTX)
    assert match_value(InValues.model_validate({"in": ["p_b"]}), ["p_a", "p_b"], CTX)
    between = Between.model_validate({"between": ["2026-03-02T09:00", "2026-03-02T10:00"]})
    assert match_value(between, "2026-03-02T09:30", CTX)
    assert match_value(between, datetime(2026, 3, 2, 10, 0), CTX)
    assert not match_value(between, "2026-03-02T10:01", CTX)
    assert match_value(Between.model_validate({"between": ["0s", "15m"]}), START, CTX)
    assert match_value(
        Between.model_validate({"between": ["09:00", "12:00"]}), "2026-03-05T11:40", CTX
    )


@given(
    low=st.decimals(-1000, 1000, places=2),
    width=st.decimals(0, 1000, places=2),
    value=st.decimals(-3000, 3000, places=2),
)
def test_between_numbers_is_the_closed_interval(
    low: Decimal, width: Decimal, value: Decimal
) -> None:
    spec = Between.model_validate({"between": [low, low + width]})
    assert match_value(spec, str(value), CTX) is (low <= value <= low + width)


@given(st.text())
def test_fold_is_idempotent_and_ignores_case(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert fold(text.upper()) == fold(text.lower()) or not text.isascii()


def test_matcher_ok_filter_and_subset_match() -> None:
    refused = fact("book_appointment", {"patient": "patient#61", "type": "C"}, ok=False)
    accepted = fact("book_appointment", {"patient": "patient#61", "type": "C"})
    default = matcher({"do": "book_appointment", "with": {"patient": "nouveau"}})
    assert match_action(default, accepted, CTX) and not match_action(default, refused, CTX)
    only_refused = matcher({"do": "book_appointment", "ok": False})
    assert match_action(only_refused, refused, CTX) and not match_action(
        only_refused, accepted, CTX
    )
    both = matcher({"do": "book_appointment", "ok": "any"})
    assert match_action(both, refused, CTX) and match_action(both, accepted, CTX)
    other = matcher({"do": "cancel_appointment"})
    assert not match_action(other, accepted, CTX)
    nested = fact("register_access_request", {"requester": {"kind": "ayant_droit", "name": "A"}})
    by_path = matcher(
        {"do": "register_access_request", "with": {"requester": {"kind": "ayant_droit"}}}
    )
    assert match_action(by_path, nested, CTX)


# ---------------------------------------------------------------- clock


def test_the_clock_only_moves_forward() -> None:
    clock = Clock(START, timedelta(minutes=20))
    clock.set(START + timedelta(minutes=5))
    clock.set(START)
    assert clock.now == START + timedelta(minutes=5)
    assert clock.at(timedelta(minutes=1)) == START + timedelta(minutes=1)
    assert not clock.time_up
    clock.set(START + timedelta(minutes=20))
    assert clock.time_up


# ---------------------------------------------------------------- timeline


def _events(run: Run) -> list[tuple[str, str]]:
    return [(r["id"], r["t"][11:]) for r in run.records if r["kind"] == "event"]


def test_at_events_fire_in_time_order_each_at_its_own_time(start_run: Callable[..., Run]) -> None:
    run = start_run()
    assert _events(run) == [("arrivee_dupont", "08:45:00")]
    assert run.stage.present("v_dupont") and not run.stage.present("c_pharmacien")
    fired = run.advance_to(timedelta(minutes=12))
    assert [f.id for f in fired] == ["appel_pharmacie", "panne_insi"]
    assert _events(run)[1:] == [("appel_pharmacie", "08:49:00"), ("panne_insi", "08:55:00")]
    assert run.stage.channel("c_pharmacien") == "call"
    assert run.now == datetime(2026, 3, 2, 8, 57)
    event = next(r for r in run.records if r["kind"] == "event" and r["id"] == "panne_insi")
    assert event["event_kind"] == "fault"
    assert event["shown"] == {
        "service": "insi",
        "mode": "unavailable",
        "until": "2026-03-02T09:10:00",
    }


def test_when_events_fire_after_their_delay_once(start_run: Callable[..., Run]) -> None:
    run = start_run()
    run.perform({"do": "mark_arrived", "with": {"appointment": "rdv1"}}, at=timedelta(seconds=30))
    assert "message_martin" not in [e for e, _t in _events(run)]
    run.advance_to(timedelta(seconds=89))
    assert "message_martin" not in [e for e, _t in _events(run)]
    run.advance_to(timedelta(minutes=2))
    assert ("message_martin", "08:46:30") in _events(run)
    run.perform({"do": "mark_arrived", "with": {"appointment": "rdv1"}})
    run.advance_to(timedelta(minutes=5))
    assert [e for e, _t in _events(run)].count("message_martin") == 1


def test_a_refused_action_does_not_meet_a_when_condition(start_run: Callable[..., Run]) -> None:
    run = start_run()
    run.perform({"do": "mark_arrived", "with": {"appointment": "rdv_inconnu"}})
    run.advance_to(timedelta(minutes=3))
    assert "message_martin" not in [e for e, _t in _events(run)]


def test_a_when_event_without_delay_fires_right_after_the_action(
    scenario_text: str, start_run: Callable[..., Run]
) -> None:
    loaded = load_variant(variant(scenario_text, ("    delay: 1m\n", "")))
    assert loaded.scenario is not None
    run = start_run(loaded.scenario)
    run.perform({"do": "mark_arrived", "with": {"appointment": "rdv1"}})
    kinds = [(r["kind"], r.get("id") or r.get("do")) for r in run.records[-2:]]
    assert kinds == [("action", "mark_arrived"), ("event", "message_martin")]


def test_faults_make_insi_unavailable_for_their_window(start_run: Callable[..., Run]) -> None:
    run = start_run()
    assert run.stage.service_state("insi", run.now) == "available"
    refused = run.perform(
        {"do": "call_insi", "with": {"patient": "p_petit", "mode": "traits"}},
        at=timedelta(minutes=11),
    )
    assert refused.error is not None and refused.error["code"] == "insi_unavailable"
    assert run.stage.service_state("adri", run.now) == "available"
    answered = run.perform(
        {"do": "call_insi", "with": {"patient": "p_petit", "mode": "traits"}},
        at=timedelta(minutes=25),
    )
    assert answered.ok


def test_events_due_after_the_end_never_fire(
    scenario_text: str, start_run: Callable[..., Run]
) -> None:
    loaded = load_variant(variant(scenario_text, ("    delay: 1m\n", "    delay: 35m\n")))
    assert loaded.scenario is not None
    run = start_run(loaded.scenario)
    run.perform({"do": "mark_arrived", "with": {"appointment": "rdv1"}}, at=timedelta(minutes=10))
    run.advance_to(timedelta(hours=2))
    fired = [e for e, _t in _events(run)]
    assert "note_fin" in fired
    assert "message_martin" not in fired


def test_tasks_open_with_their_event_and_close_with_the_interaction(
    start_run: Callable[..., Run],
) -> None:
    run = start_run()
    assert [t.id for t in run.timeline.open_tasks()] == ["arrivee_dupont"]
    run.perform({"do": "attend", "with": {"person": "v_dupont"}})
    run.perform({"do": "end_interaction", "with": {"person": "v_dupont", "outcome": "done"}})
    assert run.timeline.open_tasks() == []
    assert not run.stage.present("v_dupont")
    after = run.perform({"do": "ask", "with": {"person": "v_dupont", "question": "reason"}})
    assert after.error is not None and after.error["code"] == "person_not_present"


def test_wait_moves_the_clock_and_is_logged(start_run: Callable[..., Run]) -> None:
    run = start_run()
    run.perform({"do": "wait", "with": {"for": "5m"}})
    assert run.now == datetime(2026, 3, 2, 8, 50)
    assert ("appel_pharmacie", "08:49:00") in _events(run)
    run.perform({"do": "wait", "with": {"until": "2026-03-02T09:00"}})
    assert run.now == datetime(2026, 3, 2, 9, 0)
    waits = [r for r in run.records if r["kind"] == "action" and r["do"] == "wait"]
    assert [w["t"][11:] for w in waits] == ["08:45:00", "08:50:00"]


def test_scenario_times_written_as_offsets_reach_services_as_date_times(
    start_run: Callable[..., Run],
) -> None:
    run = start_run()
    outcome = run.perform(
        {"do": "find_slots", "with": {"type": "C", "practitioner": "dr_martin", "after": "1h"}}
    )
    assert outcome.ok, outcome.result
    assert run.records[-1]["with"]["after"] == "2026-03-02T09:45"
    assert outcome.result["slots"][0]["start"] >= "2026-03-02T09:45"
