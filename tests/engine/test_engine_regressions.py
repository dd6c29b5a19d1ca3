"""Regressions found while writing the shipped scenarios, played through a whole run.

- a document shown only on request must be asked for before it is used, and a replay
  (where ``request_document`` is recalled, not applied) sees the same thing;
- a visitor who has no record yet is identified, insured and billed on the record created
  for them during the run (their own document, the insurer's NIR, a CEAM);
- a fixture patient's birth place may be left unknown (``birth_place: none``);
- the complete example of the format passes ``simsec scenario test``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from engine_helpers import SCENARIO_FILE, load_variant, variant
from sqlalchemy import select
from sqlalchemy.orm import Session

from simsec.actions.fields import parse_duration
from simsec.db.models import Coverage, InsRegistryEntry, InsurerRecord, Invoice, Patient
from simsec.runlog.replay import replay_log
from simsec.scenario.loader import load_scenario_bytes
from simsec.scenario.run import Run
from simsec.scenario.world_cache import WorldCache

EXAMPLE = Path(__file__).resolve().parents[1] / "scenario" / "data" / "exemple_complet.yaml"

#: A tourist without a record: his titre de séjour, his CEAM; INSi and the insurer know him.
SMITH = (
    (
        "  - key: c_pharmacien\n",
        """  - key: v_smith
    name: "John SMITH"
    role: patient
    lang: en
    documents:
      - key: titre_smith
        kind: titre_sejour
        birth_name: SMITH
        first_names: [JOHN]
        birth_date: 1990-09-09
        sex: M
        birth_place: DUBLIN
        nationality: IRL
        country: FRA
        number: "TS1234567"
        issued: 2024-01-01
        expires: 2034-01-01
        mrz: valid
      - key: ceam_smith
        kind: ceam
        birth_name: SMITH
        first_names: [JOHN]
        birth_date: 1990-09-09
        number: "80372000001234567890"
        country: IE
        issued: 2024-01-01
        expires: 2029-01-01
  - key: c_pharmacien
""",
    ),
    (
        "    - of: p_petit\n  insurer:\n",
        """    - of: p_petit
    - of: v_smith
      birth_place: "99136"
  insurer:
    - of: v_smith
      amo: {regime: ceam, rights_from: 2024-01-01, rights_until: 2029-01-01}
""",
    ),
    (
        "  - id: appel_pharmacie\n",
        """  - id: arrivee_smith
    at: 1m
    kind: visitor
    person: v_smith
  - id: appel_pharmacie
""",
    ),
)


def _ok(run: Run, action: dict[str, Any], *, at: str | None = None) -> dict[str, Any]:
    outcome = run.perform(action, at=parse_duration(at) if at else None)
    assert outcome.ok, outcome.result
    return outcome.result


def _refused(run: Run, action: dict[str, Any], code: str) -> dict[str, Any]:
    outcome = run.perform(action)
    assert not outcome.ok and outcome.error is not None, outcome.result
    assert outcome.error["code"] == code, outcome.error
    return outcome.error


# ------------------------------------------------------------------ documents asked for


def test_a_document_shown_on_request_is_used_only_once_asked_for_live_and_in_replay(
    start_run: Callable[..., Run], tmp_path: Path
) -> None:
    log = tmp_path / "run.jsonl"
    run = start_run(log_path=log, path=str(SCENARIO_FILE))
    check = {"patient": "p_dupont", "document": "cni_dupont"}
    _ok(run, {"do": "attend", "with": {"person": "v_dupont"}}, at="30s")
    error = _refused(
        run, {"do": "check_identity_document", "with": check}, "document_not_requested"
    )
    assert "Demander un document" in error["message"]
    _refused(run, {"do": "attach_document", "with": check}, "document_not_requested")
    _refused(
        run,
        {"do": "read_vitale", "with": {"patient": "p_dupont", "document": "vitale_dupont"}},
        "document_not_requested",
    )
    _ok(run, {"do": "request_document", "with": {"person": "v_dupont", "kind": "cni"}})
    checked = _ok(run, {"do": "check_identity_document", "with": check})
    assert checked["validated"] and checked["identity_status"] == "validee"
    # asking for the CNI did not hand over the carte Vitale
    _refused(
        run,
        {"do": "read_vitale", "with": {"patient": "p_dupont", "document": "vitale_dupont"}},
        "document_not_requested",
    )
    run.end()
    replayed = replay_log(log, scenario_path=SCENARIO_FILE, full_hash=False)
    assert replayed.ok, replayed.findings
    assert replayed.divergences == []
    assert replayed.state_hash == replayed.logged_state


# ------------------------------------------------------------------ a visitor without record


@pytest.fixture(scope="module")
def smith_variant(scenario_text: str) -> Any:
    return load_variant(variant(scenario_text, *SMITH), "smith.yaml")


def test_the_insurer_knows_a_person_by_the_nir_of_their_registry_entry(
    smith_variant: Any, cache: WorldCache
) -> None:
    db = cache.engine(smith_variant.scenario, smith_variant.sha256)
    with Session(db) as session:
        entry = session.scalars(
            select(InsRegistryEntry).where(InsRegistryEntry.key == "ins#v_smith")
        ).one()
        insured = session.scalars(
            select(InsurerRecord).where(InsurerRecord.key == "insurer#v_smith")
        ).one()
    assert entry.birth_place == "99136" and entry.patient_key is None
    assert insured.patient_key is None
    assert insured.nir == entry.nir is not None
    assert insured.amo_regime == "ceam" and insured.ceam


def test_without_registry_entry_the_insurer_takes_the_nir_of_the_persons_card(
    scenario_text: str, cache: WorldCache
) -> None:
    loaded = load_variant(
        variant(
            scenario_text,
            (
                "  - key: c_pharmacien\n",
                """  - key: v_jones
    role: patient
    documents:
      - {key: vitale_jones, kind: carte_vitale, nir: "190099913600185"}
  - key: c_pharmacien
