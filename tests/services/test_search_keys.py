"""Derived search keys and the fast trait comparison of the search and doublon report."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simsec.rules.identity import DifferenceKind, Traits, compare
from simsec.services.dto import MatchKind
from simsec.services.search_keys import (
    first_name_words,
    match_dates,
    match_first_names,
    match_name,
    name_key,
    patient_search_columns,
    phonetic_key,
    swapped_date,
)


def test_columns_of_a_patient() -> None:
    columns = patient_search_columns("Le Gall", "Jean-Pierre Marie", "Dupont")
    assert columns == {
        "k_birth_name": "LEGALL",
        "k_used_name": "DUPONT",
        "k_first_names": "JEANPIERREMARIE",
        "p_birth_name": phonetic_key("LE GALL"),
        "p_used_name": phonetic_key("DUPONT"),
        "p_first_name": phonetic_key("JEAN-PIERRE"),
    }


def test_no_used_name_gives_null_used_keys() -> None:
    columns = patient_search_columns("MARTIN", "LUC", None)
    assert columns["k_used_name"] is None
    assert columns["p_used_name"] is None
    assert patient_search_columns("MARTIN", "LUC", "")["k_used_name"] is None


def test_the_first_first_name_keeps_its_hyphen() -> None:
    compound = patient_search_columns("X", "MARIE-CLAIRE ANNE", None)["p_first_name"]
    assert compound == phonetic_key("MARIECLAIRE")
    assert compound != phonetic_key("MARIE")


_LETTERS = st.text(alphabet="ABCDEFGHIJKLMNOPRSTUVZ", min_size=2, max_size=10)


@given(st.lists(_LETTERS, min_size=1, max_size=3), st.sampled_from([" ", "-", "'"]))
def test_keys_ignore_case_accents_and_separators(words: list[str], sep: str) -> None:
    name = sep.join(words)
    variants = [name.lower(), name.replace("E", "É").replace("A", "À"), "".join(words)]
    base = patient_search_columns(name, name, name)
    for variant in variants:
        assert (
            patient_search_columns(variant, variant, variant)["k_birth_name"]
            == (base["k_birth_name"])
        )
        assert name_key(variant) == name_key(name)
        assert phonetic_key(variant) == phonetic_key(name)


def test_first_name_words_split_compounds() -> None:
    assert first_name_words("Marie-Claire Anne") == ("MARIE", "CLAIRE", "ANNE")
    assert first_name_words("JEAN PIERRE") == ("JEAN", "PIERRE")
    assert first_name_words("") == ()


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("DUPONT", "DUPONT", MatchKind.IDENTICAL),
        ("DUPONT", "DUPOND", MatchKind.TYPO),
        ("PHILIPPE", "FILIPE", MatchKind.PHONETIC),
        ("DUPONT", "LEGRAND", MatchKind.DIFFERENT),
        ("DUPONT", "", MatchKind.MISSING),
    ],
)
def test_match_name(a: str, b: str, kind: MatchKind) -> None:
    assert match_name(a, b)[0] is kind


def test_name_similarity_orders_the_kinds() -> None:
    sims = [match_name("MARTINEZ", other)[1] for other in ("MARTINEZ", "MARTINES", "ROBERT")]
    assert sims == sorted(sims, reverse=True)
    assert sims[0] == 1.0


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("MARIE CLAIRE", "MARIE CLAIRE", MatchKind.IDENTICAL),
        ("MARIE CLAIRE", "CLAIRE MARIE", MatchKind.FIRST_NAMES_ORDER),
        ("MARIE CLAIRE", "MARIE", MatchKind.FIRST_NAMES_PARTIAL),
        ("JEANDENIS", "JEAN-DENIS", MatchKind.COMPOUND_FIRST_NAME),
        ("MARIE CLAIRE", "MARIE CLIARE", MatchKind.TYPO),
        ("LUCAS", "HUGO", MatchKind.DIFFERENT),
        ("LUCAS", "", MatchKind.MISSING),
    ],
)
def test_match_first_names(a: str, b: str, kind: MatchKind) -> None:
    assert match_first_names(first_name_words(a), first_name_words(b))[0] is kind


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        (date(1985, 4, 12), date(1985, 4, 12), MatchKind.IDENTICAL),
        (date(1985, 4, 12), date(1985, 12, 4), MatchKind.DAY_MONTH_SWAPPED),
        (date(1985, 4, 12), date(1985, 4, 13), MatchKind.TYPO),
        (date(1985, 4, 12), date(1970, 1, 1), MatchKind.DIFFERENT),
        (date(1985, 4, 12), None, MatchKind.MISSING),
    ],
)
def test_match_dates(a: date, b: date | None, kind: MatchKind) -> None:
    assert match_dates(a, b)[0] is kind


def test_swapped_date() -> None:
    assert swapped_date(date(1985, 4, 12)) == date(1985, 12, 4)
    assert swapped_date(date(1985, 4, 13)) is None  # no 13th month
    assert swapped_date(date(1985, 4, 4)) is None  # the same date


_PAIRS = [
    ("DUPONT", "DUPOND"),
    ("GAUTHIER", "GAUTIER"),
    ("MARTIN", "LEGRAND"),
    ("LEFEBVRE", "LEFEVRE"),
    ("BERNARD", "BERNARD"),
    ("ROUSSEAU", "ROUSEAU"),
    ("PHILIPPE", "FILIPE"),
]


@pytest.mark.parametrize(("a", "b"), _PAIRS)
def test_fast_name_kinds_agree_with_the_identity_rules(a: str, b: str) -> None:
    """The fast comparison follows :func:`simsec.rules.identity.compare`."""
    reference = compare(Traits(birth_name=a), Traits(birth_name=b))[0].kind
    assert match_name(name_key(a), name_key(b))[0].value == reference.value


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("MARIE", "CLAIRE"), ("CLAIRE", "MARIE")),
        (("MARIE", "CLAIRE"), ("MARIE",)),
        (("MARIE", "CLAIRE"), ("MARIE", "CLAIRE")),
        (("LUCAS",), ("HUGO",)),
        (("MARIE", "CLAIRE"), ("MARIE", "CLAIRR")),
    ],
)
def test_fast_first_name_kinds_agree_with_the_identity_rules(
    a: tuple[str, ...], b: tuple[str, ...]
) -> None:
    reference = compare(Traits(first_names=a), Traits(first_names=b))[1].kind
    ours = match_first_names(a, b)[0]
    assert ours.value == reference.value


def test_day_month_swap_agrees_with_the_identity_rules() -> None:
    a, b = date(1990, 3, 7), date(1990, 7, 3)
    reference = compare(Traits(birth_date=a), Traits(birth_date=b))[2].kind
    assert reference is DifferenceKind.DAY_MONTH_SWAPPED
    assert match_dates(a, b)[0].value == reference.value
