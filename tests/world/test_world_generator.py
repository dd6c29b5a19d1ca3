"""The fake world generator: determinism, coherence of families, identities, rights and
history (issue "Database", item 3)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from simsec.db.dump import dump_hash
from simsec.db.engine import make_engine
from simsec.db.models import Base
from simsec.rules.nir import check_coherence, make_nir, parse_nir
from simsec.rules.rpps import is_valid_rpps
from simsec.services.search_keys import patient_search_columns
from simsec.world.generator import (
    WorldNotEmptyError,
    WorldSpec,
    WorldSummary,
    generate_world,
    populate,
)
from simsec.world.records import INS_NIA_OID, INS_NIR_DEMO_OID, make_nir_number
from simsec.world.reference import load_reference

START = date(2026, 3, 2)
HISTORY_DAYS = 120


def _engine(path: Path) -> Engine:
    return make_engine(f"sqlite:///{path}")


def _rows(engine: Engine, table: str) -> list[dict[str, Any]]:
    t = Base.metadata.tables[table]
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(select(t).order_by(t.c.id))]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, WorldSummary]:
    engine = _engine(tmp_path_factory.mktemp("world") / "world.sqlite3")
    summary = generate_world(
        engine,
        patients=4000,
        seed=11,
        practitioners=4,
        history_days=HISTORY_DAYS,
        start=START,
    )
    return engine, summary


@pytest.fixture(scope="module")
def patients(world: tuple[Engine, WorldSummary]) -> list[dict[str, Any]]:
    return _rows(world[0], "patient")


@pytest.fixture(scope="module")
def registry(world: tuple[Engine, WorldSummary]) -> list[dict[str, Any]]:
    return _rows(world[0], "ins_registry")


# ------------------------------------------------------------------------- determinism


def test_same_seed_same_database_other_seed_other_database(tmp_path: Path) -> None:
    hashes = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        engine = _engine(tmp_path / f"{name}.sqlite3")
        generate_world(engine, patients=300, seed=seed, history_days=30, start=START)
        hashes.append(dump_hash(engine))
        engine.dispose()
    assert hashes[0] == hashes[1]
    assert hashes[0] != hashes[2]


def test_chunk_size_does_not_change_the_world(tmp_path: Path) -> None:
    small = _engine(tmp_path / "small.sqlite3")
    large = _engine(tmp_path / "large.sqlite3")
    generate_world(small, patients=250, seed=3, history_days=20, start=START, chunk=7)
    generate_world(large, patients=250, seed=3, history_days=20, start=START)
    assert dump_hash(small) == dump_hash(large)


def test_counts_and_stable_keys(
    world: tuple[Engine, WorldSummary], patients: list[dict[str, Any]]
) -> None:
    _, summary = world
    assert len(patients) == summary.counts["patient"] == 4000
    assert [p["key"] for p in patients] == [f"patient#{n}" for n in range(1, 4001)]
    practitioners = _rows(world[0], "practitioner")
    assert [p["key"] for p in practitioners] == [f"practitioner#{n}" for n in range(1, 5)]
    assert summary.counts["appointment"] > 1000


def test_a_second_generation_into_the_same_database_is_refused(
    world: tuple[Engine, WorldSummary],
) -> None:
    with pytest.raises(WorldNotEmptyError) as caught:
        generate_world(world[0], patients=10, seed=1, start=START)
    assert "patient" in caught.value.tables


def test_populate_takes_the_world_block_of_a_scenario(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "scenario.sqlite3")
    summary = populate(
        engine, WorldSpec(seed=42, population=120, practitioners=2, history_days=10), start=START
    )
    assert summary.counts["patient"] == 120
    assert summary.counts["practitioner"] == 2
    assert summary.seed == 42


def test_progress_is_reported_to_the_end(tmp_path: Path) -> None:
    events: list[tuple[str, int, int]] = []
    generate_world(
        _engine(tmp_path / "p.sqlite3"),
        patients=150,
        seed=1,
        history_days=15,
        start=START,
        chunk=40,
        progress=lambda stage, done, total: events.append((stage, done, total)),
    )
    stages = [event[0] for event in events]
    assert stages[0] == "patients" and stages[-1] == "appointments"
    assert ("patients", 150, 150) in events
    assert all(done <= total for _, done, total in events)


def test_negative_sizes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate_world(_engine(tmp_path / "n.sqlite3"), patients=-1, seed=1)


# ------------------------------------------------------------------------- identities


@given(
    sex=st.sampled_from(["M", "F"]),
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
    place=st.sampled_from(["75056", "75114", "2A004", "2B033", "97411", "97209", "99350", "69381"]),
    order=st.integers(min_value=1, max_value=999),
)
@settings(max_examples=200, deadline=None)
def test_fast_nir_is_the_rules_nir(sex: str, born: date, place: str, order: int) -> None:
    assert make_nir_number(sex, born, place, order) == make_nir(sex, born, place, order)


def test_every_nir_is_valid_unique_and_coherent_with_the_registry(
    registry: list[dict[str, Any]],
) -> None:
    nirs = [entry["nir"] for entry in registry]
    assert len(nirs) == len(set(nirs))
    for entry in registry:
        coherence = check_coherence(
            entry["nir"],
            sex=entry["sex"],
            birth_date=entry["birth_date"],
            birth_place=entry["birth_place"],
        )
        assert coherence.ok, (entry, coherence.all_issues)
        assert entry["oid"] in (INS_NIR_DEMO_OID, INS_NIA_OID)


def test_birth_places_are_reference_codes_with_corsica_overseas_and_abroad(
    patients: list[dict[str, Any]],
) -> None:
    known = load_reference().place_codes()
    places = [p["birth_place"] for p in patients if p["birth_place"]]
    assert set(places) <= known
    corsica = sum(1 for p in places if p[:2] in ("2A", "2B"))
    overseas = sum(1 for p in places if p.startswith("97"))
    abroad = sum(1 for p in places if p.startswith("99"))
    assert corsica >= 1
    assert 0.01 < overseas / len(places) < 0.06
    assert 0.06 < abroad / len(places) < 0.2


def test_names_are_stored_in_rniv_form(patients: list[dict[str, Any]]) -> None:
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ -'")
    for p in patients:
        for field in ("birth_name", "first_names", "used_name"):
            value = p[field] or ""
            assert set(value) <= allowed, (field, value)


def test_search_columns_are_those_of_the_search_service(patients: list[dict[str, Any]]) -> None:
    for p in patients[:1500]:
        expected = patient_search_columns(p["birth_name"], p["first_names"], p["used_name"])
        assert {k: p[k] for k in expected} == expected


def test_identity_statuses_follow_the_rniv_facts(patients: list[dict[str, Any]]) -> None:
    statuses = defaultdict(int)
    for p in patients:
        status = p["identity_status"]
        statuses[status] += 1
        retrieved = status in ("recuperee", "qualifiee")
        checked = status in ("validee", "qualifiee")
        assert p["ins_retrieved"] is retrieved
        assert (p["ins"] is not None) is retrieved
        if retrieved:
            assert p["ins"] == p["nir"] and p["ins_oid"] in (INS_NIR_DEMO_OID, INS_NIA_OID)
        assert (p["document_checked"] is not None) is checked
        if p["douteuse"] or p["fictive"]:
            assert status == "provisoire"  # FR Core: DOUT and FICT only with PROV
    assert set(statuses) == {"provisoire", "recuperee", "validee", "qualifiee"}
    for share in statuses.values():
        assert share / len(patients) > 0.05


def test_retrieved_identities_carry_the_registry_traits_and_some_others_differ(
    patients: list[dict[str, Any]], registry: list[dict[str, Any]]
) -> None:
    by_key = {entry["patient_key"]: entry for entry in registry if entry["patient_key"]}
    traits = ("birth_name", "first_names", "birth_date", "sex", "birth_place")
    differing = 0
    for p in patients:
        entry = by_key.get(p["key"])
        if entry is None:
            continue
        same = all(p[t] == entry[t] for t in traits)
        if p["identity_status"] in ("recuperee", "qualifiee"):
            assert same, (p["key"], entry)
        elif not same:
            differing += 1
    assert differing > 50


def test_registry_has_variants_of_hyphens_and_arrondissements(
    world: tuple[Engine, WorldSummary],
) -> None:
    variants = world[1].variants
    assert variants.get("hyphen", 0) > 0
    assert variants.get("first_name_only", 0) > 0
    assert variants.get("arrondissement", 0) > 0


def test_some_foreign_born_people_have_a_nia(registry: list[dict[str, Any]]) -> None:
    nia = [entry for entry in registry if entry["oid"] == INS_NIA_OID]
    assert nia
    assert all(entry["birth_place"].startswith("99") for entry in nia)
    assert all(parse_nir(entry["nir"]).valid for entry in nia)


# ------------------------------------------------------------------------- families


def test_ayants_droit_are_children_of_an_adult_of_the_same_household(
    patients: list[dict[str, Any]],
) -> None:
    by_key = {p["key"]: p for p in patients}
    children = [p for p in patients if p["insured_key"]]
    assert len(children) > 200
    for child in children:
        parent = by_key[child["insured_key"]]
        assert parent["insured_key"] is None
        assert (START - child["birth_date"]).days < 16 * 366
        assert (parent["birth_date"] - child["birth_date"]).days < -17 * 365
        assert parent["postcode"] == child["postcode"]


def test_married_women_use_the_name_of_a_man_of_their_household(
    patients: list[dict[str, Any]],
) -> None:
    households: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for p in patients:
        households[(p["address_line"], p["postcode"])].append(p)
    used = [p for p in patients if p["used_name"] and p["identity_status"] != "provisoire"]
    assert len(used) > 100
    matched = 0
    for woman in used:
        assert woman["sex"] == "F"
        names = {m["birth_name"] for m in households[(woman["address_line"], woman["postcode"])]}
        matched += woman["used_name"] in names
    assert matched / len(used) > 0.9


def test_planted_twins_homonyms_and_doublons(
    world: tuple[Engine, WorldSummary], patients: list[dict[str, Any]]
) -> None:
    _, summary = world
    by_key = {p["key"]: p for p in patients}
    assert summary.twins and summary.homonyms and summary.doublons
    for a, b in summary.twins:
        x, y = by_key[a], by_key[b]
        assert x["birth_date"] == y["birth_date"] and x["birth_name"] == y["birth_name"]
        assert x["first_names"].split()[0] != y["first_names"].split()[0]
    for a, b in summary.homonyms:
        x, y = by_key[a], by_key[b]
        assert (x["birth_name"], x["birth_date"], x["sex"]) == (
            y["birth_name"],
            y["birth_date"],
            y["sex"],
        )
        assert x["first_names"].split()[0] == y["first_names"].split()[0]
        assert x["nir"] is None or y["nir"] is None or x["nir"] != y["nir"]
    kinds = {kind for _, _, kind in summary.doublons}
    assert len(kinds) >= 3
    for a, b, kind in summary.doublons:
        x, y = by_key[a], by_key[b]
        assert y["identity_status"] == "provisoire"
        assert int(b.split("#")[1]) > int(a.split("#")[1])
        if kind == "swapped_day_month":
            assert (y["birth_date"].day, y["birth_date"].month) == (
                x["birth_date"].month,
                x["birth_date"].day,
            )
        elif kind == "missing_birth_place":
            assert y["birth_place"] is None
        elif kind == "used_name_as_birth_name":
            assert y["birth_name"] == x["used_name"]
        elif kind == "typo":
            assert y["birth_name"] != x["birth_name"]


# ------------------------------------------------------------------------- insurance


def test_insurer_truth_for_every_person_and_cards_of_ayants_droit(
    world: tuple[Engine, WorldSummary], patients: list[dict[str, Any]]
) -> None:
    insurer = _rows(world[0], "insurer_record")
    by_patient = {record["patient_key"]: record for record in insurer}
    doublon_keys = {b for _, b, _ in world[1].doublons}
    for p in patients:
        if p["key"] in doublon_keys:
            assert p["key"] not in by_patient
            continue
        record = by_patient[p["key"]]
        assert record["card_holder_key"] == (p["insured_key"] or p["key"])
    expired = [r for r in insurer if r["rights_until"] and r["rights_until"] < START]
    assert 0.01 < len(expired) / len(insurer) < 0.12
    assert any(r["exemption"] == "ald" for r in insurer)
    assert any(r["c2s"] for r in insurer)
    assert any(r["ame"] for r in insurer)
    assert any(r["ceam"] and r["nir"] is None for r in insurer)
    born = {p["key"]: p["birth_place"] or "" for p in patients}
    for r in insurer:
        if (r["ame"] or r["ceam"]) and born[r["patient_key"]].startswith("99"):
            assert r["nir"] is None  # no French NIR for them
        if r["ceam"]:
            assert r["amo_regime"] == "ceam" and r["amo_caisse"] is None


def test_local_coverage_is_sometimes_out_of_date(world: tuple[Engine, WorldSummary]) -> None:
    engine = world[0]
    coverage = _rows(engine, "coverage")
    patients = {p["id"]: p["key"] for p in _rows(engine, "patient")}
    truth = {r["patient_key"]: r for r in _rows(engine, "insurer_record")}
    stale = 0
    for row in coverage:
        record = truth.get(patients[row["patient_id"]])
        if record is None:
            continue
        if (row["amo_rights_until"], row["amo_exemption"], row["amc_organisme"], row["c2s"]) != (
            record["rights_until"],
            record["exemption"],
            record["amc_organisme"],
            record["c2s"],
        ):
            stale += 1
    assert 0.05 < stale / len(coverage) < 0.25


# ------------------------------------------------------------------------- history


def test_practitioners_have_valid_rpps_hours_and_types(world: tuple[Engine, WorldSummary]) -> None:
    practitioners = _rows(world[0], "practitioner")
    types = _rows(world[0], "appointment_type")
    assert all(is_valid_rpps(p["rpps"]) for p in practitioners)
    assert practitioners[0]["specialty"] == "medecine_generale"
    for p in practitioners:
        assert set(p["hours"]) <= {"mon", "tue", "wed", "thu", "fri", "sat"}
        assert any(t["practitioner_id"] == p["id"] for t in types)


def test_history_never_overlaps_and_respects_absences_creation_and_death(
    world: tuple[Engine, WorldSummary], patients: list[dict[str, Any]]
) -> None:
    engine = world[0]
    appointments = _rows(engine, "appointment")
    absences = _rows(engine, "absence")
    by_id = {p["id"]: p for p in patients}
    statuses: dict[str, int] = defaultdict(int)
    last_end: dict[int, datetime] = {}
    for a in sorted(appointments, key=lambda r: (r["practitioner_id"], r["start"])):
        statuses[a["status"]] += 1
        assert a["end"] > a["start"]
        previous = last_end.get(a["practitioner_id"])
        assert previous is None or previous <= a["start"], a
        last_end[a["practitioner_id"]] = a["end"]
        assert START - timedelta(days=HISTORY_DAYS) <= a["start"].date() < START
        patient = by_id[a["patient_id"]]
        assert patient["created_at"].date() <= a["start"].date()
        assert patient["deceased_on"] is None or a["start"].date() < patient["deceased_on"]
        assert a["created_at"] <= a["start"]
        for absence in absences:
            if absence["practitioner_id"] == a["practitioner_id"]:
                assert not absence["start"] <= a["start"] <= absence["end"]
        if a["status"] == "cancelled":
            assert a["cancelled_by"] in ("patient", "practitioner", "structure")
            assert a["cancel_reason"]
    total = len(appointments)
    assert 0.02 < statuses["no_show"] / total < 0.09
    assert 0.04 < statuses["cancelled"] / total < 0.13


_HASH_SCRIPT = """
import sys
from datetime import date
from simsec.db.dump import dump_hash
from simsec.db.engine import make_engine
from simsec.world.generator import generate_world
engine = make_engine(f"sqlite:///{sys.argv[1]}")
generate_world(engine, patients=150, seed=9, history_days=10, start=date(2026, 3, 2))
print(dump_hash(engine))
"""


def test_the_world_does_not_depend_on_the_process_hash_seed(tmp_path: Path) -> None:
    """Same seed, same world on every machine: no iteration over hash-ordered sets."""
    hashes = []
    for hash_seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", _HASH_SCRIPT, str(tmp_path / f"h{hash_seed}.sqlite3")],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
        assert done.returncode == 0, done.stderr
        hashes.append(done.stdout.strip())
    assert hashes[0] == hashes[1]


@pytest.mark.postgres
def test_postgresql_gets_the_same_world_and_usable_sequences(
    tmp_path: Path, world_pg_url: str
) -> None:
    sqlite = _engine(tmp_path / "same.sqlite3")
    postgres = make_engine(world_pg_url)
    try:
        for engine in (sqlite, postgres):
            generate_world(engine, patients=200, seed=8, history_days=15, start=START)
        assert dump_hash(sqlite) == dump_hash(postgres)
        patient = Base.metadata.tables["patient"]
        with postgres.begin() as conn:  # the id sequence continues after the loaded rows
            new_id = conn.execute(
                patient.insert().values(key="later", birth_name="X", first_names="Y")
            ).inserted_primary_key
        assert new_id is not None and new_id[0] == 201
    finally:
        postgres.dispose()
        sqlite.dispose()
