"""Search before creating: RNIV practice, tolerance to the usual errors, ranking, recall."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from benchmarks import dupdata
from benchmarks.dupdata import Record
from simsec.services.dto import MatchKind, PatientHit, PatientQuery, TraitMatch
from simsec.services.patients_search import parse_text, search_patients

NIR_DUPONT = dupdata.make_nir("F", date(1985, 4, 12), "75056", 42)


def _record(
    rid: str,
    birth_name: str,
    first_names: str,
    birth_date: date,
    *,
    used_name: str | None = None,
    sex: str = "F",
    place: str | None = "75056",
    nir: str | None = None,
) -> Record:
    return Record(
        rid, birth_name, first_names, used_name, birth_date, sex, place, nir, None, None, 0
    )


KNOWN = [
    _record("dupont", "DUPONT", "MARIE CLAIRE", date(1985, 4, 12), used_name="MARTIN",
            nir=NIR_DUPONT),
    _record("legall", "LE GALL", "JEAN-PIERRE", date(1962, 11, 3), sex="M"),
    _record("lefevre", "LEFEVRE", "HELENE", date(1950, 1, 30)),
    _record("same-day", "ROBERT", "PAUL", date(1985, 4, 12), sex="M"),
    _record("swap", "DUPONT", "MARIE", date(1985, 12, 4)),
]  # fmt: skip
POPULATION = dupdata.make_population(3_000, seed=11)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("search") / "patients.sqlite"
    built = dupdata.build_sqlite(path, [*KNOWN, *POPULATION])
    yield built
    built.dispose()


def _ids(hits: list[PatientHit]) -> list[str]:
    return [h.id for h in hits]


def _search(engine: Engine, **fields: Any) -> list[PatientHit]:
    return search_patients(engine, PatientQuery(**fields))


# ------------------------------------------------------------------------- RNIV practice


def test_date_and_three_letters_find_the_patient(engine: Engine) -> None:
    hits = _search(engine, birth_name="dup", birth_date=date(1985, 4, 12))
    assert hits[0].id == "dupont"
    assert TraitMatch("birth_name", MatchKind.PREFIX) in hits[0].matched
    assert "same-day" not in _ids(hits)  # born that day, but another name


def test_a_date_alone_lists_the_people_born_that_day(engine: Engine) -> None:
    ids = _ids(_search(engine, birth_date=date(1985, 4, 12)))
    assert {"dupont", "same-day"} <= set(ids)


def test_exact_traits_score_one_and_come_first(engine: Engine) -> None:
    hits = _search(
        engine, birth_name="DUPONT", first_names="MARIE CLAIRE", birth_date=date(1985, 4, 12)
    )
    assert hits[0].id == "dupont"
    assert hits[0].score == 1.0
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize(
    ("fields", "expected", "match"),
    [
        # typo in the name
        ({"birth_name": "DUPOMT", "birth_date": date(1985, 4, 12)}, "dupont",
         TraitMatch("birth_name", MatchKind.TYPO)),
        # accents and case
        ({"birth_name": "lefèvre", "first_names": "Hélène", "birth_date": date(1950, 1, 30)},
         "lefevre", TraitMatch("birth_name", MatchKind.IDENTICAL)),
        # hyphen typed as a space, in the name and the first name
        ({"birth_name": "le-gall", "first_names": "jean pierre", "birth_date": date(1962, 11, 3)},
         "legall", TraitMatch("birth_name", MatchKind.IDENTICAL)),
        # first names in another order
        ({"birth_name": "DUPONT", "first_names": "CLAIRE MARIE", "birth_date": date(1985, 4, 12)},
         "dupont", TraitMatch("first_names", MatchKind.FIRST_NAMES_ORDER)),
        # the used (married) name given as the birth name
        ({"birth_name": "MARTIN", "first_names": "MARIE", "birth_date": date(1985, 4, 12)},
         "dupont", TraitMatch("used_name", MatchKind.IDENTICAL)),
        # day and month swapped
        ({"birth_name": "LEGALL", "birth_date": date(1962, 3, 11)}, "legall",
         TraitMatch("birth_date", MatchKind.DAY_MONTH_SWAPPED)),
        # a date typo: found through the phonetic name + first name
        ({"birth_name": "LEFEBVRE", "first_names": "HELENE", "birth_date": date(1950, 1, 31)},
         "lefevre", TraitMatch("birth_date", MatchKind.TYPO)),
    ],
)  # fmt: skip
def test_usual_errors_are_tolerated(
    engine: Engine, fields: dict[str, object], expected: str, match: TraitMatch
) -> None:
    hits = _search(engine, **fields)
    assert hits, fields
    assert hits[0].id == expected
    assert match in hits[0].matched


def test_the_exact_date_ranks_before_the_swapped_one(engine: Engine) -> None:
    ids = _ids(
        _search(engine, birth_name="DUPONT", first_names="MARIE", birth_date=date(1985, 4, 12))
    )
    assert ids.index("dupont") < ids.index("swap")


def test_free_text_in_any_order(engine: Engine) -> None:
    for text in ("dupont marie 12/04/1985", "Marie DUPONT 1985-04-12", "12041985 dupont"):
        assert _search(engine, text=text)[0].id == "dupont", text


def test_free_text_with_a_compound_name(engine: Engine) -> None:
    assert _search(engine, text="le gall jean-pierre 03/11/1962")[0].id == "legall"


def test_search_by_nir(engine: Engine) -> None:
    hits = _search(engine, nir=NIR_DUPONT)
    assert hits[0].id == "dupont"
    assert TraitMatch("nir", MatchKind.IDENTICAL) in hits[0].matched
    assert _search(engine, text=NIR_DUPONT)[0].id == "dupont"


def test_name_without_date_uses_the_phonetic_key(engine: Engine) -> None:
    assert "lefevre" in _ids(_search(engine, birth_name="LEFEBVRE", first_names="HELENE"))


def test_an_empty_query_finds_nothing(engine: Engine) -> None:
    assert _search(engine) == []
    assert _search(engine, text="   ") == []


def test_the_limit_is_respected(engine: Engine) -> None:
    assert len(search_patients(engine, PatientQuery(birth_name="MARTIN"), limit=3)) <= 3


def test_a_session_works_as_well_as_an_engine(engine: Engine) -> None:
    query = PatientQuery(birth_name="DUPONT", birth_date=date(1985, 4, 12))
    with Session(engine) as session:
        assert search_patients(session, query) == search_patients(engine, query)


def test_hit_json_form(engine: Engine) -> None:
    hit = _search(engine, birth_name="DUPONT", birth_date=date(1985, 4, 12))[0]
    data = hit.as_dict()
    assert data["id"] == "dupont"
    assert data["birth_date"] == "1985-04-12"
    assert {"trait": "birth_date", "kind": "identical"} in cast(list[object], data["matched"])


# ------------------------------------------------------------------------- free text


def test_parse_text() -> None:
    parsed = parse_text("dupont marie 12/04/1985")
    assert parsed.dates == (date(1985, 4, 12),)
    assert parsed.words == ("dupont", "marie")
    assert parse_text("1985-04-12").dates == (date(1985, 4, 12),)
    assert parse_text("12041985").dates == (date(1985, 4, 12),)
    assert parse_text(NIR_DUPONT).nirs == (NIR_DUPONT,)
    assert parse_text("31/02/1985").unreadable == ("31/02/1985",)


# ---------------------------------------------------------------------- quality


def test_recall_at_10_with_the_error_model(engine: Engine) -> None:
    queries = dupdata.make_queries(POPULATION, 600, seed=5)
    found = 0
    with Session(engine) as session:
        for q in queries:
            query = PatientQuery(
                birth_name=q.birth_name, first_names=q.first_name, birth_date=q.birth_date,
                text=q.text,
            )  # fmt: skip
            found += q.target in _ids(search_patients(session, query, limit=10))
    assert found / len(queries) >= 0.99


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(min_value=0, max_value=len(POPULATION) - 1))
def test_a_record_searched_with_its_own_traits_comes_first(engine: Engine, index: int) -> None:
    record = POPULATION[index]
    hits = _search(
        engine,
        birth_name=record.birth_name,
        first_names=record.first_names,
        birth_date=record.birth_date,
    )
    assert hits[0].score == 1.0
    best = {h.id for h in hits if h.score == 1.0}
    assert record.id in best
