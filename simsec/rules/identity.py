"""Identity traits (identitovigilance): normalisation, input checks, comparison,
similarity and the confidence status.

Sources:

* Référentiel national d'identitovigilance (RNIV), volet 1, principes communs: strict
  and complementary traits, typing rules, the four confidence statuses and the
  attributes (exigence EXI SI 07 for the statuses, EXI SI 08 for the use of the INS).
* HL7 France FR Core: CodeSystem ``fr-core-cs-identity-status`` (PROV, RECUP, VALI, QUAL),
  CodeSystem ``fr-core-cs-identity-status-comment`` (HOMA, DOUT, FICT) and the constraint
  ``fr-core-comment-requires-prov`` (DOUT and FICT only with PROV).
* ANS, MOS ``PersonnePriseCharge.INS``: the list of traits and their meaning.

The typing conventions that are not fully sourced (allowed character set, unknown date
of birth, expired documents) are data: ``simsec/data/identity.yaml``.

This module is pure: dates are arguments, nothing is read from the clock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any, Final, Literal

import yaml
from rapidfuzz.distance import OSA, Indel

from simsec.rules.phonetic import letters_only, phonetic_key

__all__ = [
    "DEFAULT_WEIGHTS",
    "STRICT_TRAITS",
    "DifferenceKind",
    "IdentityAttribute",
    "IdentityConventions",
    "IdentityIssue",
    "IdentityIssueCode",
    "IdentityState",
    "IdentityStatus",
    "NormalisedFirstNames",
    "NormalisedName",
    "ParsedBirthDate",
    "Severity",
    "Sex",
    "Similarity",
    "StatusChange",
    "StatusChangeReason",
    "TraitDifference",
    "TraitName",
    "TraitScore",
    "Traits",
    "compare",
    "first_names_text",
    "load_conventions",
    "modify_strict_trait",
    "normalise_first_names",
    "normalise_name",
    "normalise_traits",
    "parse_birth_date",
    "record_document_check",
    "record_insi_result",
    "set_attribute",
    "similarity",
    "status_consistency_issues",
    "status_from_facts",
    "strict_traits_changed",
    "validate_traits",
    "withdraw_document_check",
    "withdraw_insi",
]

Sex = Literal["F", "M", "I"]


# --------------------------------------------------------------------------- traits


class TraitName(StrEnum):
    """The traits of an identity, with the names used by the scenario format."""

    BIRTH_NAME = "birth_name"
    FIRST_NAMES = "first_names"
    BIRTH_DATE = "birth_date"
    SEX = "sex"
    BIRTH_PLACE = "birth_place"
    USED_NAME = "used_name"
    USED_FIRST_NAME = "used_first_name"

    @property
    def strict(self) -> bool:
        """Whether this is a strict trait (RNIV: the traits that identify)."""
        return self in STRICT_TRAITS


#: RNIV strict traits (the premier prénom is the first of ``first_names``; the
#: matricule INS and its OID are strict too, but they are not typed by the desk).
STRICT_TRAITS: Final = frozenset(
    {
        TraitName.BIRTH_NAME,
        TraitName.FIRST_NAMES,
        TraitName.BIRTH_DATE,
        TraitName.SEX,
        TraitName.BIRTH_PLACE,
    }
)


@dataclass(frozen=True, slots=True)
class Traits:
    """The identity traits of one person, as typed, stored or returned by INSi.

    Strict traits (RNIV): ``birth_name`` (nom de naissance), ``first_names`` (prénoms de
    naissance in the order of the civil register), ``birth_date``, ``sex`` and
    ``birth_place`` (INSEE code of the commune, or ``99xxx`` country code for a birth
    abroad). Complementary traits: ``used_name`` (nom utilisé) and ``used_first_name``
    (prénom utilisé). An empty string or ``None`` means "unknown".
    """

    birth_name: str = ""
    first_names: tuple[str, ...] = ()
    birth_date: date | None = None
    sex: Sex | None = None
    birth_place: str | None = None
    used_name: str | None = None
    used_first_name: str | None = None

    def __post_init__(self) -> None:
        # Tolerate a list from callers (pydantic models, YAML): the field stays a tuple.
        if not isinstance(self.first_names, tuple):
            object.__setattr__(self, "first_names", tuple(self.first_names))

    @property
    def first_name(self) -> str | None:
        """The premier prénom de naissance: the first of the birth first names."""
        return self.first_names[0] if self.first_names else None

    def value(self, trait: TraitName) -> str:
        """The trait as display text: first names joined by a space, dates in ISO form."""
        raw: object = getattr(self, trait.value)
        if raw is None:
            return ""
        if isinstance(raw, tuple):
            return first_names_text(raw)
        if isinstance(raw, date):
            return raw.isoformat()
        return str(raw)


def first_names_text(first_names: Iterable[str]) -> str:
    """The first names as one text, separated by a space (RNIV, and the INS format)."""
    return " ".join(name for name in first_names if name)


# --------------------------------------------------------------------------- conventions


@dataclass(frozen=True, slots=True, eq=False)
class IdentityConventions:
    """The typing conventions in force at a date (``simsec/data/identity.yaml``).

    Compared and hashed by identity: the loaded versions are cached singletons.
    """

    valid_from: date
    letters: str
    separators: str
    apostrophe_variants: str
    hyphen_variants: str
    transliterations: Mapping[str, str]
    abbreviations: Mapping[str, str]
    mandatory_traits: tuple[TraitName, ...]
    sexes: tuple[str, ...]
    insi_sexes: tuple[str, ...]
    unknown_birth_day: int
    unknown_birth_month: int
    implausible_age_years: int
    expired_document_tolerance_years: int

    @property
    def allowed(self) -> frozenset[str]:
        return frozenset(self.letters + self.separators)


def _conventions_from(entry: Mapping[str, Any]) -> IdentityConventions:
    return IdentityConventions(
        valid_from=entry["valid_from"],
        letters=str(entry["letters"]),
        separators=str(entry["separators"]),
        apostrophe_variants=str(entry["apostrophe_variants"]),
        hyphen_variants=str(entry["hyphen_variants"]),
        transliterations={str(k): str(v) for k, v in entry["transliterations"].items()},
        abbreviations={str(k): str(v) for k, v in entry["abbreviations"].items()},
        mandatory_traits=tuple(TraitName(t) for t in entry["mandatory_traits"]),
        sexes=tuple(str(s) for s in entry["sexes"]),
        insi_sexes=tuple(str(s) for s in entry["insi_sexes"]),
        unknown_birth_day=int(entry["unknown_birth_day"]),
        unknown_birth_month=int(entry["unknown_birth_month"]),
        implausible_age_years=int(entry["implausible_age_years"]),
        expired_document_tolerance_years=int(entry["expired_document_tolerance_years"]),
    )


@cache
def _all_conventions() -> tuple[IdentityConventions, ...]:
    text = resources.files("simsec.data").joinpath("identity.yaml").read_text("utf-8")
    document = yaml.safe_load(text)
    versions = sorted(
        (_conventions_from(entry) for entry in document["versions"]),
        key=lambda c: c.valid_from,
    )
    return tuple(versions)


def load_conventions(on: date | None = None) -> IdentityConventions:
    """The conventions in force on ``on`` (the latest version when ``on`` is None)."""
    versions = _all_conventions()
    if on is None:
        return versions[-1]
    in_force = [c for c in versions if c.valid_from <= on]
    # Before the first version, the first one applies (the conventions predate simsec).
    return in_force[-1] if in_force else versions[0]


# --------------------------------------------------------------------------- issues


class Severity(StrEnum):
    ERROR = "error"  # the value must be corrected before it is saved
    WARNING = "warning"  # the value may be right, the operator must check it
    INFO = "info"  # for information (a positive finding, an explanation)


class IdentityIssueCode(StrEnum):
    """Stable codes of the input findings on identity traits (texts: simsec.texts.identity)."""

    FORBIDDEN_CHARACTER = "forbidden_character"
    MISPLACED_SEPARATOR = "misplaced_separator"
    ABBREVIATION = "abbreviation"
    NOT_NORMALISED = "not_normalised"
    MISSING_TRAIT = "missing_trait"
    BIRTH_DATE_IN_FUTURE = "birth_date_in_future"
    BIRTH_DATE_IMPLAUSIBLE = "birth_date_implausible"
    BIRTH_DATE_INVALID = "birth_date_invalid"
    BIRTH_DATE_PARTLY_UNKNOWN = "birth_date_partly_unknown"
    INVALID_SEX = "invalid_sex"
    SEX_NOT_IN_INSI = "sex_not_in_insi"
    INVALID_BIRTH_PLACE = "invalid_birth_place"
    STATUS_WITH_BLOCKING_ATTRIBUTE = "status_with_blocking_attribute"


@dataclass(frozen=True, slots=True)
class IdentityIssue:
    """One finding on an identity: a stable code, its severity, the trait and parameters."""

    code: IdentityIssueCode
    severity: Severity
    trait: TraitName | None = None
    params: Mapping[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- normalisation

_SPACES: Final = re.compile(r"\s+")
_SPACE_AROUND_SEPARATOR: Final = re.compile(r" ?([-']) ?")
_BAD_SEPARATORS: Final = re.compile(r"^[-']|[-']$|'[-']|-'|''|-{3,}")
_WORD_SPLIT: Final = re.compile(r"[ -]")
_FIRST_NAME_WORDS: Final = re.compile(r"[-' ]+")


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """A name in RNIV form, with the findings on the typed value."""

    raw: str
    value: str
    issues: tuple[IdentityIssue, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no finding is an error (warnings allowed)."""
        return all(issue.severity is not Severity.ERROR for issue in self.issues)

    @property
    def changed(self) -> bool:
        return self.raw != self.value


