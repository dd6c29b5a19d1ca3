"""The engine: one action, one transaction, one result; references; refusals."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from simsec.actions.catalogue import ReportIdentityIssueFields, SayFields, parse_action
from simsec.actions.engine import Engine, jsonable
from simsec.actions.references import Bindings, binding_value, resolve_fields
from simsec.db.dump import dump_hash
from simsec.db.models import Message, Patient
from simsec.scenario.run import Run
from simsec.services.base import RuleError, ServiceContext

# ---------------------------------------------------------------- references


def test_found_refs_resolve_to_the_patient_at_that_rank() -> None:
    bindings = Bindings({"recherche1": ("patient#7", "p_dupont")})
    fields = ReportIdentityIssueFields.model_validate(
        {"patients": [{"found": "recherche1", "rank": 2}, "patient#7"], "kind": "doublon"}
    )
    resolved = resolve_fields(fields, bindings)
    assert isinstance(resolved, ReportIdentityIssueFields)
    assert resolved.patients == ["p_dupont", "patient#7"]


def test_a_rank_beyond_the_results_is_a_not_found_refusal() -> None:
    bindings = Bindings({"recherche1": ("p_dupont",)})
    fields = ReportIdentityIssueFields.model_validate(
        {"patients": [{"found": "recherche1", "rank": 3}, "p_dupont"], "kind": "doublon"}
    )
    with pytest.raises(RuleError) as caught:
        resolve_fields(fields, bindings)
    assert caught.value.code == "not_found"
    assert "recherche1" in caught.value.message


def test_a_search_where_one_patient_is_expected_is_refused() -> None:
    bindings = Bindings({"recherche1": ("p_dupont",)})
    with pytest.raises(RuleError) as caught:
        bindings.found("inconnue", 1)
    assert caught.value.code == "unresolved_reference"
    fields = ReportIdentityIssueFields.model_validate(
        {"patients": ["recherche1", "p_dupont"], "kind": "doublon"}
    )
    with pytest.raises(RuleError):
        resolve_fields(fields, bindings)


def test_bound_names_are_replaced_in_references_only_never_in_free_text() -> None:
    bindings = Bindings({"nouveau": "patient#61"})
    say = SayFields.model_validate({"person": "nouveau", "text": "nouveau"})
    resolved = resolve_fields(say, bindings)
    assert isinstance(resolved, SayFields)
    assert resolved.person == "patient#61"
    assert resolved.text == "nouveau"


def test_binding_values_follow_what_the_action_creates() -> None:
    assert binding_value("patient", {"ok": True, "key": "patient#3"}) == "patient#3"
    search = {"results": [{"key": "p_a", "score": 1.0}, {"key": "p_b"}], "count": 2}
    assert binding_value("search", search) == ("p_a", "p_b")
    assert binding_value(None, {"key": "x"}) is None


def test_jsonable_gives_deterministic_json_values() -> None:
    from decimal import Decimal

    value = {"d": datetime(2026, 3, 2, 9, 0), "n": Decimal("26.50"), "s": {"b", "a"}, "t": (1, 2)}
    assert jsonable(value) == {"d": "2026-03-02T09:00", "n": "26.50", "s": ["a", "b"], "t": [1, 2]}


# ---------------------------------------------------------------- engine


def _engine_on(run: Run, services: Mapping[str, Callable[..., Any]]) -> Engine:
    return Engine(run.db, services=services)


def test_a_refused_action_changes_nothing_and_is_still_logged(
    start_run: Callable[..., Run],
) -> None:
    run = start_run()
    before = dump_hash(run.db)
    outcome = run.perform(
        {
            "do": "create_patient",
            "with": {
                "birth_name": "DUPONT",
                "first_names": ["MARIE"],
                "birth_date": "2090-01-01",
                "sex": "F",
            },
        }
    )
    assert not outcome.ok
    assert outcome.error is not None and outcome.error["code"] and outcome.error["message"]
    assert dump_hash(run.db) == before
    logged = run.records[-1]
    assert logged["kind"] == "action" and logged["result"]["ok"] is False


def test_a_service_that_fails_after_writing_is_rolled_back(
    start_run: Callable[..., Run],
) -> None:
    run = start_run()
    before = dump_hash(run.db)

    def half_done(ctx: ServiceContext, fields: Any) -> dict[str, Any]:
        ctx.session.add(
            Message(key="message#99", direction="out", sender="a", recipient="b", subject="s")
        )
        ctx.session.flush()
        raise RuleError("refus_test", "Refusé pour le test.")

    engine = _engine_on(run, {"say": half_done})
    outcome = engine.apply(
        {"do": "say", "with": {"person": "v_dupont", "text": "Bonjour"}},
        now=run.now,
        stage=run.stage,
        bindings=Bindings(),
    )
    assert outcome.result == {
        "ok": False,
        "error": {"code": "refus_test", "message": "Refusé pour le test."},
    }
    assert dump_hash(run.db) == before


def test_a_defect_in_a_service_is_a_refusal_not_a_crash(start_run: Callable[..., Run]) -> None:
    run = start_run()

    def broken(ctx: ServiceContext, fields: Any) -> dict[str, Any]:
        raise ZeroDivisionError("division by zero")

    outcome = _engine_on(run, {"say": broken}).apply(
        {"do": "say", "with": {"person": "v_dupont", "text": "Bonjour"}},
        now=run.now,
        stage=run.stage,
        bindings=Bindings(),
    )
    assert not outcome.ok and outcome.error is not None
    assert outcome.error["code"] == "internal_error"


def test_an_invalid_action_from_the_ui_is_a_french_refusal(start_run: Callable[..., Run]) -> None:
    run = start_run()
    outcome = run.perform({"do": "book_appointment", "with": {"patient": "p_dupont"}})
    assert not outcome.ok and outcome.error is not None
    assert outcome.error["code"] == "invalid_action"
    assert outcome.error["message"].startswith("Action invalide")
    unknown = run.perform({"do": "fly_away", "with": {}})
    assert unknown.error is not None and unknown.error["code"] == "invalid_action"
    assert [r["do"] for r in run.records if r["kind"] == "action"] == [
        "book_appointment",
        "fly_away",
    ]


def test_unknown_references_are_not_found_refusals(start_run: Callable[..., Run]) -> None:
    run = start_run()
    outcome = run.perform({"do": "mark_arrived", "with": {"appointment": "rdv_inconnu"}})
    assert outcome.error is not None and outcome.error["code"] == "not_found"
    found = run.perform(
        {
            "do": "flag_identity",
            "with": {
                "patient": {"found": "jamais_faite", "rank": 1},
                "attribute": "douteuse",
                "on": True,
            },
        }
    )
    assert found.error is not None and found.error["code"] == "unresolved_reference"
    assert found.with_["patient"] == {"found": "jamais_faite", "rank": 1}


def test_as_binds_created_keys_and_search_results_and_the_log_keeps_stable_keys(
    start_run: Callable[..., Run],
) -> None:
    run = start_run()
    search = run.perform(
        {
            "do": "search_patients",
            "with": {"birth_name": "DUPONT", "birth_date": "1985-04-12"},
            "as": "recherche",
        }
    )
    assert search.ok
    assert run.bindings.get("recherche") == ("p_dupont",)
    created = run.perform(
        {
            "do": "create_patient",
            "as": "nouveau",
            "with": {
                "birth_name": "Martin",
                "first_names": ["Léa"],
                "birth_date": "2001-02-03",
                "sex": "F",
                "birth_place": "69123",
            },
        }
    )
    assert created.ok
    key = run.bindings.get("nouveau")
    assert isinstance(key, str) and key.startswith("patient#")
    flag = run.perform(
        {"do": "flag_identity", "with": {"patient": "nouveau", "attribute": "douteuse", "on": True}}
    )
    assert flag.ok
    assert run.records[-1]["with"]["patient"] == key
    check = run.perform(
        {
            "do": "flag_identity",
            "with": {
                "patient": {"found": "recherche", "rank": 1},
                "attribute": "douteuse",
                "on": True,
            },
        }
    )
    assert check.ok and run.records[-1]["with"]["patient"] == "p_dupont"
    with run.session() as session:
        stored = session.scalars(select(Patient).where(Patient.key == key)).one()
        assert stored.birth_name == "MARTIN" and stored.douteuse


def test_services_receive_scenario_time_never_the_wall_clock(
    start_run: Callable[..., Run],
) -> None:
    run = start_run()
    seen: list[datetime] = []

    def spy(ctx: ServiceContext, fields: Any) -> dict[str, Any]:
        seen.append(ctx.now)
        return {"person": fields.person}

    run.engine = _engine_on(run, {"say": spy})
    run.perform(parse_action({"do": "say", "with": {"person": "v_dupont", "text": "x"}}), at=None)
    run.advance_to(datetime(2026, 3, 2, 9, 0))
    run.perform({"do": "say", "with": {"person": "v_dupont", "text": "y"}})
    assert seen == [datetime(2026, 3, 2, 8, 45), datetime(2026, 3, 2, 9, 0)]
