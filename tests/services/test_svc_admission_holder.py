"""Whose an admission document is (issue 6): the child's identity and the accompanying
parent's identity are two checks (RNIV volet 1 §3.3.3), so a document has a holder,
``patient`` (the default) or ``accompagnant``, and a checklist line wanting a holder is
ticked only by a document of the right kind held by it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session
from test_svc_support import World, apply, build_world, refused

from simsec.actions.catalogue import CATALOGUE
from simsec.db.engine import make_engine
from simsec.db.models import Admission, AdmissionDocument
from simsec.db.schema import alembic_config, head_revision, upgrade
from simsec.runlog.replay import replay_log
from simsec.scenario.loader import load_scenario
from simsec.scenario.run import Run
from simsec.scenario.world_cache import WorldCache
from simsec.services.admission import checklist, load_admission_data

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "admission_mineur_ambulatoire.yaml"
_CACHE = WorldCache()


@pytest.fixture
def w() -> World:
    return build_world()


def _minor(w: World) -> str:
    """An ambulatory admission of Lucas PETIT, 7 (a minor's surgery)."""
    result, _ = apply(
        w,
        "open_admission",
        {"patient": "p_petit", "kind": "ambulatoire", "date": "2026-03-02"},
    )
    assert result["cases"] == ["ambulatoire", "minor", "minor_surgery"]
    return str(result["key"])


def _record(w: World, admission: str, kind: str, holder: str | None = None) -> dict[str, Any]:
    fields = {"admission": admission, "kind": kind}
    if holder is not None:
        fields["holder"] = holder
    result, _ = apply(w, "record_admission_document", fields)
    return result


def _done(result: dict[str, Any]) -> dict[str, bool]:
    return {item["item"]: item["done"] for item in result["checklist"]}


def _rows(w: World) -> list[tuple[str, str]]:
    with w.factory() as s:
        return [
            (kind, holder)
            for kind, holder in s.execute(
                select(AdmissionDocument.kind, AdmissionDocument.holder).order_by(
                    AdmissionDocument.id
                )
            )
        ]


# ------------------------------------------------------------------------- the data


def test_the_identity_lines_name_their_holder() -> None:
    for version in load_admission_data().versions:
        assert version.items["identite"].holder == "patient"
        assert version.items["identite_mineur"].holder == "patient"
        assert version.items["identite_parent"].holder == "accompagnant"
        # a minor's rights are on a parent's carte Vitale: anyone's card will do
        assert version.items["droits_amo"].holder is None


def test_a_bare_kind_is_the_patients_document() -> None:
    on = load_admission_data().versions[0].valid_from
    cases = ["ambulatoire", "minor", "minor_surgery"]
    bare = {i.item: i.done for i in checklist(cases, on, ["cni"], [])}
    held = {i.item: i.done for i in checklist(cases, on, [("cni", "patient")], [])}
    assert bare == held
    assert bare["identite_mineur"] and not bare["identite_parent"]
    parent = {i.item: i.done for i in checklist(cases, on, [("cni", "accompagnant")], [])}
    assert parent["identite_parent"] and not parent["identite_mineur"]


# ------------------------------------------------------------------------- services


def test_the_parents_cni_does_not_tick_the_childs_identity(w: World) -> None:
    admission = _minor(w)
    result = _record(w, admission, "cni", "accompagnant")
    assert result["holder"] == "accompagnant"
    done = _done(result)
    assert done["identite_parent"] and not done["identite_mineur"]
    assert "identite_mineur" in result["missing"] and "identite_parent" not in result["missing"]
    lines = {item["item"]: item for item in result["checklist"]}
    assert lines["identite_mineur"]["holder"] == "patient"
    assert lines["identite_parent"]["holder"] == "accompagnant"


def test_the_childs_livret_de_famille_ticks_the_childs_identity(w: World) -> None:
    admission = _minor(w)
    result = _record(w, admission, "livret_famille")  # holder omitted: the patient's
    assert result["holder"] == "patient"
    done = _done(result)
    assert done["identite_mineur"] and not done["identite_parent"]
    assert _rows(w) == [("livret_famille", "patient")]


def test_a_livret_recorded_as_the_parents_does_not_identify_the_child(w: World) -> None:
    admission = _minor(w)
    done = _done(_record(w, admission, "livret_famille", "accompagnant"))
    assert not done["identite_mineur"] and not done["identite_parent"]


def test_the_parents_carte_vitale_gives_the_childs_rights(w: World) -> None:
    admission = _minor(w)
    assert _done(_record(w, admission, "carte_vitale", "accompagnant"))["droits_amo"]


def test_an_adults_identity_needs_the_patients_own_document(w: World) -> None:
    result, _ = apply(
        w,
        "open_admission",
        {"patient": "p_dupont", "kind": "hospitalisation", "date": "2026-03-02"},
    )
    admission = result["key"]
    assert not _done(_record(w, admission, "passeport", "accompagnant"))["identite"]
    assert _done(_record(w, admission, "cni"))["identite"]


def test_the_same_kind_from_both_holders_is_two_documents(w: World) -> None:
    admission = _minor(w)
    _record(w, admission, "cni", "patient")
    result = _record(w, admission, "cni", "accompagnant")
    done = _done(result)
    assert done["identite_mineur"] and done["identite_parent"]
    assert _rows(w) == [("cni", "patient"), ("cni", "accompagnant")]


def test_refusals_change_nothing(w: World) -> None:
    admission = _minor(w)
    _record(w, admission, "cni", "accompagnant")
    error = refused(
        w,
        "record_admission_document",
        {"admission": admission, "kind": "cni", "holder": "accompagnant"},
        "document_already_recorded",
    )
    assert "pièce de l'accompagnant" in error.message
    assert "carte nationale d'identité" in error.message
    apply(w, "close_admission", {"admission": admission})
    refused(
        w,
        "record_admission_document",
        {"admission": admission, "kind": "livret_famille", "holder": "patient"},
        "admission_closed",
    )
    assert _rows(w) == [("cni", "accompagnant")]


# ------------------------------------------------------------------- the action, the log


def test_the_holder_is_always_in_the_logged_fields() -> None:
    fields = CATALOGUE["record_admission_document"].fields
    omitted = fields.model_validate({"admission": "a", "kind": "cni"})
    assert omitted.model_dump(exclude_unset=True) == {
        "admission": "a",
        "kind": "cni",
        "holder": "patient",
    }
    given = fields.model_validate({"admission": "a", "kind": "cni", "holder": "accompagnant"})
    assert given.model_dump(exclude_unset=True)["holder"] == "accompagnant"


def test_an_unknown_holder_is_refused_and_changes_nothing() -> None:
    loaded = load_scenario(SCENARIO)
    assert loaded.scenario is not None
    run = Run.start(loaded.scenario, sha256=loaded.sha256, cache=_CACHE)
    opened = run.perform(
        {
            "do": "open_admission",
            "with": {"patient": "p_lucas", "kind": "ambulatoire", "date": "2026-04-14"},
        }
    )
    before = run.db_hash()
    outcome = run.perform(
        {
            "do": "record_admission_document",
            "with": {"admission": opened.result["key"], "kind": "cni", "holder": "mere"},
        }
    )
    assert not outcome.ok
    assert outcome.error is not None and outcome.error["code"] == "invalid_action"
    assert "holder" in outcome.error["message"]
    assert run.db_hash() == before


def test_the_replay_rebuilds_the_live_database(tmp_path: Path) -> None:
    """A run with both holders, a refusal and a closing, logged, then replayed: the
    same database (full dump hash), the same results."""
    loaded = load_scenario(SCENARIO)
    assert loaded.scenario is not None
    log = tmp_path / "run.jsonl"
    run = Run.start(
        loaded.scenario, sha256=loaded.sha256, path=str(SCENARIO), log_path=log, cache=_CACHE
    )
    opened = run.perform(
        {
            "do": "open_admission",
            "with": {"patient": "p_lucas", "kind": "ambulatoire", "date": "2026-04-14"},
        }
    )
    key = opened.result["key"]
    for kind, holder in (
        ("livret_famille", None),
        ("cni", "accompagnant"),
        ("cni", "patient"),
        ("cni", "accompagnant"),  # refused: already recorded
    ):
        fields = {"admission": key, "kind": kind}
        if holder is not None:
            fields["holder"] = holder
        run.perform({"do": "record_admission_document", "with": fields})
    run.perform({"do": "close_admission", "with": {"admission": key}})
    run.end("completed")
    live = run.final_hash
    records = [r for r in run.records if r.get("do") == "record_admission_document"]
    assert [r["with"]["holder"] for r in records] == [
        "patient",
        "accompagnant",
        "patient",
        "accompagnant",
    ]
    assert [r["result"]["ok"] for r in records] == [True, True, True, False]
    with Session(run.db) as session:
        admission_id = session.scalars(select(Admission.id).where(Admission.key == key)).one()
        held = session.execute(
            select(AdmissionDocument.kind, AdmissionDocument.holder)
            .where(AdmissionDocument.admission_id == admission_id)
            .order_by(AdmissionDocument.id)
        ).all()
    assert [tuple(row) for row in held] == [
        ("livret_famille", "patient"),
        ("cni", "accompagnant"),
        ("cni", "patient"),
    ]
    replayed = replay_log(log, scenario_path=SCENARIO, cache=_CACHE, full_hash=True)
    assert replayed.findings == []
    assert replayed.divergences == []
    assert replayed.db_hash == live and replayed.hash_matches is True


# ------------------------------------------------------------------------ migration


def _insert_0001_rows(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO patient (id, key, birth_name, first_names, identity_status,"
                " ins_retrieved, douteuse, fictive, homonyme, access_opposition,"
                " k_birth_name, k_first_names, p_birth_name, p_first_name)"
                " VALUES (1, 'p_lucas', 'FONTAINE', 'LUCAS', 'provisoire', 0, 0, 0, 0, 0,"
                " 'FONTAINE', 'LUCAS', 'FNTN', 'LKS')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO admission (id, key, patient_id, kind, date, status)"
                " VALUES (1, 'admission#1', 1, 'ambulatoire', :day, 'open')"
            ),
            {"day": date(2026, 4, 14)},
        )
        conn.execute(
            text("INSERT INTO admission_document (id, admission_id, kind) VALUES (1, 1, 'cni')")
        )


def test_the_migration_keeps_the_documents_as_the_patients(tmp_path: Path) -> None:
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'base.sqlite3'}")
    try:
        upgrade(engine, "0001")
        _insert_0001_rows(engine)
        upgrade(engine)
        with engine.begin() as conn:
            rows = conn.execute(text("SELECT kind, holder FROM admission_document")).all()
            assert [tuple(r) for r in rows] == [("cni", "patient")]
            conn.execute(
                text(
                    "INSERT INTO admission_document (admission_id, kind, holder)"
                    " VALUES (1, 'cni', 'accompagnant')"
                )
            )
            uniques = inspect(conn).get_unique_constraints("admission_document")
            assert [u["column_names"] for u in uniques] == [["admission_id", "kind", "holder"]]
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0001")
        with engine.connect() as conn:
            left = conn.execute(text("SELECT * FROM admission_document")).mappings().all()
            assert [r["kind"] for r in left] == ["cni"] and "holder" not in left[0]
        assert upgrade(engine).current == head_revision()
    finally:
        engine.dispose()


def test_the_admission_screen_read_model_ticks_by_holder_too(w: World) -> None:
    """The F6 read model computes the same checklist as the services (holder included)."""
    from simsec.services import readmodels_planning as rm

    admission = _minor(w)
    service = _done(_record(w, admission, "cni", "accompagnant"))
    detail = rm.admission_detail(w.engine, admission)
    assert detail is not None
    shown = {line.item: line.done for line in detail.checklist}
    assert shown == service
    assert shown["identite_parent"] and not shown["identite_mineur"]