@dataclass(frozen=True, slots=True)
class NormalisedFirstNames:
    """Birth first names in RNIV form: an ordered tuple, with the findings."""

    raw: tuple[str, ...]
    values: tuple[str, ...]
    issues: tuple[IdentityIssue, ...] = ()

    @property
    def ok(self) -> bool:
        return all(issue.severity is not Severity.ERROR for issue in self.issues)

    @property
    def text(self) -> str:
        return first_names_text(self.values)


@dataclass(frozen=True, slots=True)
class _Compiled:
    """Translation tables and patterns derived once from a version of the conventions."""

    separators: Mapping[int, str]
    letters: Mapping[int, str]
    forbidden: re.Pattern[str]


@cache
def _compiled(conventions: IdentityConventions) -> _Compiled:
    separators = dict.fromkeys(map(ord, conventions.apostrophe_variants), "'")
    separators.update(dict.fromkeys(map(ord, conventions.hyphen_variants), "-"))
    letters = {ord(k): v for k, v in conventions.transliterations.items()}
    allowed = re.escape(conventions.letters + conventions.separators)
    return _Compiled(separators, letters, re.compile(f"[^{allowed}]"))


def _tidy(text: str) -> str:
    text = _SPACES.sub(" ", text).strip()
    return _SPACE_AROUND_SEPARATOR.sub(r"\1", text)


def _fold_once(text: str, tables: _Compiled) -> str:
    text = unicodedata.normalize("NFKD", text.upper().translate(tables.separators))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _tidy(text.upper().translate(tables.letters).translate(tables.separators))


def _fold(raw: str, conventions: IdentityConventions) -> str:
    """Capitals without diacritics, canonical separators, single inner spaces.

    ASCII text takes a fast path. Otherwise, since upper-casing or decomposing a few rare
    characters gives new combining marks or separators, the folding is repeated until
    nothing changes (idempotence).
    """
    tables = _compiled(conventions)
    if raw.isascii():
        return _tidy(raw.upper().translate(tables.separators))
    text = _fold_once(raw, tables)
    for _ in range(4):
        again = _fold_once(text, tables)
        if again == text:
            break
        text = again
    return text


