"""The pydantic models of simsec/scenario@1 and of the action catalogue."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, get_args, get_origin

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from typing_extensions import TypeAliasType

from simsec.actions.catalogue import (
    ACTION_NAMES,
    CATALOGUE,
    BookAppointment,
    FoundRef,
    parse_action,
)
from simsec.actions.fields import format_duration, parse_duration
from simsec.scenario.model import Scenario
from tests.scenario.conftest import EXAMPLE, load_text

SPEC_ACTIONS = {
    "attend", "ask", "request_document", "say", "end_interaction", "send_message",
    "search_patients", "create_patient", "update_patient", "check_identity_document",
    "call_insi", "flag_identity", "report_identity_issue", "attach_document", "read_vitale",
    "check_rights", "set_coverage", "bill", "record_payment", "find_slots",
    "book_appointment", "move_appointment", "cancel_appointment", "mark_arrived",
    "mark_no_show", "add_to_waitlist", "add_absence", "schedule_meeting", "open_admission",
    "record_admission_document", "set_contact_person", "close_admission",
    "register_access_request", "record_request_document", "request_missing_documents",
    "mark_request_complete", "prepare_communication", "send_communication",
    "refuse_access_request", "close_access_request", "write_letter", "send_letter",
    "submit_transcription", "submit_answer", "wait",
    # simsec's extensions of the format (docs/scenarios.md)
    "edit_letter", "discard_letter",
}  # fmt: skip


def test_the_catalogue_has_every_action_of_the_format() -> None:
    assert set(ACTION_NAMES) == SPEC_ACTIONS


def _models(annotation: Any, seen: set[type[BaseModel]]) -> None:
    if isinstance(annotation, TypeAliasType):
        annotation = annotation.__value__
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in seen:
            seen.add(annotation)
            for info in annotation.model_fields.values():
                _models(info.annotation, seen)
        return
    for arg in get_args(annotation):
        if isinstance(arg, type | TypeAliasType) or get_origin(arg) is not None:
            _models(arg, seen)


def _used_keys(value: Any, keys: set[str]) -> None:
    if isinstance(value, dict):
        keys.update(value)
        for item in value.values():
            _used_keys(item, keys)
    elif isinstance(value, list):
        for item in value:
            _used_keys(item, keys)


def test_the_complete_example_uses_every_key_and_every_action() -> None:
    result = load_text(EXAMPLE.read_text(encoding="utf-8"))
    assert result.ok and result.document is not None and result.scenario is not None
    models: set[type[BaseModel]] = set()
    _models(Scenario, models)
    every_key = {info.alias or name for m in models for name, info in m.model_fields.items()}
    used: set[str] = set()
    _used_keys(result.document.data, used)
    assert every_key - used == set()
    done = {action.do for solution in result.scenario.solutions for action in solution.actions}
    assert done == SPEC_ACTIONS
    kinds = {event.kind for event in result.scenario.events}
    assert {"visitor", "call", "message", "fault", "note"} <= kinds


def test_an_action_from_python_uses_names_and_dumps_with_the_format_spelling() -> None:
    action = parse_action(
        {
            "do": "book_appointment",
            "with": {
                "patient": {"found": "recherche1", "rank": 2},
                "practitioner": "dr_martin",
                "type": "C",
                "start": "2026-03-02T09:30",
            },
            "as": "rdv",
        }
    )
    assert isinstance(action, BookAppointment)
    assert action.with_.patient == FoundRef(found="recherche1", rank=2)
    assert action.with_.start == datetime(2026, 3, 2, 9, 30)
    dumped = action.model_dump(mode="json", exclude_defaults=True)
    assert dumped["with"]["start"] == "2026-03-02T09:30"
    assert dumped["as"] == "rdv"
    assert parse_action(dumped) == action


@pytest.mark.parametrize(
    "data",
    [
        {"do": "attend", "with": {}},
        {"do": "attend", "with": {"person": "x"}, "expect_error": "maybe"},
        {"do": "search_patients", "with": {}},
        {"do": "bill", "with": {"acts": ["G"], "tiers_payant": "none"}},
        {"do": "wait", "with": {"until": "5m", "for": "1m"}},
        {"do": "record_payment", "with": {"invoice": "f", "amount": 2.5, "method": "cb"}},
        {"do": "record_payment", "with": {"invoice": "f", "amount": "2.505", "method": "cb"}},
        {"do": "report_identity_issue", "with": {"patients": ["a"], "kind": "doublon"}},
        {"do": "update_patient", "with": {"patient": "p", "set": {}}},
        {"do": "attend", "with": {"person": "x"}, "as": "Pas-Snake"},
    ],
)
def test_invalid_actions_are_refused(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        parse_action(data)


def test_expect_error_accepts_true_false_and_any() -> None:
    for value, expected in ((True, True), (False, False), ("any", "any")):
        action = parse_action({"do": "attend", "with": {"person": "x"}, "expect_error": value})
        assert action.expect_error == expected


def test_amounts_are_decimals() -> None:
    action = parse_action(
        {"do": "record_payment", "with": {"invoice": "f", "amount": "26.50", "method": "cb"}}
    )
    assert action.with_.amount == Decimal("26.50")  # type: ignore[attr-defined]
    assert action.model_dump(mode="json")["with"]["amount"] == "26.50"


def test_every_catalogue_entry_is_consistent() -> None:
    for name, info in CATALOGUE.items():
        assert info.model.model_fields["do"].annotation is not None
        assert info.name == name
        assert info.fields is info.model.model_fields["with_"].annotation


@given(
    st.integers(min_value=0, max_value=99),
    st.integers(min_value=0, max_value=59),
    st.integers(min_value=0, max_value=59),
)
def test_durations_round_trip(hours: int, minutes: int, seconds: int) -> None:
    value = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    assert parse_duration(format_duration(value)) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30s", 30), ("5m", 300), ("1h30m", 5400), ("1h", 3600), ("0s", 0), ("2h5s", 7205)],
)
def test_offsets(text: str, expected: int) -> None:
    assert parse_duration(text) == timedelta(seconds=expected)


@pytest.mark.parametrize("text", ["", "5", "m5", "1m1h", "1.5h", "-5m", "5 m", "1d"])
def test_malformed_offsets(text: str) -> None:
    assert parse_duration(text) is None
