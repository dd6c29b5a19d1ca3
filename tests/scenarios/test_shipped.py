"""The scenarios shipped in ``scenarios/``: valid, solvable, scored as announced, and
covering what the product promises.

Issue "Engine", item 7: at least 8 realistic French scenarios that together cover the
desk, identity, insurance and payment, agenda and team planning, admission and access to
the record; each with a reference solution scoring 100 and at least one typical-mistake
solution whose expected failures are named; among them an English-speaking visitor, an
INSi outage, a call while a visitor waits, a minor and an heir asking for a deceased
patient's record. Acceptance: ``simsec scenario validate`` and ``simsec scenario test``
exit 0 on ``scenarios/*.yaml`` (run here in-process).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Final

import pytest
from click.testing import CliRunner, Result

from simsec.actions.catalogue import (
    CATALOGUE,
    ActionBase,
    Attend,
    EndInteraction,
    OpenAdmission,
    RegisterAccessRequest,
)
from simsec.cli import make_cli
from simsec.scenario.loader import load_scenario
from simsec.scenario.model import CallEvent, FaultEvent, Scenario, Solution, VisitorEvent

SCENARIOS: Final = Path(__file__).resolve().parents[2] / "scenarios"
FILES: Final = sorted(SCENARIOS.glob("*.yaml"))
#: The areas of the action catalogue that the shipped scenarios must train together.
AREAS: Final = frozenset(
    {"desk", "identity", "insurance", "payment", "agenda", "admission", "access"}
)
#: Team planning, inside the agenda area: a practitioner's absence and a meeting.
TEAM_PLANNING: Final = frozenset({"add_absence", "schedule_meeting"})


def _invoke(*args: str) -> Result:
    """Run the real ``simsec`` command tree in-process."""
    return CliRunner().invoke(make_cli(), list(args))


def _scenarios() -> Iterator[tuple[Path, Scenario]]:
    for path in FILES:
        loaded = load_scenario(str(path))
        assert loaded.scenario is not None, [error.format() for error in loaded.errors]
        yield path, loaded.scenario


def _reference(scenario: Scenario) -> Solution:
    found = [s for s in scenario.solutions if s.id == "reference"]
    assert found, f"{scenario.id}: no solution named 'reference'"
    return found[0]


def _offset(value: timedelta | datetime | None, start: datetime) -> timedelta | None:
    if value is None:
        return None
    return value if isinstance(value, timedelta) else value - start


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# ------------------------------------------------------------------ acceptance


def test_every_shipped_scenario_validates() -> None:
    result = _invoke("scenario", "validate", *map(str, FILES))
    assert result.exit_code == 0, result.output


def test_every_solution_scores_as_expected() -> None:
    result = _invoke("scenario", "test", "--json", *map(str, FILES))
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [Path(entry["file"]).name for entry in report] == [path.name for path in FILES]
    for entry in report:
        assert entry["valid"], entry["errors"]
        problems = {s["id"]: s["problems"] for s in entry["solutions"] if not s["ok"]}
        assert not problems, (entry["file"], problems)
        reference = next(s for s in entry["solutions"] if s["id"] == "reference")
        assert reference["failed"] == [], (entry["file"], reference["failed"])


# ------------------------------------------------------------------ coverage


def test_there_are_enough_scenarios_named_after_their_files() -> None:
    assert len(FILES) >= 8
    for path, scenario in _scenarios():
        assert scenario.id == path.stem
        assert scenario.locale == "fr-FR"


def test_each_scenario_has_a_reference_at_100_and_a_typical_mistake() -> None:
    for _path, scenario in _scenarios():
        assert _reference(scenario).expect.score == 100, scenario.id
        mistakes = [s for s in scenario.solutions if s.id != "reference" and s.expect.failed]
        assert mistakes, f"{scenario.id}: no typical-mistake solution with named failures"
        for mistake in mistakes:
            assert mistake.expect.score is not None and mistake.expect.score < 100


def test_rubrics_are_short_tagged_and_graded_partly_by_hand() -> None:
    manual = 0
    for _path, scenario in _scenarios():
        assert 4 <= len(scenario.rubric) <= 8, scenario.id
        automatic = [c for c in scenario.rubric if not c.manual]
        assert len(automatic) >= 4, scenario.id
        for criterion in scenario.rubric:
            assert criterion.criterion, f"{scenario.id}.{criterion.id}: no REAC criterion"
            if not criterion.manual:
                assert criterion.feedback is not None, f"{scenario.id}.{criterion.id}"
                assert criterion.feedback.pass_ and criterion.feedback.fail
        manual += sum(1 for c in scenario.rubric if c.manual)
        # The header's competences are exactly those the rubric grades.
        assert set(scenario.competencies) == {c.competency for c in scenario.rubric}, scenario.id
    assert manual >= 3


def test_worlds_stay_small_and_starts_are_weekday_mornings_in_2026() -> None:
    for _path, scenario in _scenarios():
        assert 200 <= scenario.world.population <= 500, scenario.id
        assert 1 <= scenario.world.practitioners <= 3, scenario.id
        assert 30 <= scenario.world.history_days <= 90, scenario.id
        assert scenario.start.year == 2026 and scenario.start.weekday() < 5, scenario.id
        assert 7 <= scenario.start.hour < 15, scenario.id
        assert timedelta(minutes=10) <= scenario.duration <= timedelta(minutes=30), scenario.id


def test_together_the_references_cover_every_area_and_team_planning() -> None:
    areas: set[str] = set()
    actions: set[str] = set()
    for _path, scenario in _scenarios():
        for action in _reference(scenario).actions:
            areas.add(CATALOGUE[action.do].area)
            actions.add(action.do)
    assert areas >= AREAS, sorted(AREAS - areas)
    assert actions >= TEAM_PLANNING, sorted(TEAM_PLANNING - actions)
    assert "record_payment" in actions and "bill" in actions


def test_a_mistake_tries_a_double_booking_that_the_rules_refuse() -> None:
    refused = [
        action
        for _path, scenario in _scenarios()
        for solution in scenario.solutions
        for action in solution.actions
        if action.do in ("book_appointment", "move_appointment") and action.expect_error is True
    ]
    assert refused


def test_an_english_speaking_visitor() -> None:
    assert any(
        person.lang == "en"
        and any(isinstance(e, VisitorEvent) and e.person == person.key for e in scenario.events)
        for _path, scenario in _scenarios()
        for person in scenario.people
    )


def test_an_insi_outage() -> None:
    assert any(
        isinstance(event, FaultEvent)
        and event.service == "insi"
        and event.mode == "unavailable"
        and any(
            a.do == "call_insi" and a.expect_error is True for a in _reference(scenario).actions
        )
        for _path, scenario in _scenarios()
        for event in scenario.events
    )


def _first(actions: list[ActionBase], kind: type[ActionBase], people: set[str]) -> int | None:
    """The index of the first ``kind`` action (attend, end_interaction) on one of ``people``."""
    for index, action in enumerate(actions):
        if (
            isinstance(action, Attend | EndInteraction)
            and isinstance(action, kind)
            and action.with_.person in people
        ):
            return index
    return None


def _call_while_visitor_waits(scenario: Scenario) -> bool:
    """A call rings after a visitor arrived, and the reference answers it before ending
    the visitor's interaction (the visitor waits at the desk)."""
    visits = {
        e.person: _offset(e.at, scenario.start)
        for e in scenario.events
        if isinstance(e, VisitorEvent)
    }
    calls = {
        e.person: _offset(e.at, scenario.start) for e in scenario.events if isinstance(e, CallEvent)
    }
    actions: list[ActionBase] = list(_reference(scenario).actions)
    for caller, rings in calls.items():
        waiting = {
            v for v, at in visits.items() if at is not None and rings is not None and at < rings
        }
        answered = _first(actions, Attend, {caller})
        ended = _first(actions, EndInteraction, waiting)
        if waiting and answered is not None and ended is not None and answered < ended:
            return True
    return False


