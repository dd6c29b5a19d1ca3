"""Derived search keys of a patient (the ``k_*`` and ``p_*`` columns of ``patient``).

The search before creating (RNIV volet 1, "identification primaire": date of birth
first, then the first letters of the name, then widening to the used name and phonetic
matches; identito-na.fr) and the doublon detection look patients up through these
indexed columns:

- ``k_birth_name``, ``k_used_name``, ``k_first_names``: the name reduced to the capital
  letters A-Z (RNIV typography: capitals, no diacritics) with every separator removed
  (space, hyphen, apostrophe), so that "Le Gall", "LE-GALL" and "le gall" share one key;
  ``k_first_names`` keeps the civil order of the first names;
- ``p_birth_name``, ``p_used_name``, ``p_first_name``: the French phonetic key
  (:func:`simsec.rules.phonetic.phonetic_key`) of the birth name, of the used name and
  of the premier prénom de naissance (the first of the list).

Every writer of ``patient`` (services, world generator, import) fills them with
:func:`patient_search_columns`, so that the keys of the stored rows and of the queries
come from one function.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from rapidfuzz.distance import OSA, Indel

from simsec.rules.phonetic import letters_only
from simsec.rules.phonetic import phonetic_key as _phonetic_key
from simsec.services.dto import MatchKind

__all__ = [
    "first_first_name",
    "first_name_words",
    "is_typo",
    "match_codes",
    "match_dates",
    "match_first_names",
    "match_name",
    "name_key",
    "patient_search_columns",
    "phonetic_key",
    "swapped_date",
    "typo_limit",
]


def name_key(name: str | None) -> str:
    """The separator-free normalised key of a name ("Le Gall-Hervé" → ``LEGALLHERVE``)."""
    return letters_only(name) if name else ""


def phonetic_key(name: str | None) -> str:
    """The French phonetic key of a name; ``""`` for no name."""
    return _phonetic_key(name) if name else ""


def first_first_name(first_names: str) -> str:
    """The premier prénom de naissance: the first of the space-separated list (RNIV;
    a compound first name keeps its hyphen and stays one first name)."""
    parts = first_names.split()
    return parts[0] if parts else ""


def patient_search_columns(
    birth_name: str, first_names: str, used_name: str | None
) -> dict[str, str | None]:
    """The derived search columns of a patient, ready to be put in an insert or update.

    ``k_used_name`` and ``p_used_name`` are None when there is no used name.
    """
    used = name_key(used_name)
    return {
        "k_birth_name": name_key(birth_name),
        "k_used_name": used or None,
        "k_first_names": name_key(first_names),
        "p_birth_name": phonetic_key(birth_name),
        "p_used_name": phonetic_key(used_name) if used else None,
        "p_first_name": phonetic_key(first_first_name(first_names)),
    }


# ----------------------------------------------------------------------- fast comparison
#
# The search and the doublon report compare thousands of candidates per second, on values
# that are already in RNIV form (stored rows, or a query normalised once). They use these
# comparisons on the precomputed keys; the definitions follow
# :func:`simsec.rules.identity.compare` (same typo limit, same phonetic key, same kinds),
# which remains the reference for comparing two identities one by one.

_WORDS = re.compile(r"[-' ]+")


def typo_limit(length: int) -> int:
    """Edit operations tolerated as typing slips: one, two from nine letters (as
    :mod:`simsec.rules.identity`)."""
    return 2 if length >= 9 else 1


def is_typo(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by typing slips only (OSA distance within the limit)."""
    limit = typo_limit(min(len(a), len(b)))
    return OSA.distance(a, b, score_cutoff=limit) <= limit


@lru_cache(maxsize=65_536)
def first_name_words(first_names: str) -> tuple[str, ...]:
    """The words of the first names, letters only: "Marie-Claire Anne" gives MARIE,
    CLAIRE, ANNE (a compound first name and the same words spaced are alike)."""
    if _RNIV_FORM.fullmatch(first_names):  # stored values: no folding needed
        return tuple(w for w in _WORDS.split(first_names) if w)
    return tuple(w for w in (letters_only(p) for p in _WORDS.split(first_names)) if w)


_RNIV_FORM = re.compile(r"[A-Z' -]*")


def _text_similarity(a: str, b: str) -> float:
    return float(Indel.normalized_similarity(a, b))


