"""Doublon report: likely doublons found with their reasons, homonyms never reported."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from benchmarks import dupdata
from benchmarks.dupdata import Record
from simsec.services.dto import DuplicatePair, MatchKind, TraitMatch
from simsec.services.duplicates import find_duplicates


def _record(rid: str, **traits: Any) -> Record:
    values: dict[str, Any] = {
        "birth_name": "DUPONT",
        "first_names": "MARIE CLAIRE",
        "used_name": None,
        "birth_date": date(1985, 4, 12),
        "sex": "F",
        "birth_place": "75056",
        "nir": None,
        "phone": None,
        "postcode": None,
        "person": 0,
    }
    values.update(traits)
    return Record(id=rid, **values)


def _nir(order: int, place: str = "75056") -> str:
    return dupdata.make_nir("F", date(1985, 4, 12), place, order)


def _pairs(tmp_path: Path, records: list[Record], threshold: float = 0.5) -> list[DuplicatePair]:
    engine = dupdata.build_sqlite(tmp_path / "d.sqlite", records)
    try:
        return find_duplicates(engine, threshold=threshold)
    finally:
        engine.dispose()


def _reported(pairs: list[DuplicatePair]) -> set[frozenset[str]]:
    return {frozenset((p.a, p.b)) for p in pairs}


# ------------------------------------------------------------------------- doublons


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"birth_name": "DUPOND"}, TraitMatch("birth_name", MatchKind.TYPO)),
        ({"first_names": "CLAIRE MARIE"}, TraitMatch("first_names", MatchKind.FIRST_NAMES_ORDER)),
        ({"first_names": "MARIE"}, TraitMatch("first_names", MatchKind.FIRST_NAMES_PARTIAL)),
        ({"first_names": "MARIE-CLAIRE"},
         TraitMatch("first_names", MatchKind.COMPOUND_FIRST_NAME)),
        ({"birth_name": "DU PONT"}, TraitMatch("birth_name", MatchKind.SEPARATORS)),
        ({"birth_date": date(1985, 12, 4)}, TraitMatch("birth_date", MatchKind.DAY_MONTH_SWAPPED)),
        ({"birth_place": None}, TraitMatch("birth_place", MatchKind.MISSING)),
        ({"birth_name": "MARTIN"}, TraitMatch("birth_name", MatchKind.USED_NAME_AS_BIRTH_NAME)),
    ],
)  # fmt: skip
def test_a_doublon_is_reported_with_its_reason(
    tmp_path: Path, changes: dict[str, object], reason: TraitMatch
) -> None:
    original = _record("a", used_name="MARTIN", nir=_nir(42))
    doublon = _record("b", **{"used_name": "MARTIN", "nir": None, **changes})
    pairs = _pairs(tmp_path, [original, doublon])
    assert len(pairs) == 1
    assert (pairs[0].a, pairs[0].b) == ("a", "b")
    assert pairs[0].score >= 0.9  # one error, NIR missing: still very likely
    assert reason in pairs[0].reasons
    assert reason.code in cast(list[str], pairs[0].as_dict()["reasons"])


def test_the_same_nir_is_strong_evidence(tmp_path: Path) -> None:
    pairs = _pairs(
        tmp_path,
        [_record("a", nir=_nir(42)), _record("b", nir=_nir(42), birth_name="DUPOMT")],
    )
    assert TraitMatch("nir", MatchKind.IDENTICAL) in pairs[0].reasons
    assert pairs[0].score > 0.99


def test_pairs_come_most_likely_first(tmp_path: Path) -> None:
    records = [
        _record("a1", nir=_nir(1)),
        _record("a2", nir=_nir(1)),  # same NIR: certain
        _record("b1", birth_name="BERNARD", first_names="LUCIE", birth_date=date(1990, 3, 7)),
        _record("b2", birth_name="BERNART", first_names="LUCIE", birth_date=date(1990, 7, 3),
                birth_place=None),  # typo, swapped date, no place: less sure
    ]  # fmt: skip
    pairs = _pairs(tmp_path, records)
    assert [(p.a, p.b) for p in pairs] == [("a1", "a2"), ("b1", "b2")]
    assert pairs[0].score > pairs[1].score


def test_the_threshold_filters(tmp_path: Path) -> None:
    records = [_record("a"), _record("b", birth_name="DUPOMT", birth_place=None)]
    assert _pairs(tmp_path, records, threshold=1.0) == []


# ------------------------------------------------------------------------- homonyms


def test_different_valid_nirs_are_two_people(tmp_path: Path) -> None:
    pairs = _pairs(tmp_path, [_record("a", nir=_nir(1)), _record("b", nir=_nir(2))])
    assert pairs == []


def test_a_different_birth_place_known_on_both_sides_is_two_people(tmp_path: Path) -> None:
    pairs = _pairs(tmp_path, [_record("a"), _record("b", birth_place="69123")])
    assert pairs == []


def test_twins_are_not_doublons(tmp_path: Path) -> None:
    twins = [
        _record("a", first_names="LEA", phone="0612345678"),
        _record("b", first_names="CHLOE", phone="0612345678"),
    ]
    assert _pairs(tmp_path, twins) == []
    flagged = _pairs(tmp_path, twins, threshold=0.0)
    assert TraitMatch("twins", MatchKind.SUSPECTED) in flagged[0].reasons


def test_an_engine_or_a_session(tmp_path: Path) -> None:
    engine = dupdata.build_sqlite(tmp_path / "d.sqlite", [_record("a"), _record("b")])
    try:
        with Session(engine) as session:
            assert find_duplicates(session) == find_duplicates(engine)
    finally:
        engine.dispose()


# ------------------------------------------------------------------------- quality


@pytest.fixture(scope="module")
def generated(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Engine, dupdata.DupDataset]]:
    data = dupdata.make_dup_dataset(4_000, homonym_rate=0.02, twin_rate=0.02, seed=21)
    path = tmp_path_factory.mktemp("doublons") / "d.sqlite"
    engine = dupdata.build_sqlite(path, data.records)
    yield engine, data
    engine.dispose()


def test_f1_on_generated_doublons(generated: tuple[Engine, dupdata.DupDataset]) -> None:
    engine, data = generated
    found = _reported(find_duplicates(engine))
    true_positives = len(found & data.true_pairs)
    precision = true_positives / len(found)
    recall = true_positives / len(data.true_pairs)
    assert 2 * precision * recall / (precision + recall) >= 0.97


def test_no_twin_or_homonym_is_reported(generated: tuple[Engine, dupdata.DupDataset]) -> None:
    engine, data = generated
    assert data.twin_pairs and data.homonym_pairs  # the traps are there
    found = _reported(find_duplicates(engine))
    assert not found & data.twin_pairs
    assert not found & data.homonym_pairs