def test_a_call_rings_while_a_visitor_waits() -> None:
    assert any(_call_while_visitor_waits(scenario) for _path, scenario in _scenarios())


def test_a_minor_is_admitted() -> None:
    found = False
    for _path, scenario in _scenarios():
        minors = {
            p.key
            for p in scenario.fixtures.patients
            if p.birth_date is not None and _age(p.birth_date, scenario.start.date()) < 18
        }
        found = found or any(
            isinstance(a, OpenAdmission) and a.with_.patient in minors
            for a in _reference(scenario).actions
        )
    assert found


def test_an_heir_asks_for_a_deceased_patients_record() -> None:
    found = False
    for _path, scenario in _scenarios():
        deceased = any(p.deceased_on is not None for p in scenario.fixtures.patients)
        heir = any(person.role == "ayant_droit" for person in scenario.people)
        registered = any(
            isinstance(a, RegisterAccessRequest)
            and a.with_.requester.kind == "ayant_droit"
            and a.with_.requester.motive is not None
            for a in _reference(scenario).actions
        )
        found = found or (deceased and heir and registered)
    assert found


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_the_readme_lists_the_scenario(path: Path) -> None:
    readme = (SCENARIOS / "README.md").read_text(encoding="utf-8")
    assert f"`{path.stem}`" in readme