def match_name(
    k_a: str, k_b: str, p_a: str | None = None, p_b: str | None = None
) -> tuple[MatchKind, float]:
    """Compare two name keys (letters only): the kind and a similarity in 0..1.

    ``p_a`` and ``p_b`` are their phonetic keys when known (the stored ``p_*`` columns):
    computing the key of a name seen for the first time is the costly part.
    """
    if not k_a or not k_b:
        return MatchKind.MISSING, 0.0
    if k_a == k_b:
        return MatchKind.IDENTICAL, 1.0
    if is_typo(k_a, k_b):
        return MatchKind.TYPO, 0.9
    if (p_a or _phonetic_key(k_a)) == (p_b or _phonetic_key(k_b)):
        return MatchKind.PHONETIC, 0.85
    ratio = _text_similarity(k_a, k_b)
    if ratio >= 0.75:
        return MatchKind.CLOSE, 0.8 * ratio
    return MatchKind.DIFFERENT, 0.3 * ratio


def _word_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if is_typo(a, b):
        return 0.9
    if _phonetic_key(a) == _phonetic_key(b):
        return 0.85
    return 0.7 * _text_similarity(a, b)


def _is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    remaining = iter(long)
    return all(any(item == candidate for candidate in remaining) for item in short)


def match_first_names(a: Sequence[str], b: Sequence[str]) -> tuple[MatchKind, float]:
    """Compare two lists of first-name words (:func:`first_name_words`).

    Kinds as :mod:`simsec.rules.identity`: identical, order, partial (one list is part
    of the other, e.g. only the first first name typed), typo, phonetic; and ``close``
    or ``different`` from the best word-to-word similarity of the shorter list.
    """
    if not a or not b:
        return MatchKind.MISSING, 0.0
    if a == b:
        return MatchKind.IDENTICAL, 1.0
    joined_a, joined_b = "".join(a), "".join(b)
    if joined_a == joined_b:  # JEAN-PIERRE, JEAN PIERRE, JEANPIERRE
        return MatchKind.COMPOUND_FIRST_NAME, 0.95
    if sorted(a) == sorted(b):
        return MatchKind.FIRST_NAMES_ORDER, 0.9
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if _is_subsequence(short, long):
        return MatchKind.FIRST_NAMES_PARTIAL, 0.85 if a[0] == b[0] else 0.75
    if is_typo(joined_a, joined_b):  # a slip in a first name typed without its hyphen
        return MatchKind.TYPO, 0.85
    sims = [max(_word_similarity(s, w) for w in long) for s in short]
    worst, mean = min(sims), sum(sims) / len(sims)
    if len(a) != len(b):
        mean *= 0.95
    if worst >= 0.9:
        return MatchKind.TYPO, 0.85 * mean
    if worst >= 0.85:
        return MatchKind.PHONETIC, 0.8 * mean
    if mean >= 0.75:
        return MatchKind.CLOSE, 0.8 * mean
    return MatchKind.DIFFERENT, 0.3 * mean


def swapped_date(value: date) -> date | None:
    """The date with day and month swapped, when that is another valid date."""
    if value.day > 12 or value.day == value.month:
        return None
    return date(value.year, value.day, value.month)


def match_dates(a: date | None, b: date | None) -> tuple[MatchKind, float]:
    """Compare two birth dates: identical, day and month swapped, one typed digit."""
    if a is None or b is None:
        return MatchKind.MISSING, 0.0
    if a == b:
        return MatchKind.IDENTICAL, 1.0
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return MatchKind.DAY_MONTH_SWAPPED, 0.85
    if OSA.distance(a.strftime("%d%m%Y"), b.strftime("%d%m%Y"), score_cutoff=1) <= 1:
        return MatchKind.TYPO, 0.5
    return MatchKind.DIFFERENT, 0.0


def match_codes(a: str | None, b: str | None, *, typo: bool = False) -> MatchKind:
    """Compare two codes (sex, birth place, NIR): identical, missing, typo or different."""
    if not a or not b:
        return MatchKind.MISSING
    if a == b:
        return MatchKind.IDENTICAL
    if typo and OSA.distance(a, b, score_cutoff=1) <= 1:
        return MatchKind.TYPO
    return MatchKind.DIFFERENT
