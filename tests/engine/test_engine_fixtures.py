"""The t=0 database of a scenario: world, structure and fixtures, deterministic."""

from __future__ import annotations

from pathlib import Path

from engine_helpers import load_variant, variant
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from simsec.db.dump import dump_hash
from simsec.db.models import (
    AccessRequest,
    AppointmentType,
    InsRegistryEntry,
    InsurerRecord,
    Patient,
    Practitioner,
    Structure,
)
from simsec.rules.nir import check_coherence, parse_nir
from simsec.rules.rpps import is_valid_rpps
from simsec.scenario.fixtures import INS_DEMO_OID
from simsec.scenario.model import Scenario
from simsec.scenario.world_cache import WorldCache


def test_the_same_scenario_gives_the_same_database_byte_for_byte(scenario: Scenario) -> None:
    first, second = WorldCache(), WorldCache()
    assert dump_hash(first.engine(scenario)) == dump_hash(second.engine(scenario))
    assert first.builds == 1 and second.builds == 1


def test_copies_come_from_the_cache_and_are_independent(scenario: Scenario) -> None:
    cache = WorldCache()
    one, two = cache.engine(scenario), cache.engine(scenario)
    assert cache.builds == 1
    with Session(one) as session, session.begin():
        session.execute(delete(Patient).where(Patient.key == "p_petit"))
    with Session(two) as session:
        assert session.scalar(select(Patient.id).where(Patient.key == "p_petit")) is not None


def test_a_disk_cache_is_reused_by_another_process_cache(
    scenario: Scenario, tmp_path: Path
) -> None:
    writer = WorldCache(tmp_path)
    expected = dump_hash(writer.engine(scenario))
    assert len(list(tmp_path.glob("world_*.sqlite3"))) == 1
    reader = WorldCache(tmp_path)
    assert dump_hash(reader.engine(scenario)) == expected
    assert reader.builds == 0


def test_fixtures_are_loaded_with_generated_values(scenario: Scenario, cache: WorldCache) -> None:
    with Session(cache.engine(scenario)) as session:
        structure = session.scalars(select(Structure)).one()
        assert structure.name == "Centre de santé des Tilleuls"
        martin = session.scalars(select(Practitioner).where(Practitioner.key == "dr_martin")).one()
        assert martin.last_name == "MARTIN" and is_valid_rpps(martin.rpps)
        assert martin.hours == {"mon": ["08:30-12:00", "14:00-18:00"], "tue": ["08:30-12:00"]}
        types = session.scalars(
            select(AppointmentType.code).where(AppointmentType.practitioner_id == martin.id)
        ).all()
        assert sorted(types) == ["C", "C1"]
        dupont = session.scalars(select(Patient).where(Patient.key == "p_dupont")).one()
        assert (dupont.birth_name, dupont.first_names, dupont.used_name) == (
            "DUPONT",
            "MARIE CLAIRE",
            "LEROY",
        )
        assert dupont.nir is not None
        check = parse_nir(dupont.nir)
        assert check.valid
        coherence = check_coherence(
            check, sex="F", birth_date=dupont.birth_date, birth_place=dupont.birth_place
        )
        assert coherence.coherent
        assert dupont.identity_status == "provisoire" and dupont.ins is None
        assert dupont.coverage is not None and dupont.coverage.amo_caisse == "CPAM du Rhône"
        petit = session.scalars(select(Patient).where(Patient.key == "p_petit")).one()
        assert petit.identity_status == "qualifiee"
        assert petit.ins == petit.nir and petit.ins_oid == INS_DEMO_OID
        assert petit.ins_retrieved and petit.document_checked is not None
        registry = session.scalars(
            select(InsRegistryEntry).where(InsRegistryEntry.patient_key == "p_dupont")
        ).one()
        assert registry.first_names == "MARIE-CLAIRE"
        assert (registry.birth_name, registry.nir) == ("DUPONT", dupont.nir)
        insurer = session.scalars(
            select(InsurerRecord).where(InsurerRecord.patient_key == "p_dupont")
        ).one()
        assert insurer.exemption == "ald" and insurer.card_holder_key == "p_dupont"
        assert insurer.nir == dupont.nir


def test_omitted_traits_and_access_requests(scenario_text: str, cache: WorldCache) -> None:
    text = variant(
        scenario_text,
        (
            "    - key: p_petit\n      birth_name: PETIT\n      first_names: [JEAN]\n"
            '      birth_date: 1950-07-01\n      sex: M\n      birth_place: "69123"\n',
            "    - key: p_petit\n",
        ),
        (
            "  appointments:\n",
            "  access_requests:\n"
            "    - {key: demande_petit, patient: p_petit, received_on: 2026-02-20,\n"
            '       requester: {kind: patient, name: "M. Petit"}, channel: courrier,\n'
            "       items: all, delivery: envoi_postal}\n"
            "  appointments:\n",
        ),
    )
    loaded = load_variant(text)
    assert loaded.scenario is not None
    with Session(cache.engine(loaded.scenario)) as session:
        petit = session.scalars(select(Patient).where(Patient.key == "p_petit")).one()
        assert petit.birth_name and petit.first_names and petit.birth_date and petit.sex
        assert petit.birth_name == petit.birth_name.upper()
        assert petit.nir is not None and parse_nir(petit.nir).valid
        request = session.scalars(
            select(AccessRequest).where(AccessRequest.key == "demande_petit")
        ).one()
        assert request.requester_kind == "patient" and request.patient_id == petit.id
        assert request.status in ("recue", "incomplete")
