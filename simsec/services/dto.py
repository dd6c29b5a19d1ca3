"""Result objects (DTOs) of the patient search and of the doublon report.

Frozen dataclasses: the UI and the command line get these, never ORM rows. Each has
``as_dict()`` giving its JSON form (the one printed by ``--json``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = [
    "DuplicatePair",
    "MatchKind",
    "PatientHit",
    "PatientQuery",
    "TraitMatch",
]


class MatchKind(StrEnum):
    """How a trait of a query or record matches the trait of a stored record.

    The values shared with :class:`simsec.rules.identity.DifferenceKind` have the same
    codes (so that their texts are shared); ``prefix``, ``used_name``, ``conflict`` and
    ``suspected`` are specific to the search and the doublon report.
    """

    IDENTICAL = "identical"
    SEPARATORS = "separators"  # same letters, other hyphens, apostrophes or spaces
    TYPO = "typo"  # typing slips (OSA edit distance: 1, or 2 from 9 letters)
    PHONETIC = "phonetic"  # same French phonetic key
    PREFIX = "prefix"  # the first letters typed (RNIV: date + 3 first letters)
    USED_NAME = "used_name"  # the name typed is the record's used name
    USED_NAME_AS_BIRTH_NAME = "used_name_as_birth_name"  # a used name stored as birth name
    FIRST_NAMES_ORDER = "first_names_order"
    COMPOUND_FIRST_NAME = "compound_first_name"  # MARIE-CLAIRE against MARIE CLAIRE
    FIRST_NAMES_PARTIAL = "first_names_partial"  # one list is part of the other
    DAY_MONTH_SWAPPED = "day_month_swapped"
    CLOSE = "close"  # alike but none of the kinds above (text similarity only)
    MISSING = "missing"  # known on one side only
    DIFFERENT = "different"
    CONFLICT = "conflict"  # two different valid identifiers (NIR, INS): two people
    SUSPECTED = "suspected"  # for ``twins``: same birth, family traits, other first name


@dataclass(frozen=True, slots=True)
class TraitMatch:
    """One trait compared: the trait (``birth_name``, ``first_names``, ``birth_date``,
    ``sex``, ``birth_place``, ``nir``, ``ins``, ``twins``…) and how it matches."""

    trait: str
    kind: MatchKind

    @property
    def code(self) -> str:
        """The stable reason code ``trait:kind`` (for example ``birth_date:day_month_swapped``)."""
        return f"{self.trait}:{self.kind.value}"


@dataclass(frozen=True, slots=True)
class PatientQuery:
    """A search before creating: any of the traits, or a free text.

    ``birth_name`` is matched against the birth name and the used name of the records
    (the name the person gives may be either); ``first_names`` is one or several first
    names in any order; ``text`` is a free query such as ``"dupont marie 12/04/1985"``
    (names in any order, a date, a NIR), combined with the other fields.
    """

    birth_name: str | None = None
    first_names: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    nir: str | None = None
    text: str | None = None

    @property
    def empty(self) -> bool:
        return not any((self.birth_name, self.first_names, self.birth_date, self.nir, self.text))


@dataclass(frozen=True, slots=True)
class PatientHit:
    """A search result: the patient (key and traits), its score and the matched traits."""

    id: str
    birth_name: str
    first_names: str
    used_name: str | None
    birth_date: date | None
    sex: str | None
    birth_place: str | None
    score: float
    matched: tuple[TraitMatch, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "birth_name": self.birth_name,
            "first_names": self.first_names,
            "used_name": self.used_name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "sex": self.sex,
            "birth_place": self.birth_place,
            "score": round(self.score, 4),
            "matched": [{"trait": m.trait, "kind": m.kind.value} for m in self.matched],
        }


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    """A candidate doublon: two patient keys, a score in 0..1 and the reasons."""

    a: str
    b: str
    score: float
    reasons: tuple[TraitMatch, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "a": self.a,
            "b": self.b,
            "score": round(self.score, 4),
            "reasons": [r.code for r in self.reasons],
        }