""",
            ),
            (
                "  insurer:\n",
                """  insurer:
    - of: v_jones
      amo: {regime: general, rights_from: 2026-01-01, rights_until: 2026-12-31}
""",
            ),
        ),
        "jones.yaml",
    )
    db = cache.engine(loaded.scenario, loaded.sha256)
    with Session(db) as session:
        insured = session.scalars(
            select(InsurerRecord).where(InsurerRecord.key == "insurer#v_jones")
        ).one()
    assert insured.nir == "190099913600185" and insured.patient_key is None
    assert insured.card_holder_key == "v_jones" and not insured.ceam


def test_a_visitor_without_record_is_identified_insured_and_billed_on_the_new_record(
    smith_variant: Any, start_run: Callable[..., Run]
) -> None:
    run = start_run(smith_variant.scenario, sha256=smith_variant.sha256)
    _ok(run, {"do": "attend", "with": {"person": "v_smith"}}, at="1m10s")
    _ok(run, {"do": "search_patients", "with": {"birth_name": "SMITH", "birth_date": "1990-09-09"}})
    created = _ok(
        run,
        {
            "do": "create_patient",
            "as": "smith",
            "with": {
                "birth_name": "SMITH",
                "first_names": ["JOHN"],
                "birth_date": "1990-09-09",
                "sex": "M",
                "birth_place": "99136",
            },
        },
    )
    key = created["key"]
    # his own titre de séjour validates the record created for him
    _ok(run, {"do": "request_document", "with": {"person": "v_smith", "kind": "titre_sejour"}})
    checked = _ok(
        run,
        {"do": "check_identity_document", "with": {"patient": "smith", "document": "titre_smith"}},
    )
    assert checked["validated"] and checked["validation_mode"] == "CS"
    insi = _ok(run, {"do": "call_insi", "with": {"patient": "smith", "mode": "traits"}})
    assert insi["accepted"] and insi["identity_status"] == "qualifiee"
    # the insurer finds him by the INS, and his rights are a CEAM
    rights = _ok(run, {"do": "check_rights", "with": {"patient": "smith"}})
    assert rights["found"] and rights["rights"] == "open"
    assert rights["amo"]["regime"] == "ceam" and rights["amo"]["ceam"] is True
    _ok(
        run,
        {
            "do": "set_coverage",
            "with": {
                "patient": "smith",
                "amo": {
                    "regime": "ceam",
                    "rights_from": "2024-01-01",
                    "rights_until": "2029-01-01",
                },
            },
        },
    )
    _ok(run, {"do": "request_document", "with": {"person": "v_smith", "kind": "ceam"}})
    _ok(run, {"do": "attach_document", "with": {"patient": "smith", "document": "ceam_smith"}})
    _ok(
        run,
        {
            "do": "book_appointment",
            "as": "rdv_smith",
            "with": {
                "patient": "smith",
                "practitioner": "dr_martin",
                "type": "C",
                "start": "2026-03-02T10:00",
            },
        },
    )
    _ok(run, {"do": "mark_arrived", "with": {"appointment": "rdv_smith"}})
    bill = _ok(
        run,
        {
            "do": "bill",
            "as": "facture",
            "with": {"appointment": "rdv_smith", "acts": ["G"], "tiers_payant": "amo"},
        },
    )
    # billed like a locally insured person: 70 %, no out-of-parcours majoration
    assert bill["split"]["parcours"] == "away_from_home"
    assert (bill["amo_part"], bill["participation"], bill["due_at_desk"]) == (
        "19.00",
        "2.00",
        "9.00",
    )
    with run.session() as session:
        patient = session.scalars(select(Patient).where(Patient.key == key)).one()
        coverage = session.scalars(select(Coverage).where(Coverage.patient_id == patient.id)).one()
        invoice = session.scalars(select(Invoice).where(Invoice.key == bill["key"])).one()
    assert patient.identity_status == "qualifiee" and patient.ins is not None
    assert coverage.ceam and invoice.split["parcours"] == "away_from_home"


def test_a_refused_request_hands_nothing_over(
    smith_variant: Any, start_run: Callable[..., Run]
) -> None:
    run = start_run(smith_variant.scenario, sha256=smith_variant.sha256)
    titre = {"patient": "p_dupont", "document": "titre_smith"}
    # he has not arrived yet: the request is refused and the document stays with him
    _refused(
        run,
        {"do": "request_document", "with": {"person": "v_smith", "kind": "titre_sejour"}},
        "person_not_present",
    )
    _ok(run, {"do": "attend", "with": {"person": "v_smith"}}, at="1m10s")
    _refused(run, {"do": "check_identity_document", "with": titre}, "document_not_requested")


# ------------------------------------------------------------------ an unknown birth place


def test_a_fixture_birth_place_may_be_unknown(scenario_text: str, cache: WorldCache) -> None:
    loaded = load_variant(
        variant(
            scenario_text,
            (
                '      birth_place: "69123"\n      identity_status: qualifiee',
                "      birth_place: none",
            ),
            ("    - of: p_petit\n", '    - of: p_petit\n      birth_place: "69123"\n'),
        ),
        "lieu_inconnu.yaml",
    )
    assert loaded.scenario is not None
    fixture = next(p for p in loaded.scenario.fixtures.patients if p.key == "p_petit")
    assert fixture.birth_place == "none" and fixture.known_birth_place is None
    db = cache.engine(loaded.scenario, loaded.sha256)
    with Session(db) as session:
        petit = session.scalars(select(Patient).where(Patient.key == "p_petit")).one()
        entry = session.scalars(
            select(InsRegistryEntry).where(InsRegistryEntry.patient_key == "p_petit")
        ).one()
    assert petit.birth_place is None
    assert petit.nir is None  # ``nir: auto`` cannot be made without a birth place
    assert entry.birth_place == "69123" and entry.nir is not None


def test_an_unknown_birth_place_is_written_none(scenario_text: str) -> None:
    bad = load_scenario_bytes(
        variant(scenario_text, ('      birth_place: "69123"\n', "      birth_place: inconnu\n")),
        "lieu_faux.yaml",
    )
    assert not bad.ok
    assert [e.path for e in bad.errors] == ["fixtures.patients[1].birth_place"]
    with_nir = load_scenario_bytes(
        variant(
            scenario_text,
            (
                '      birth_place: "69123"\n',
                '      birth_place: none\n      nir: "150076912304565"\n',
            ),
        ),
        "lieu_inconnu_nir.yaml",
    )
    # the NIR is checked against the traits that are known
    assert with_nir.ok, [str(e) for e in with_nir.errors]


# ------------------------------------------------------------------ the complete example


def test_the_complete_example_passes_scenario_test(cli: click.Group) -> None:
    done = CliRunner().invoke(cli, ["scenario", "test", str(EXAMPLE)])
    assert done.exit_code == 0, done.output
    assert "✓ solution « reference » : 100 %" in done.output
    assert "3 solutions jouées : 3 réussies, 0 en échec." in done.output
