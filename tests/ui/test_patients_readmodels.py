"""The read models of the patients and insurance screens (``simsec.services.readmodels``).

The preview shown as the trainee types must find exactly what the ``search_patients``
action records; the other views read what the actions wrote.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from identity_driver import IDENTITY_SCENARIO
from ui_support import fake_wall

from simsec.actions.catalogue import SearchPatientsFields
from simsec.scenario.loader import load_scenario
from simsec.scenario.run import Run
from simsec.scenario.world_cache import WorldCache
from simsec.services import readmodels


@pytest.fixture
def run(world_cache: WorldCache) -> Run:
    loaded = load_scenario(IDENTITY_SCENARIO)
    assert loaded.scenario is not None
    started = Run.start(
        loaded.scenario,
        sha256=loaded.sha256,
        cache=world_cache,
        wall_clock=fake_wall(),
        fsync=False,
    )
    started.perform({"do": "attend", "with": {"person": "v_dupont"}})
    return started


@pytest.mark.parametrize(
    "fields",
    [
        {"birth_date": "1985-04-12"},
        {"birth_date": "1985-04-12", "birth_name": "DUP"},
        {"birth_name": "DUPOMT", "first_name": "MARIE"},
        {"used_name": "DUPONT", "birth_date": "1985-12-04"},  # day and month swapped
        {"birth_name": "DUPONT", "used_name": "MARTIN"},
        {"first_name": "LEA", "birth_date": "2017-09-03"},
    ],
)
def test_the_preview_finds_what_the_search_action_records(run: Run, fields: dict[str, Any]) -> None:
    preview = readmodels.search_preview(run.db, SearchPatientsFields.model_validate(fields))
    outcome = run.perform({"do": "search_patients", "with": fields})
    assert outcome.ok
    logged = [(r["key"], r["score"]) for r in outcome.result["results"]]
    assert [(row.key, round(row.score, 4)) for row in preview] == logged
    assert [row.rank for row in preview] == list(range(1, len(preview) + 1))


def test_a_hit_carries_the_status_of_its_record(run: Run) -> None:
    run.perform(
        {
            "do": "flag_identity",
            "with": {"patient": "p_dupond", "attribute": "douteuse", "on": True},
        }
    )
    rows = readmodels.search_preview(run.db, SearchPatientsFields(birth_date=date(1985, 4, 12)))
    dupond = next(row for row in rows if row.key == "p_dupond")
    assert (dupond.identity_status, dupond.attributes) == ("provisoire", ("douteuse",))
    assert dupond.match("birth_date") is not None and dupond.match("nir") is None


def test_a_record_as_the_screens_show_it(run: Run) -> None:
    run.perform(
        {"do": "check_identity_document", "with": {"patient": "p_dupont", "document": "cni_dupont"}}
    )
    run.perform(
        {"do": "attach_document", "with": {"patient": "p_dupont", "document": "cni_dupont"}}
    )
    record = readmodels.patient_record(run.db, "p_dupont")
    assert record is not None
    assert (record.birth_name, record.first_names, record.identity_status) == (
        "DUPONT",
        ("MARIE", "CLAIRE"),
        "validee",
    )
    assert record.document_checked == "cni"
    assert [(d.kind, d.document) for d in record.documents] == [("cni", "cni_dupont")]
    assert readmodels.patient_record(run.db, "p_nobody") is None
    summaries = readmodels.patient_summaries(run.db, ["p_lea", "p_nobody", "p_dupont"])
    assert [s.key for s in summaries] == ["p_lea", "p_dupont"]
    assert summaries[1].display_name == "DUPONT MARIE CLAIRE"


def test_the_patients_expected_today(run: Run) -> None:
    expected = readmodels.expected_today(run.db, date(2026, 3, 2))
    assert [(e.key, e.at) for e in expected if e.key == "p_dupont"] == [
        ("p_dupont", datetime(2026, 3, 2, 9, 0))
    ]
    assert readmodels.expected_today(run.db, date(2026, 3, 3)) == ()


def test_coverage_bills_and_payments(run: Run) -> None:
    assert readmodels.coverage_of(run.db, "p_dupont") == readmodels.CoverageView(None, None)
    run.perform(
        {
            "do": "set_coverage",
            "with": {
                "patient": "p_dupont",
                "amo": {
                    "regime": "general",
                    "rights_from": "2025-10-01",
                    "rights_until": "2026-09-30",
                },
                "amc": {"organisme": "Mutuelle des Tilleuls", "tiers_payant": False},
            },
        }
    )
    coverage = readmodels.coverage_of(run.db, "p_dupont")
    assert coverage.amo is not None and coverage.amo.regime == "general"
    assert coverage.amc is not None and not coverage.amc.tiers_payant
    [item] = readmodels.billables(run.db, "p_dupont")
    assert (item.kind, item.key, item.status, item.invoice) == (
        "appointment",
        "rdv_dupont",
        "arrived",
        None,
    )
    bill = run.perform(
        {"do": "bill", "with": {"appointment": "rdv_dupont", "acts": ["G"], "tiers_payant": "amo"}}
    )
    assert bill.ok
    run.perform(
        {
            "do": "record_payment",
            "with": {"invoice": bill.result["key"], "amount": "5.00", "method": "cb"},
        }
    )
    [invoice] = readmodels.invoices(run.db, "p_dupont")
    assert (invoice.target, invoice.total, invoice.due_at_desk, invoice.paid) == (
        "rdv_dupont",
        Decimal("30.00"),
        Decimal("9.00"),
        Decimal("5.00"),
    )
    assert invoice.remaining == Decimal("4.00")
    assert sum((line.amount for line in invoice.lines), Decimal(0)) == invoice.total
    assert [p.amount for p in invoice.payments] == [Decimal("5.00")]
    assert readmodels.billables(run.db, "p_dupont")[0].invoice == bill.result["key"]
    assert readmodels.owner_of(run.db, invoice=bill.result["key"]) == "p_dupont"
    assert readmodels.owner_of(run.db, appointment="rdv_dupont") == "p_dupont"
    assert readmodels.owner_of(run.db, admission="nothing") is None