def _name_issues(
    value: str, conventions: IdentityConventions, trait: TraitName | None
) -> tuple[IdentityIssue, ...]:
    issues: list[IdentityIssue] = []
    if _compiled(conventions).forbidden.search(value):
        allowed = conventions.allowed
        seen: set[str] = set()
        for position, ch in enumerate(value, start=1):
            if ch not in allowed and ch not in seen:
                seen.add(ch)
                issues.append(
                    IdentityIssue(
                        IdentityIssueCode.FORBIDDEN_CHARACTER,
                        Severity.ERROR,
                        trait,
                        {"character": ch, "position": str(position)},
                    )
                )
    if _BAD_SEPARATORS.search(value):
        issues.append(
            IdentityIssue(
                IdentityIssueCode.MISPLACED_SEPARATOR, Severity.ERROR, trait, {"value": value}
            )
        )
    for word in _WORD_SPLIT.split(value):
        expansion = conventions.abbreviations.get(word.rstrip("."))
        if expansion is not None:
            issues.append(
                IdentityIssue(
                    IdentityIssueCode.ABBREVIATION,
                    Severity.WARNING,
                    trait,
                    {"abbreviation": word, "expansion": expansion},
                )
            )
    return tuple(issues)


def normalise_name(
    raw: str,
    conventions: IdentityConventions | None = None,
    trait: TraitName | None = None,
) -> NormalisedName:
    """A birth name, used name or first name in the RNIV typing form.

    RNIV typing rule (volet 1, [à vérifier] for the exact character set, kept as data):
    capitals, no accents or diacritics (Œ is written OE, Æ AE, ß SS), hyphens,
    apostrophes and inner spaces kept. This function also folds the apostrophe and hyphen
    variants (’, –, ...) to ``'`` and ``-``, collapses spaces and removes the spaces
    around a hyphen or an apostrophe.

    It never drops a character it does not know: a character outside the allowed set is
    kept and reported (``forbidden_character``, an error), so that the operator corrects
    it. A misplaced separator (leading, trailing, doubled apostrophe, three hyphens) is an
    error; the double hyphen ``--`` of the civil register for double names is accepted.
    An abbreviation such as ``ST`` for SAINT is a warning (RNIV: no abbreviation).

    The function is idempotent: normalising a normalised value changes nothing.
    """
    conv = conventions or load_conventions()
    value = _fold(raw, conv)
    return NormalisedName(raw, value, _name_issues(value, conv, trait))


_FIRST_NAME_LIST_SEPARATORS: Final = re.compile(r"[,;/]")


def normalise_first_names(
    raw: str | Sequence[str],
    conventions: IdentityConventions | None = None,
) -> NormalisedFirstNames:
    """Birth first names as an ordered tuple in RNIV form.

    ``raw`` is a text ("Marie, Claire", "MARIE CLAIRE") or a sequence. First names are
    separated by a space (RNIV, INS format); commas, semicolons and slashes are accepted as
    separators on input. A compound first name keeps its hyphen ("JEAN-PIERRE" is one
    first name). A compound first name written with a space cannot be told from two first
    names: it becomes two (this is the INS representation too).
    """
    conv = conventions or load_conventions()
    items = (raw,) if isinstance(raw, str) else tuple(raw)
    joined = " ".join(_FIRST_NAME_LIST_SEPARATORS.sub(" ", item) for item in items)
    value = _fold(joined, conv)
    values = tuple(value.split(" ")) if value else ()
    issues = _name_issues(value, conv, TraitName.FIRST_NAMES)
    return NormalisedFirstNames(tuple(items), values, issues)


_BIRTH_PLACE: Final = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|9[789])\d{3}$")


_SEXES: Final[Mapping[str, Sex]] = {"F": "F", "M": "M", "I": "I"}


def _normalise_code(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    return code or None


def normalise_traits(
    traits: Traits, conventions: IdentityConventions | None = None
) -> tuple[Traits, tuple[IdentityIssue, ...]]:
    """``traits`` with every name in RNIV form and codes in capitals, and the findings."""
    conv = conventions or load_conventions()
    birth = normalise_name(traits.birth_name, conv, TraitName.BIRTH_NAME)
    first = normalise_first_names(traits.first_names, conv)
    used = normalise_name(traits.used_name or "", conv, TraitName.USED_NAME)
    used_first = normalise_name(traits.used_first_name or "", conv, TraitName.USED_FIRST_NAME)
    normalised = replace(
        traits,
        birth_name=birth.value,
        first_names=first.values,
        used_name=used.value or None,
        used_first_name=used_first.value or None,
        sex=_SEXES.get(_normalise_code(traits.sex) or "", traits.sex),
        birth_place=_normalise_code(traits.birth_place),
    )
    issues = birth.issues + first.issues + used.issues + used_first.issues
    return normalised, issues


# --------------------------------------------------------------------------- birth date

_DATE_PARTS: Final = re.compile(r"^\s*(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})\s*$")
_ISO_PARTS: Final = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class ParsedBirthDate:
    """A typed birth date: the date to store and what was unknown."""

    value: date | None
    day_unknown: bool = False
    month_unknown: bool = False
    issues: tuple[IdentityIssue, ...] = ()


def parse_birth_date(text: str, conventions: IdentityConventions | None = None) -> ParsedBirthDate:
    """Parse ``JJ/MM/AAAA`` (or ``AAAA-MM-JJ``) where ``00`` marks an unknown day or month.

    The RNIPP stores an unknown day or month as 00; the RNIV converts these
    "exceptional" dates. simsec stores the unknown day as ``unknown_birth_day`` and the
    unknown month as ``unknown_birth_month`` of the data file (01 by default,
    [à vérifier]), and reports a warning so that the operator knows the date is
    conventional.
    """
    conv = conventions or load_conventions()
    match = _DATE_PARTS.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        iso = _ISO_PARTS.match(text)
        if not iso:
            return ParsedBirthDate(None, issues=(_invalid_date(text),))
        year, month, day = (int(g) for g in iso.groups())
    day_unknown, month_unknown = day == 0, month == 0
    if day_unknown:
        day = conv.unknown_birth_day
    if month_unknown:
        month = conv.unknown_birth_month
    try:
        value = date(year, month, day)
    except ValueError:
        return ParsedBirthDate(None, issues=(_invalid_date(text),))
    issues: tuple[IdentityIssue, ...] = ()
    if day_unknown or month_unknown:
        issues = (
            IdentityIssue(
                IdentityIssueCode.BIRTH_DATE_PARTLY_UNKNOWN,
                Severity.WARNING,
                TraitName.BIRTH_DATE,
                {"stored": value.isoformat()},
            ),
        )
    return ParsedBirthDate(value, day_unknown, month_unknown, issues)


def _invalid_date(text: str) -> IdentityIssue:
    return IdentityIssue(
        IdentityIssueCode.BIRTH_DATE_INVALID,
        Severity.ERROR,
        TraitName.BIRTH_DATE,
        {"value": text.strip()},
    )


# --------------------------------------------------------------------------- validation


def _is_missing(traits: Traits, trait: TraitName) -> bool:
    if trait is TraitName.FIRST_NAMES:
        return not any(name.strip() for name in traits.first_names)
    raw: object = getattr(traits, trait.value)
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _years_between(earlier: date, later: date) -> int:
    """Whole years from ``earlier`` to ``later`` (an age)."""
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return years


def validate_traits(
    traits: Traits, today: date, conventions: IdentityConventions | None = None
) -> list[IdentityIssue]:
    """The input findings on ``traits`` (errors first, then warnings).

    Checks: mandatory traits present (identito-na.fr, identification primaire: at least
    five traits; the list is data), names in RNIV form (capitals, no diacritics, allowed
    characters, no abbreviation), birth date not in the future and plausible, sex among
    the allowed values (INSi knows only M and F: MOS), birth place an INSEE code (commune,
    or ``99xxx`` for a country: INSEE COG).
    """
    conv = conventions or load_conventions(today)
    issues: list[IdentityIssue] = [
        IdentityIssue(
            IdentityIssueCode.MISSING_TRAIT, Severity.ERROR, trait, {"trait": trait.value}
        )
        for trait in conv.mandatory_traits
        if _is_missing(traits, trait)
    ]
    issues.extend(_name_findings(traits, conv))
    issues.extend(_date_findings(traits.birth_date, today, conv))
    if traits.sex is not None:
        if traits.sex not in conv.sexes:
            issues.append(
                IdentityIssue(
                    IdentityIssueCode.INVALID_SEX,
                    Severity.ERROR,
                    TraitName.SEX,
                    {"value": str(traits.sex)},
                )
            )
        elif traits.sex not in conv.insi_sexes:
            issues.append(
                IdentityIssue(IdentityIssueCode.SEX_NOT_IN_INSI, Severity.WARNING, TraitName.SEX)
            )
    if traits.birth_place and not _BIRTH_PLACE.match(traits.birth_place):
        issues.append(
            IdentityIssue(
                IdentityIssueCode.INVALID_BIRTH_PLACE,
                Severity.ERROR,
                TraitName.BIRTH_PLACE,
                {"value": traits.birth_place},
            )
        )
    return sorted(issues, key=lambda issue: issue.severity is not Severity.ERROR)


def _name_findings(traits: Traits, conv: IdentityConventions) -> list[IdentityIssue]:
    findings: list[IdentityIssue] = []
    names: list[tuple[TraitName, str]] = [
        (TraitName.BIRTH_NAME, traits.birth_name),
        (TraitName.USED_NAME, traits.used_name or ""),
        (TraitName.USED_FIRST_NAME, traits.used_first_name or ""),
    ]
    for trait, raw in names:
        normalised = normalise_name(raw, conv, trait)
        findings.extend(normalised.issues)
        if normalised.changed:
            findings.append(_not_normalised(trait, raw, normalised.value))
    first = normalise_first_names(traits.first_names, conv)
    findings.extend(first.issues)
    if first.values != traits.first_names:
        findings.append(
            _not_normalised(TraitName.FIRST_NAMES, first_names_text(traits.first_names), first.text)
        )
    return findings


def _not_normalised(trait: TraitName, raw: str, expected: str) -> IdentityIssue:
    return IdentityIssue(
        IdentityIssueCode.NOT_NORMALISED,
        Severity.WARNING,
        trait,
        {"value": raw, "expected": expected},
    )


def _date_findings(
    birth_date: date | None, today: date, conv: IdentityConventions
) -> list[IdentityIssue]:
    if birth_date is None:
        return []
    if birth_date > today:
        return [
            IdentityIssue(
                IdentityIssueCode.BIRTH_DATE_IN_FUTURE,
                Severity.ERROR,
                TraitName.BIRTH_DATE,
                {"value": birth_date.isoformat(), "today": today.isoformat()},
            )
        ]
    age = _years_between(birth_date, today)
    if age > conv.implausible_age_years:
        return [
            IdentityIssue(
                IdentityIssueCode.BIRTH_DATE_IMPLAUSIBLE,
                Severity.WARNING,
                TraitName.BIRTH_DATE,
                {"value": birth_date.isoformat(), "age": str(age)},
            )
        ]
    return []


# --------------------------------------------------------------------------- comparison


class DifferenceKind(StrEnum):
    """How one trait of two identities differs (texts: simsec.texts.identity)."""

    IDENTICAL = "identical"
    ACCENTS_OR_CASE = "accents_or_case"  # same once in RNIV form (case, accents, spacing)
    SEPARATORS = "separators"  # same letters, other hyphens, apostrophes or spaces
    TYPO = "typo"  # one typing slip (two for long values): OSA edit distance
    PHONETIC = "phonetic"  # sounds the same (French phonetic key)
    FIRST_NAMES_ORDER = "first_names_order"  # same first names, another order
    COMPOUND_FIRST_NAME = "compound_first_name"  # MARIE-CLAIRE against MARIE CLAIRE
    FIRST_NAMES_PARTIAL = "first_names_partial"  # one list is part of the other
    USED_NAME_AS_BIRTH_NAME = "used_name_as_birth_name"  # a used name typed as birth name
    DAY_MONTH_SWAPPED = "day_month_swapped"  # 1985-04-12 against 1985-12-04
    MISSING = "missing"  # known on one side only
    DIFFERENT = "different"

    @property
    def same(self) -> bool:
        """The values are the same trait, written differently or not at all."""
        return self in (DifferenceKind.IDENTICAL, DifferenceKind.ACCENTS_OR_CASE)


@dataclass(frozen=True, slots=True)
class TraitDifference:
    """The comparison of one trait: its kind and both values as display text."""

    trait: TraitName
    kind: DifferenceKind
    a: str
    b: str


def _typo_limit(length: int) -> int:
    """Edit operations tolerated as typing slips: one, two from nine characters."""
    return 2 if length >= 9 else 1


def _is_typo(a: str, b: str) -> bool:
    limit = _typo_limit(min(len(a), len(b)))
    return OSA.distance(a, b, score_cutoff=limit) <= limit


def _same_letters(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and letters_only(a or "") == letters_only(b or "")


def _compare_names(a: str | None, b: str | None) -> DifferenceKind:
    if not a and not b:
        return DifferenceKind.IDENTICAL
    if not a or not b:
        return DifferenceKind.MISSING
    if a == b:
        return DifferenceKind.IDENTICAL
    conv = load_conventions()
    if _fold(a, conv) == _fold(b, conv):
        return DifferenceKind.ACCENTS_OR_CASE
    la, lb = letters_only(a), letters_only(b)
    if la == lb:
        return DifferenceKind.SEPARATORS
    if _is_typo(la, lb):
        return DifferenceKind.TYPO
    if phonetic_key(la) == phonetic_key(lb):
        return DifferenceKind.PHONETIC
    return DifferenceKind.DIFFERENT


def _compare_birth_names(a: Traits, b: Traits) -> DifferenceKind:
    kind = _compare_names(a.birth_name, b.birth_name)
    if kind in (DifferenceKind.TYPO, DifferenceKind.PHONETIC, DifferenceKind.DIFFERENT) and (
        _same_letters(a.used_name, b.birth_name) or _same_letters(b.used_name, a.birth_name)
    ):
        # RNIV: typing the used (married) name as birth name is the classic doublon.
        return DifferenceKind.USED_NAME_AS_BIRTH_NAME
    return kind


def _is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    remaining = iter(long)
    return all(any(item == candidate for candidate in remaining) for item in short)


def _first_name_tokens(names: tuple[str, ...]) -> tuple[str, ...]:
    """The words of normalised first names: MARIE-CLAIRE gives MARIE and CLAIRE."""
    return tuple(token for name in names for token in _FIRST_NAME_WORDS.split(name) if token)


def _compare_first_names(a: tuple[str, ...], b: tuple[str, ...]) -> DifferenceKind:
    if not a and not b:
        return DifferenceKind.IDENTICAL
    if not a or not b:
        return DifferenceKind.MISSING
    if a == b:
        return DifferenceKind.IDENTICAL
    na, nb = normalise_first_names(a).values, normalise_first_names(b).values
    if na == nb:
        return DifferenceKind.ACCENTS_OR_CASE
    ta, tb = _first_name_tokens(na), _first_name_tokens(nb)
    if ta == tb:
        return DifferenceKind.COMPOUND_FIRST_NAME
    if sorted(ta) == sorted(tb):
        return DifferenceKind.FIRST_NAMES_ORDER
    if _is_subsequence(ta, tb) or _is_subsequence(tb, ta):
        return DifferenceKind.FIRST_NAMES_PARTIAL
    if len(ta) == len(tb) and all(_is_typo(x, y) for x, y in zip(ta, tb, strict=True)):
        return DifferenceKind.TYPO
    if [phonetic_key(t) for t in ta] == [phonetic_key(t) for t in tb]:
        return DifferenceKind.PHONETIC
    return DifferenceKind.DIFFERENT


def _compare_dates(a: date | None, b: date | None) -> DifferenceKind:
    if a is None and b is None:
        return DifferenceKind.IDENTICAL
    if a is None or b is None:
        return DifferenceKind.MISSING
    if a == b:
        return DifferenceKind.IDENTICAL
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return DifferenceKind.DAY_MONTH_SWAPPED
    if OSA.distance(a.strftime("%d%m%Y"), b.strftime("%d%m%Y")) == 1:
        return DifferenceKind.TYPO
    return DifferenceKind.DIFFERENT


def _compare_codes(a: str | None, b: str | None, *, typo: bool) -> DifferenceKind:
    ca, cb = _normalise_code(a), _normalise_code(b)
    if ca is None and cb is None:
        return DifferenceKind.IDENTICAL
    if ca is None or cb is None:
        return DifferenceKind.MISSING
    if a == b:
        return DifferenceKind.IDENTICAL
    if ca == cb:
        return DifferenceKind.ACCENTS_OR_CASE
    if typo and OSA.distance(ca, cb) == 1:
        return DifferenceKind.TYPO
    return DifferenceKind.DIFFERENT


def compare(a: Traits, b: Traits) -> list[TraitDifference]:
    """Compare two identities trait by trait (every trait, strict ones first).

    The kinds name the usual causes of doublons (RNIV; identito-na.fr): a typing slip,
    accents or case, first names in another order or a compound first name written with
    a space (MARIE-CLAIRE against MARIE CLAIRE, a classic INSi difference), the used name
    typed as birth name, day and month swapped, a trait known on one side only. A trait
    unknown on both sides is ``identical``. The kind is symmetric: ``compare(a, b)`` and
    ``compare(b, a)`` give the same kinds.
    """
    kinds: dict[TraitName, DifferenceKind] = {
        TraitName.BIRTH_NAME: _compare_birth_names(a, b),
        TraitName.FIRST_NAMES: _compare_first_names(a.first_names, b.first_names),
        TraitName.BIRTH_DATE: _compare_dates(a.birth_date, b.birth_date),
        TraitName.SEX: _compare_codes(a.sex, b.sex, typo=False),
        TraitName.BIRTH_PLACE: _compare_codes(a.birth_place, b.birth_place, typo=True),
        TraitName.USED_NAME: _compare_names(a.used_name, b.used_name),
        TraitName.USED_FIRST_NAME: _compare_names(a.used_first_name, b.used_first_name),
    }
    return [TraitDifference(t, k, a.value(t), b.value(t)) for t, k in kinds.items()]


def strict_traits_changed(before: Traits, after: Traits) -> tuple[TraitName, ...]:
    """The strict traits whose RNIV form differs between ``before`` and ``after``.

    A change of case or accents only (the same RNIV form) is not a change of trait.
    """
    return tuple(d.trait for d in compare(before, after) if d.trait.strict and not d.kind.same)


# --------------------------------------------------------------------------- similarity

#: Weights of the strict traits in the similarity score (simsec's tuning, not a rule).
DEFAULT_WEIGHTS: Final[Mapping[TraitName, float]] = {
    TraitName.BIRTH_NAME: 0.30,
    TraitName.FIRST_NAMES: 0.25,
    TraitName.BIRTH_DATE: 0.30,
    TraitName.SEX: 0.05,
    TraitName.BIRTH_PLACE: 0.10,
}

_KIND_SCORES: Final[Mapping[DifferenceKind, float]] = {
    DifferenceKind.IDENTICAL: 1.0,
    DifferenceKind.ACCENTS_OR_CASE: 1.0,
    DifferenceKind.SEPARATORS: 0.97,
    DifferenceKind.COMPOUND_FIRST_NAME: 0.95,
    DifferenceKind.USED_NAME_AS_BIRTH_NAME: 0.85,
    DifferenceKind.FIRST_NAMES_ORDER: 0.85,
    DifferenceKind.PHONETIC: 0.8,
    DifferenceKind.DAY_MONTH_SWAPPED: 0.8,
}


@dataclass(frozen=True, slots=True)
class TraitScore:
    """The score of one strict trait (0..1), its kind and its weight; ``None`` if missing."""

    trait: TraitName
    kind: DifferenceKind
    score: float | None
    weight: float


@dataclass(frozen=True, slots=True)
class Similarity:
    """How alike two identities are, with the per-trait detail that explains it.

    ``score`` is the weighted mean over the strict traits known on both sides;
    ``coverage`` is the share of the weight that could be compared (a search with only a
    name and a birth date compares little: callers decide how much coverage they need).
    """

    score: float
    coverage: float
    traits: tuple[TraitScore, ...]

    def trait(self, name: TraitName) -> TraitScore:
        return next(t for t in self.traits if t.trait is name)


def _text_ratio(a: str, b: str) -> float:
    return Indel.normalized_similarity(letters_only(a), letters_only(b))


def _trait_score(trait: TraitName, kind: DifferenceKind, a: Traits, b: Traits) -> float | None:
    if kind is DifferenceKind.MISSING:
        return None
    fixed = _KIND_SCORES.get(kind)
    if fixed is not None:
        return fixed
    va, vb = a.value(trait), b.value(trait)
    if trait in (TraitName.BIRTH_NAME, TraitName.FIRST_NAMES):
        ratio = _text_ratio(va, vb)
        if kind is DifferenceKind.TYPO:
            return max(0.75, min(ratio, 0.95))
        if kind is DifferenceKind.FIRST_NAMES_PARTIAL:
            same_first = letters_only(a.first_name or "") == letters_only(b.first_name or "")
            return 0.85 if same_first else 0.7
        return 0.5 * ratio  # different: partial credit for shared letters only
    if kind is DifferenceKind.TYPO:
        return 0.7 if trait is TraitName.BIRTH_DATE else 0.5
    if trait is TraitName.BIRTH_PLACE and va[:2] == vb[:2]:
        return 0.2  # same département (or both abroad)
    return 0.0


def similarity(
    a: Traits, b: Traits, weights: Mapping[TraitName, float] | None = None
) -> Similarity:
    """A similarity score in 0..1 between two identities, for search and doublon hints.

    Built on :func:`compare`, so it is robust to the usual error kinds: accents and
    case, separators, typing slips, phonetic spellings, first names reordered or
    compound, used name typed as birth name, day and month swapped. Text similarity for
    the rest comes from rapidfuzz (Indel ratio). Symmetric in ``a`` and ``b``.
    """
    table = weights or DEFAULT_WEIGHTS
    differences = {d.trait: d.kind for d in compare(a, b)}
    scores = tuple(
        TraitScore(trait, differences[trait], _trait_score(trait, differences[trait], a, b), w)
        for trait, w in table.items()
    )
    total = sum(s.weight for s in scores)
    known = [s for s in scores if s.score is not None]
    known_weight = sum(s.weight for s in known)
    if not known_weight:
        return Similarity(0.0, 0.0, scores)
    score = sum(s.weight * (s.score or 0.0) for s in known) / known_weight
    return Similarity(round(score, 6), round(known_weight / total, 6), scores)


# --------------------------------------------------------------------------- status


class IdentityStatus(StrEnum):
    """The four exclusive confidence statuses (RNIV EXI SI 07; FR Core identity-status)."""

    PROVISOIRE = "provisoire"  # PROV: not from INSi, not checked on a high-trust device
    RECUPEREE = "recuperee"  # RECUP: from INSi after comparing traits, no document check
    VALIDEE = "validee"  # VALI: checked on a high-trust device, not from INSi
    QUALIFIEE = "qualifiee"  # QUAL: from INSi and checked on a high-trust device

    @property
    def code(self) -> str:
        """The FR Core code (``fr-core-cs-identity-status``)."""
        return _STATUS_CODES[self]


_STATUS_CODES: Final = {
    IdentityStatus.PROVISOIRE: "PROV",
    IdentityStatus.RECUPEREE: "RECUP",
    IdentityStatus.VALIDEE: "VALI",
    IdentityStatus.QUALIFIEE: "QUAL",
}


class IdentityAttribute(StrEnum):
    """RNIV attributes, independent of the status (FR Core identity-status-comment)."""

    DOUTEUSE = "douteuse"  # DOUT: doubtful identity (suspected fraud, inconsistent traits)
    FICTIVE = "fictive"  # FICT: made up for an organisational reason (test, anonymous care)
    HOMONYME = "homonyme"  # HOMA: a known homonymy, flagged so that staff take care

    @property
    def code(self) -> str:
        return _ATTRIBUTE_CODES[self]

    @property
    def forces_provisoire(self) -> bool:
        """FR Core ``fr-core-comment-requires-prov`` (citing the RNIV): DOUT, FICT only in PROV."""
        return self in (IdentityAttribute.DOUTEUSE, IdentityAttribute.FICTIVE)


_ATTRIBUTE_CODES: Final = {
    IdentityAttribute.DOUTEUSE: "DOUT",
    IdentityAttribute.FICTIVE: "FICT",
    IdentityAttribute.HOMONYME: "HOMA",
}


def status_from_facts(
    *,
    insi_retrieved: bool,
    document_checked: bool,
    attributes: Iterable[IdentityAttribute] = (),
) -> IdentityStatus:
    """The status from its two facts (RNIV EXI SI 07; FR Core ``fr-core-cs-identity-status``).

    ``insi_retrieved``: the traits were retrieved through INSi after a successful
    comparison with the person's traits. ``document_checked``: the identity was checked
    against a high-trust identification device. A douteuse or fictive identity is always
    provisoire (FR Core constraint ``fr-core-comment-requires-prov``, citing the RNIV); so
    a fictive identity can never be validated nor qualified.
    """
    if any(IdentityAttribute(a).forces_provisoire for a in attributes):
        return IdentityStatus.PROVISOIRE
    if insi_retrieved and document_checked:
        return IdentityStatus.QUALIFIEE
    if insi_retrieved:
        return IdentityStatus.RECUPEREE
    if document_checked:
        return IdentityStatus.VALIDEE
    return IdentityStatus.PROVISOIRE


@dataclass(frozen=True, slots=True)
class IdentityState:
    """The facts an identity status is computed from, and the attributes.

    Invariant kept by the transition functions: when a douteuse or fictive attribute is
    set, neither fact holds (setting the attribute clears them, and the checks must be
    redone once it is removed).
    """

    insi_retrieved: bool = False
    document_checked: bool = False
    attributes: frozenset[IdentityAttribute] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "attributes", frozenset(IdentityAttribute(a) for a in self.attributes)
        )

    @property
    def status(self) -> IdentityStatus:
        return status_from_facts(
            insi_retrieved=self.insi_retrieved,
            document_checked=self.document_checked,
            attributes=self.attributes,
        )

    @property
    def blocked(self) -> bool:
        """A douteuse or fictive attribute keeps the identity provisoire."""
        return any(a.forces_provisoire for a in self.attributes)

    @property
    def ins_usable(self) -> bool:
        """Only a qualified INS may reference or exchange health data (RNIV EXI SI 08)."""
        return self.status is IdentityStatus.QUALIFIEE

    @classmethod
    def from_status(
        cls, status: IdentityStatus | str, attributes: Iterable[IdentityAttribute | str] = ()
    ) -> IdentityState:
        """The facts behind a stored status (for fixtures and imports).

        A blocking attribute wins over the status (the status becomes provisoire); use
        :func:`status_consistency_issues` to report such a fixture.
        """
        attrs = frozenset(IdentityAttribute(a) for a in attributes)
        st = IdentityStatus(status)
        if any(a.forces_provisoire for a in attrs):
            return cls(False, False, attrs)
        return cls(
            insi_retrieved=st in (IdentityStatus.RECUPEREE, IdentityStatus.QUALIFIEE),
            document_checked=st in (IdentityStatus.VALIDEE, IdentityStatus.QUALIFIEE),
            attributes=attrs,
        )


def status_consistency_issues(
    status: IdentityStatus | str, attributes: Iterable[IdentityAttribute | str]
) -> list[IdentityIssue]:
    """Findings on a stored status and attributes: DOUT and FICT only with PROV (FR Core)."""
    st = IdentityStatus(status)
    return [
        IdentityIssue(
            IdentityIssueCode.STATUS_WITH_BLOCKING_ATTRIBUTE,
            Severity.ERROR,
            None,
            {"status": st.value, "attribute": IdentityAttribute(a).value},
        )
        for a in attributes
        if IdentityAttribute(a).forces_provisoire and st is not IdentityStatus.PROVISOIRE
    ]


class StatusChangeReason(StrEnum):
    """Why a transition left the identity where it is (texts: simsec.texts.identity)."""

    INSI_RETRIEVED = "insi_retrieved"
    INSI_TRAITS_MISMATCH = "insi_traits_mismatch"
    DOCUMENT_CHECKED = "document_checked"
    DOCUMENT_NOT_HIGH_TRUST = "document_not_high_trust"
    BLOCKED_BY_ATTRIBUTE = "blocked_by_attribute"
    ATTRIBUTE_SET = "attribute_set"
    ATTRIBUTE_CLEARED = "attribute_cleared"
    STRICT_TRAIT_MODIFIED = "strict_trait_modified"
    INSI_TRAITS_APPLIED = "insi_traits_applied"
    COMPLEMENTARY_TRAIT_MODIFIED = "complementary_trait_modified"
    INSI_WITHDRAWN = "insi_withdrawn"
    DOCUMENT_CHECK_WITHDRAWN = "document_check_withdrawn"


_RANK: Final = {
    IdentityStatus.PROVISOIRE: 0,
    IdentityStatus.RECUPEREE: 1,
    IdentityStatus.VALIDEE: 1,
    IdentityStatus.QUALIFIEE: 2,
}


@dataclass(frozen=True, slots=True)
class StatusChange:
    """The result of a transition: the states before and after, and the reason."""

    before: IdentityState
    after: IdentityState
    reason: StatusChangeReason
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def status_changed(self) -> bool:
        return self.before.status is not self.after.status

    @property
    def downgraded(self) -> bool:
        """The new status is lower, or a fact was lost (the checks must be redone)."""
        lost = (self.before.insi_retrieved and not self.after.insi_retrieved) or (
            self.before.document_checked and not self.after.document_checked
        )
        return lost or _RANK[self.after.status] < _RANK[self.before.status]


def _blocked(state: IdentityState) -> StatusChange:
    attribute = next(a for a in sorted(state.attributes) if a.forces_provisoire)
    return StatusChange(
        state, state, StatusChangeReason.BLOCKED_BY_ATTRIBUTE, {"attribute": attribute.value}
    )


def record_insi_result(state: IdentityState, *, traits_match: bool) -> StatusChange:
    """An INSi answer with one identity: RECUP, or QUAL when a document was checked.

    RNIV: the INS is retrieved only "after a successful comparison with the person's
    traits"; a difference the operator cannot explain is a reason to refuse the result
    (``traits_match=False``: nothing changes). A douteuse or fictive identity stays
    provisoire (FR Core ``fr-core-comment-requires-prov``).
    """
    if state.blocked:
        return _blocked(state)
    if not traits_match:
        return StatusChange(state, state, StatusChangeReason.INSI_TRAITS_MISMATCH)
    return StatusChange(
        state, replace(state, insi_retrieved=True), StatusChangeReason.INSI_RETRIEVED
    )


def record_document_check(state: IdentityState, *, high_trust: bool) -> StatusChange:
    """A document checked against the person: VALI, or QUAL when the INS was retrieved.

    Only a high-trust identification device validates (RNIV volet 1; see
    :mod:`simsec.rules.documents`). A fictive identity can never be validated, and a
    douteuse one stays provisoire (FR Core ``fr-core-comment-requires-prov``).
    """
    if state.blocked:
        return _blocked(state)
    if not high_trust:
        return StatusChange(state, state, StatusChangeReason.DOCUMENT_NOT_HIGH_TRUST)
    return StatusChange(
        state, replace(state, document_checked=True), StatusChangeReason.DOCUMENT_CHECKED
    )


def set_attribute(state: IdentityState, attribute: IdentityAttribute, on: bool) -> StatusChange:
    """Set or clear an attribute.

    Setting douteuse or fictive sends the identity back to provisoire and clears both
    facts (FR Core ``fr-core-comment-requires-prov``; RNIV: a doubt sends the identity
    down and the checks must be redone). Clearing it leaves the identity provisoire.
    Homonyme does not touch the status.
    """
    attribute = IdentityAttribute(attribute)
    params = {"attribute": attribute.value}
    if on:
        attributes = state.attributes | {attribute}
        if attribute.forces_provisoire:
            after = IdentityState(False, False, attributes)
        else:
            after = replace(state, attributes=attributes)
        return StatusChange(state, after, StatusChangeReason.ATTRIBUTE_SET, params)
    after = replace(state, attributes=state.attributes - {attribute})
    return StatusChange(state, after, StatusChangeReason.ATTRIBUTE_CLEARED, params)


def modify_strict_trait(
    state: IdentityState, trait: TraitName, *, from_insi: bool = False
) -> StatusChange:
    """The downgrade when a trait is modified.

    RNIV: once retrieved from INSi, the strict traits are those of INSi and the operator
    cannot edit them unless the identity is downgraded; any modification of a strict
    trait sends the identity back and the check must be redone.

    * a manual edit of a strict trait drops both facts: provisoire;
    * strict traits replaced by those INSi returns (``from_insi=True``) keep the INSi
      fact but the document check must be redone: récupérée (or provisoire);
    * a complementary trait (used name, used first name) changes nothing.
    """
    trait = TraitName(trait)
    params = {"trait": trait.value}
    if not trait.strict:
        return StatusChange(state, state, StatusChangeReason.COMPLEMENTARY_TRAIT_MODIFIED, params)
    if from_insi:
        after = replace(state, document_checked=False)
        return StatusChange(state, after, StatusChangeReason.INSI_TRAITS_APPLIED, params)
    after = replace(state, insi_retrieved=False, document_checked=False)
    return StatusChange(state, after, StatusChangeReason.STRICT_TRAIT_MODIFIED, params)


def withdraw_insi(state: IdentityState) -> StatusChange:
    """The INSi retrieval no longer holds (INS invalidated, doubt on the result).

    QUAL becomes VALI, RECUP becomes PROV (RNIV: the identity goes back down).
    """
    return StatusChange(
        state, replace(state, insi_retrieved=False), StatusChangeReason.INSI_WITHDRAWN
    )


def withdraw_document_check(state: IdentityState) -> StatusChange:
    """The document check no longer holds (false document found, check to redo).

    QUAL becomes RECUP, VALI becomes PROV.
    """
    return StatusChange(
        state,
        replace(state, document_checked=False),
        StatusChangeReason.DOCUMENT_CHECK_WITHDRAWN,
    )
