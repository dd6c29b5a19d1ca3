"""NIR and NIA: parse, validate, check against the identity traits, generate.

The NIR (numéro d'inscription au répertoire, the "numéro de sécurité sociale") and the
NIA (numéro identifiant d'attente, same shape, usually equal to the future NIR) have
13 characters and a 2-digit key:

=========  =======================================================================
positions  content
=========  =======================================================================
1          sex: ``1`` man, ``2`` woman (``7``/``8``: said to be temporary numbers)
2–3        last two digits of the year of birth
4–5        month of birth ``01``–``12``, or a fictitious month (``20``, ``30``–``42``,
           ``50``–``99``) when the month is unknown
6–10       place of birth: department (2 characters) + commune (3 digits); overseas
           ``97x``/``98x`` (3 digits) + commune (2 digits); abroad ``99`` + INSEE
           country code; ``2A``/``2B`` Corsica since 1976, ``20`` before; ``91``–``94``
           Algeria, ``95`` Morocco, ``96`` Tunisia for births before independence
11–13      order number ``001``–``999`` in the register of that place and month
14–15      key ``97 − (N mod 97)``, N the 13-digit number, Corsica ``2A``→``19``,
           ``2B``→``18`` first
=========  =======================================================================

Sources: décret n° 82-103 du 22 janvier 1982 relatif au répertoire national
d'identification des personnes physiques (art. 4, structure; art. 6, a NIR changes only
when the civil status it encodes is wrong); INSEE, « Le numéro d'inscription au
répertoire » and xml.insee.fr/schema/nir.html; service-public.fr F33078 « Que signifie
le numéro de sécurité sociale ? » (codes 91–96, "un code spécifique *peut* figurer");
python-stdnum ``stdnum.fr.nir`` (key and Corsica substitution); simsec domain reference
§2.1–2.2 and domain notes ``nir.md``. What those notes mark as unverified (sex digits
``7``/``8``, the fictitious month ranges) is accepted here with a warning.

This module is pure: no clock, no I/O; dates and traits are arguments.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Final

from stdnum.fr import nir as _stdnum_nir

__all__ = [
    "CORSICA_SPLIT",
    "NIR_LENGTH",
    "MakeNirError",
    "MakeNirErrorCode",
    "NirCheck",
    "NirCoherence",
    "NirFields",
    "NirIssue",
    "NirIssueCode",
    "Severity",
    "check_coherence",
    "compact_nir",
    "format_nir",
    "is_valid_nir",
    "make_nir",
    "nir_place_for",
    "normalise_place_code",
    "parse_nir",
]

NIR_LENGTH: Final = 15

#: First digit → sex. ``1``/``2`` are verified (DSS leaflet, identito-na); ``7``/``8`` as
#: "temporary" numbers are folklore-grade [domain notes: unverified], mapped the same way.
_SEX_BY_DIGIT: Final[Mapping[str, str]] = {"1": "M", "2": "F", "7": "M", "8": "F"}
_TEMPORARY_DIGITS: Final = frozenset({"7", "8"})
_DIGIT_BY_SEX: Final[Mapping[str, str]] = {"M": "1", "F": "2"}
_TEMPORARY_DIGIT_BY_SEX: Final[Mapping[str, str]] = {"M": "7", "F": "8"}
_SEXES: Final = frozenset({"M", "F", "I"})

#: Corsica was split into 2A and 2B on 1 January 1976 (loi n° 75-356 du 15 mai 1975);
#: the NIR of a person born before keeps ``20`` (domain reference §2.1).
CORSICA_SPLIT: Final = date(1976, 1, 1)
_CORSICA_DEPARTMENTS: Final = frozenset({"20", "2A", "2B"})

#: Overseas departments and collectivities whose INSEE code has 3 digits (COG):
#: 971 Guadeloupe … 976 Mayotte, 977 Saint-Barthélemy, 978 Saint-Martin, 984 TAAF,
#: 986 Wallis-et-Futuna, 987 Polynésie française, 988 Nouvelle-Calédonie, 989 Clipperton.
_OVERSEAS_DEPARTMENTS: Final = frozenset(
    {"971", "972", "973", "974", "975", "976", "977", "978", "984", "986", "987", "988", "989"}
)

#: Communes with municipal arrondissements: a NIR or a birth place may name either the
#: commune or one of its arrondissements (COG codes 75101–75120, 13201–13216, 69381–69389).
_ARRONDISSEMENTS: Final[Mapping[str, frozenset[str]]] = {
    "75056": frozenset(str(code) for code in range(75101, 75121)),
    "13055": frozenset(str(code) for code in range(13201, 13217)),
    "69123": frozenset(str(code) for code in range(69381, 69390)),
}

_PLACE_CODE_RE: Final = re.compile(r"(?:\d{5}|2[AB]\d{3})")


@dataclass(frozen=True, slots=True)
class _FormerTerritory:
    """A territory whose births before independence may carry a department-like code.

    service-public.fr F33078: "Si vous êtes né en Algérie, au Maroc ou en Tunisie avant
    l'indépendance de ces pays, un code spécifique peut figurer à la place du code 99 et du
    code INSEE du pays concerné (91, 92, 93 ou 94 pour l'Algérie, 95 pour le Maroc et 96
    pour la Tunisie)". Independence dates: Morocco 2 March 1956, Tunisia 20 March 1956,
    Algeria 3 July 1962 (recognised by France; proclaimed on 5 July).
    """

    country_code: str
    departments: frozenset[str]
    independence: date


_FORMER_TERRITORIES: Final = (
    _FormerTerritory("99352", frozenset({"91", "92", "93", "94"}), date(1962, 7, 3)),
    _FormerTerritory("99350", frozenset({"95"}), date(1956, 3, 2)),
    _FormerTerritory("99351", frozenset({"96"}), date(1956, 3, 20)),
)


class Severity(StrEnum):
    """An error makes the number invalid (or incoherent); a warning does not."""

    ERROR = "error"
    WARNING = "warning"


class NirIssueCode(StrEnum):
    """Stable codes of what :func:`parse_nir` and :func:`check_coherence` find.

    The French text of each code lives in ``simsec.texts.nir``.
    """

    # Structure (errors).
    LENGTH = "nir.length"
    CHARACTERS = "nir.characters"
    SEX_DIGIT = "nir.sex_digit"
    MONTH = "nir.month"
    DEPARTMENT = "nir.department"
    COMMUNE = "nir.commune"
    COUNTRY = "nir.country"
    ORDER = "nir.order"
    KEY = "nir.key"
    # Structure (warnings).
    TEMPORARY_NUMBER = "nir.temporary_number"
    FICTITIOUS_MONTH = "nir.fictitious_month"
    # Coherence with the traits (errors).
    SEX_MISMATCH = "nir.sex_mismatch"
    YEAR_MISMATCH = "nir.year_mismatch"
    MONTH_MISMATCH = "nir.month_mismatch"
    PLACE_MISMATCH = "nir.place_mismatch"
    CORSICA_SPLIT_BEFORE_1976 = "nir.corsica_split_before_1976"
    CORSICA_20_SINCE_1976 = "nir.corsica_20_since_1976"
    FORMER_TERRITORY_AFTER_INDEPENDENCE = "nir.former_territory_after_independence"
    # Coherence with the traits (warnings).
    SEX_NOT_CHECKABLE = "nir.sex_not_checkable"


_WARNING_CODES: Final = frozenset(
    {
        NirIssueCode.TEMPORARY_NUMBER,
        NirIssueCode.FICTITIOUS_MONTH,
        NirIssueCode.SEX_NOT_CHECKABLE,
    }
)


@dataclass(frozen=True, slots=True)
class NirIssue:
    """One finding: a stable code and the values its message needs (all strings)."""

    code: NirIssueCode
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        return Severity.WARNING if self.code in _WARNING_CODES else Severity.ERROR


def _errors(issues: tuple[NirIssue, ...]) -> tuple[NirIssue, ...]:
    return tuple(issue for issue in issues if issue.severity is Severity.ERROR)


def _warnings(issues: tuple[NirIssue, ...]) -> tuple[NirIssue, ...]:
    return tuple(issue for issue in issues if issue.severity is Severity.WARNING)


@dataclass(frozen=True, slots=True)
class NirFields:
    """The fields of a 15-character NIR, as written (strings, leading zeros kept)."""

    sex_digit: str
    year: str
    month: str
    department: str
    """``"75"``, ``"2A"``, ``"20"``, ``"974"`` (overseas, 3 digits), ``"99"`` (abroad)."""
    commune: str
    """3 digits; 2 for overseas; the INSEE country code without ``99`` when abroad."""
    order: str
    key: str

    @property
    def place_code(self) -> str:
        """The 5-character place of birth (``"69123"``, ``"2A004"``, ``"97411"``, ``"99350"``)."""
        return self.department + self.commune

    @property
    def sex(self) -> str | None:
        """``"M"`` or ``"F"`` from the first digit; None when that digit is invalid."""
        return _SEX_BY_DIGIT.get(self.sex_digit)

    @property
    def temporary(self) -> bool:
        """First digit ``7``/``8``: a number said to be temporary (unverified)."""
        return self.sex_digit in _TEMPORARY_DIGITS

    @property
    def month_fictitious(self) -> bool:
        """``20``, ``30``–``42`` or ``50``–``99``: the month is unknown or conventional."""
        return _is_fictitious_month(self.month)

    @property
    def born_abroad(self) -> bool:
        return self.department == "99"

    @property
    def overseas(self) -> bool:
        return len(self.department) == 3


@dataclass(frozen=True, slots=True)
class NirCheck:
    """The result of :func:`parse_nir`."""

    value: str
    """The input without whitespace, upper-cased."""
    fields: NirFields | None
    """None when the length or the characters make the number unreadable."""
    expected_key: str | None
    """The key computed from the first 13 characters (None when unreadable)."""
    issues: tuple[NirIssue, ...]

    @property
    def errors(self) -> tuple[NirIssue, ...]:
        return _errors(self.issues)

    @property
    def warnings(self) -> tuple[NirIssue, ...]:
        return _warnings(self.issues)

    @property
    def key_valid(self) -> bool:
        """The key matches the first 13 characters (whatever the other fields say)."""
        return self.fields is not None and self.fields.key == self.expected_key

    @property
    def valid(self) -> bool:
        """Key and structure are right (warnings allowed)."""
        return not self.errors


@dataclass(frozen=True, slots=True)
class NirCoherence:
    """The result of :func:`check_coherence`: the parsed number and the discrepancies."""

    nir: NirCheck
    issues: tuple[NirIssue, ...]
    """Coherence findings only; the number's own findings are in ``nir.issues``."""

    @property
    def errors(self) -> tuple[NirIssue, ...]:
        return _errors(self.issues)

    @property
    def warnings(self) -> tuple[NirIssue, ...]:
        return _warnings(self.issues)

    @property
    def coherent(self) -> bool:
        """No coherence error (the number itself may still be invalid)."""
        return not self.errors

    @property
    def ok(self) -> bool:
        """The number is valid and coherent with the traits."""
        return self.nir.valid and self.coherent

    @property
    def all_issues(self) -> tuple[NirIssue, ...]:
        return self.nir.issues + self.issues


class MakeNirErrorCode(StrEnum):
    """Why :func:`make_nir` refused its arguments (French text in ``simsec.texts.nir``)."""

    SEX = "nir.make.sex"
    ORDER = "nir.make.order"
    BIRTH_PLACE = "nir.make.birth_place"
    INCOHERENT = "nir.make.incoherent"


class MakeNirError(ValueError):
    """Bad arguments to :func:`make_nir`, with a stable code and parameters."""

    def __init__(
        self,
        code: MakeNirErrorCode,
        params: Mapping[str, str],
        issues: tuple[NirIssue, ...] = (),
    ) -> None:
        details = ", ".join(issue.code for issue in issues)
        super().__init__(f"{code}: {dict(params)}" + (f" ({details})" if details else ""))
        self.code = code
        self.params = params
        self.issues = issues


# --------------------------------------------------------------------------- parsing


def compact_nir(value: str) -> str:
    """``value`` without whitespace, upper-cased (``"2 72 09 2a …"`` → ``"272092A…"``)."""
    return "".join(value.split()).upper()


def _is_fictitious_month(month: str) -> bool:
    """INSEE fictitious months: ``20``, ``30``–``42``, ``50``–``99`` [domain notes: partly
    unverified ranges, accepted with a flag]."""
    number = int(month)
    return number == 20 or 30 <= number <= 42 or number >= 50


def _first_bad_character(value: str) -> tuple[int, str] | None:
    """1-based position and character of the first character not allowed there.

    Every position holds a digit, except positions 6–7 which may read ``2A``/``2B``.
    """
    for index, char in enumerate(value):
        if char.isascii() and char.isdigit():
            continue
        if index in (5, 6) and value[5:7] in ("2A", "2B"):
            continue
        return index + 1, char
    return None


def _split(value: str) -> NirFields:
    """Slice a 15-character number; overseas (``97``/``98``) use a 3+2 place split."""
    if value[5:7] in ("97", "98"):
        department, commune = value[5:8], value[8:10]
    else:
        department, commune = value[5:7], value[7:10]
    return NirFields(
        sex_digit=value[0],
        year=value[1:3],
        month=value[3:5],
        department=department,
        commune=commune,
        order=value[10:13],
        key=value[13:15],
    )


def _sex_issues(fields: NirFields) -> list[NirIssue]:
    """``1``/``2`` normal; ``7``/``8`` accepted with a warning; anything else (``3``/``4``
    included, which are folklore) is an error (domain reference §2.1)."""
    if fields.sex_digit in _TEMPORARY_DIGITS:
        return [NirIssue(NirIssueCode.TEMPORARY_NUMBER, {"digit": fields.sex_digit})]
    if fields.sex_digit not in _SEX_BY_DIGIT:
        return [NirIssue(NirIssueCode.SEX_DIGIT, {"digit": fields.sex_digit})]
    return []


def _month_issues(fields: NirFields) -> list[NirIssue]:
    """``01``–``12``, or a fictitious month flagged as a warning."""
    if 1 <= int(fields.month) <= 12:
        return []
    if fields.month_fictitious:
        return [NirIssue(NirIssueCode.FICTITIOUS_MONTH, {"month": fields.month})]
    return [NirIssue(NirIssueCode.MONTH, {"month": fields.month})]


def _place_issues(fields: NirFields) -> list[NirIssue]:
    """Department ``01``–``99`` or ``2A``/``2B`` (``97x``/``98x`` from the COG list), a
    commune other than ``000``/``00``, a country code whose continent digit is 1–5."""
    department, commune = fields.department, fields.commune
    if department == "00" or (len(department) == 3 and department not in _OVERSEAS_DEPARTMENTS):
        return [NirIssue(NirIssueCode.DEPARTMENT, {"department": department})]
    if fields.born_abroad and commune[0] not in "12345":
        return [NirIssue(NirIssueCode.COUNTRY, {"country": fields.place_code})]
    if int(commune) == 0:
        return [NirIssue(NirIssueCode.COMMUNE, {"commune": commune, "department": department})]
    return []


def _order_issues(fields: NirFields) -> list[NirIssue]:
    """Order number ``001``–``999`` (domain reference §2.1)."""
    if fields.order == "000":
        return [NirIssue(NirIssueCode.ORDER, {"order": fields.order})]
    return []


def parse_nir(value: str) -> NirCheck:
    """Parse and validate a NIR or NIA (spaces allowed) into fields and issues.

    Errors: wrong length or characters (then no fields), sex digit other than 1/2/7/8,
    impossible month, unknown department, commune or order ``000``, wrong key. Warnings:
    sex digit 7/8 (temporary number, unverified), fictitious month.
    The key is computed by ``stdnum.fr.nir.calc_check_digits`` (Corsica substitution
    included) and is checked whatever the other fields say.
    """
    compact = compact_nir(value)
    if len(compact) != NIR_LENGTH:
        issue = NirIssue(NirIssueCode.LENGTH, {"length": str(len(compact))})
        return NirCheck(compact, None, None, (issue,))
    bad = _first_bad_character(compact)
    if bad is not None:
        position, char = bad
        issue = NirIssue(NirIssueCode.CHARACTERS, {"position": str(position), "character": char})
        return NirCheck(compact, None, None, (issue,))
    fields = _split(compact)
    expected_key = _stdnum_nir.calc_check_digits(compact)
    issues = [
        *_sex_issues(fields),
        *_month_issues(fields),
        *_place_issues(fields),
        *_order_issues(fields),
    ]
    if fields.key != expected_key:
        issues.append(NirIssue(NirIssueCode.KEY, {"expected": expected_key, "found": fields.key}))
    return NirCheck(compact, fields, expected_key, tuple(issues))


def is_valid_nir(value: str) -> bool:
    """True when :func:`parse_nir` finds no error."""
    return parse_nir(value).valid


def format_nir(value: str) -> str:
    """Group a 15-character number for display: ``2 72 09 69 123 045 36``,
    ``2 72 09 974 11 045 36`` overseas. Unreadable input is returned compacted."""
    check = parse_nir(value)
    fields = check.fields
    if fields is None:
        return check.value
    return " ".join(
        (
            fields.sex_digit,
            fields.year,
            fields.month,
            fields.department,
            fields.commune,
            fields.order,
            fields.key,
        )
    )


# ------------------------------------------------------------------------- coherence


def normalise_place_code(value: str) -> str | None:
    """An INSEE COG place code (commune ``75056``/``2A004``/``97411`` or country
    ``99350``), upper-cased without spaces; None when ``value`` is not one."""
    compact = "".join(value.split()).upper()
    if not _PLACE_CODE_RE.fullmatch(compact) or compact.startswith("00"):
        return None
    return compact


def _require_place_code(value: str) -> str:
    code = normalise_place_code(value)
    if code is None:
        raise ValueError(f"not an INSEE place code: {value!r}")
    return code


def _same_commune(nir_place: str, birth_place: str) -> bool:
    """Same place, allowing a commune for one of its arrondissements (Paris, Lyon,
    Marseille) and ``20`` for ``2A``/``2B`` (Corsica before 1976; the commune numbers
    were kept at the split, e.g. Ajaccio 20004 → 2A004)."""
    if nir_place == birth_place:
        return True
    for commune, arrondissements in _ARRONDISSEMENTS.items():
        pair = {nir_place, birth_place}
        if commune in pair and (pair - {commune}) <= arrondissements:
            return True
    nir_dept, birth_dept = nir_place[:2], birth_place[:2]
    return (
        nir_dept in _CORSICA_DEPARTMENTS
        and birth_dept in _CORSICA_DEPARTMENTS
        and "20" in (nir_dept, birth_dept)
        and nir_place[2:] == birth_place[2:]
    )


def _former_territory(department: str, country_code: str | None) -> _FormerTerritory | None:
    """The territory that ``department`` (91–96) may stand for.

    ``91``–``95`` are also metropolitan departments (since 1968): they stand for Algeria
    or Morocco only when the birth place is that country. ``96`` is Tunisia only.
    """
    for territory in _FORMER_TERRITORIES:
        if department in territory.departments and (
            country_code == territory.country_code or department == "96"
        ):
            return territory
    return None


def _after_independence_issue(department: str, territory: _FormerTerritory) -> NirIssue:
    return NirIssue(
        NirIssueCode.FORMER_TERRITORY_AFTER_INDEPENDENCE,
        {
            "department": department,
            "country": territory.country_code,
            "independence": territory.independence.isoformat(),
        },
    )


def _birth_place_issues(
    fields: NirFields, birth_place: str, birth_date: date | None
) -> list[NirIssue]:
    """NIR place ↔ INSEE code of the birth place (commune, or ``99`` + country)."""
    nir_place = fields.place_code
    if _same_commune(nir_place, birth_place):
        return []
    territory = _former_territory(fields.department, birth_place)
    if territory is not None and territory.country_code == birth_place:
        if birth_date is not None and birth_date >= territory.independence:
            return [_after_independence_issue(fields.department, territory)]
        return []
    return [
        NirIssue(NirIssueCode.PLACE_MISMATCH, {"nir_place": nir_place, "birth_place": birth_place})
    ]


def _birth_date_place_issues(
    fields: NirFields, birth_date: date, birth_place: str | None
) -> list[NirIssue]:
    """Place codes that only exist for some dates: ``2A``/``2B`` since 1976, ``20`` before;
    ``96`` (Tunisia) before 20 March 1956. (91–95 after independence are metropolitan
    departments: they are judged against the birth place instead.)"""
    department = fields.department
    if department in ("2A", "2B") and birth_date < CORSICA_SPLIT:
        return [NirIssue(NirIssueCode.CORSICA_SPLIT_BEFORE_1976, {"department": department})]
    if department == "20" and birth_date >= CORSICA_SPLIT:
        return [NirIssue(NirIssueCode.CORSICA_20_SINCE_1976, {"department": department})]
    territory = _former_territory(department, None)
    if (
        territory is not None
        and birth_date >= territory.independence
        and birth_place != territory.country_code  # reported with the birth place
    ):
        return [_after_independence_issue(department, territory)]
    return []


def _sex_coherence(fields: NirFields, sex: str) -> list[NirIssue]:
    """First digit ↔ sex: 1/7 ↔ M, 2/8 ↔ F. ``I`` (indeterminate) cannot be checked."""
    if sex == "I":
        return [NirIssue(NirIssueCode.SEX_NOT_CHECKABLE, {"sex": sex})]
    nir_sex = fields.sex
    if nir_sex is None or nir_sex == sex:  # an invalid digit is a structure error already
        return []
    return [NirIssue(NirIssueCode.SEX_MISMATCH, {"nir_sex": nir_sex, "sex": sex})]


def _date_coherence(fields: NirFields, birth_date: date) -> list[NirIssue]:
    """Year and month ↔ date of birth; a fictitious month is not compared."""
    issues: list[NirIssue] = []
    if fields.year != f"{birth_date.year % 100:02d}":
        issues.append(
            NirIssue(
                NirIssueCode.YEAR_MISMATCH,
                {"nir_year": fields.year, "birth_year": f"{birth_date.year:04d}"},
            )
        )
    if not fields.month_fictitious and fields.month != f"{birth_date.month:02d}":
        issues.append(
            NirIssue(
                NirIssueCode.MONTH_MISMATCH,
                {"nir_month": fields.month, "birth_month": f"{birth_date.month:02d}"},
            )
        )
    return issues


def check_coherence(
    nir: str | NirCheck,
    *,
    sex: str | None = None,
    birth_date: date | None = None,
    birth_place: str | None = None,
) -> NirCoherence:
    """Compare a NIR with the strict traits of an identity (RNIV; domain reference §2.1).

    ``sex`` is ``"M"``, ``"F"`` or ``"I"``; ``birth_place`` the INSEE code of the commune
    or ``99`` + country (``"75056"``, ``"2A004"``, ``"97411"``, ``"99350"``). Traits left
    to None are not compared. Each discrepancy is one issue: sex, year, month (unless
    fictitious), place (arrondissements of Paris/Lyon/Marseille and Corsica ``20`` ↔
    ``2A``/``2B`` are equivalent), Corsica codes against the 1976 split, codes 91–96
    against independence (a NIR ``91``–``94`` with birth place ``99352`` is coherent for a
    birth before 3 July 1962). An unreadable number yields no coherence issue.

    Raises ValueError when ``sex`` or ``birth_place`` is not a valid value.
    """
    check = parse_nir(nir) if isinstance(nir, str) else nir
    sex_code = None if sex is None else sex.strip().upper()
    if sex_code is not None and sex_code not in _SEXES:
        raise ValueError(f"sex must be M, F or I, not {sex!r}")
    place = None if birth_place is None else _require_place_code(birth_place)
    fields = check.fields
    if fields is None:
        return NirCoherence(check, ())
    issues: list[NirIssue] = []
    if sex_code is not None:
        issues += _sex_coherence(fields, sex_code)
    if birth_date is not None:
        issues += _date_coherence(fields, birth_date)
    if place is not None:
        issues += _birth_place_issues(fields, place, birth_date)
    if birth_date is not None:
        issues += _birth_date_place_issues(fields, birth_date, place)
    return NirCoherence(check, tuple(issues))


# ------------------------------------------------------------------------ generation


def nir_place_for(birth_place: str, birth_date: date) -> str:
    """The 5-character NIR place for a birth place and date.

    The INSEE code itself, except Corsica before 1976, written ``20`` + commune.
    Births in Algeria, Morocco or Tunisia before independence get the country code
    (``99352``…); the older codes 91–96 *may* appear instead (service-public.fr F33078):
    pass them to :func:`make_nir` as ``nir_place``.
    """
    place = _require_place_code(birth_place)
    if place[:2] in ("2A", "2B") and birth_date < CORSICA_SPLIT:
        return "20" + place[2:]
    return place


def make_nir(
    sex: str,
    birth_date: date,
    birth_place: str,
    order: int = 1,
    *,
    temporary: bool = False,
    nir_place: str | None = None,
) -> str:
    """A valid 15-character NIR for these traits (coherent by construction).

    ``sex`` ``"M"``/``"F"``; ``birth_place`` the INSEE code of the commune or country;
    ``order`` 1–999; ``temporary=True`` gives a NIA-like number starting with 7/8 (an
    unverified convention, flagged by :func:`parse_nir`); ``nir_place`` overrides the
    5-character place (e.g. ``"91352"`` for a birth in Algeria before 1962) and must be
    coherent with the birth place and date. The key is ``stdnum.fr.nir``'s.

    Raises :class:`MakeNirError` with a stable code when the arguments cannot give a
    valid, coherent number.
    """
    sex_code = sex.strip().upper()
    digits = _TEMPORARY_DIGIT_BY_SEX if temporary else _DIGIT_BY_SEX
    if sex_code not in digits:
        raise MakeNirError(MakeNirErrorCode.SEX, {"sex": sex})
    if not 1 <= order <= 999:
        raise MakeNirError(MakeNirErrorCode.ORDER, {"order": str(order)})
    place = normalise_place_code(birth_place)
    if place is None:
        raise MakeNirError(MakeNirErrorCode.BIRTH_PLACE, {"birth_place": birth_place})
    segment = nir_place_for(place, birth_date) if nir_place is None else compact_nir(nir_place)
    body = (
        f"{digits[sex_code]}{birth_date.year % 100:02d}{birth_date.month:02d}{segment}{order:03d}"
    )
    if len(body) != NIR_LENGTH - 2 or _first_bad_character(body + "00") is not None:
        raise MakeNirError(MakeNirErrorCode.BIRTH_PLACE, {"birth_place": segment})
    number = body + _stdnum_nir.calc_check_digits(body)
    check = parse_nir(number)
    if not check.valid:
        raise MakeNirError(MakeNirErrorCode.BIRTH_PLACE, {"birth_place": segment}, check.errors)
    coherence = check_coherence(check, sex=sex_code, birth_date=birth_date, birth_place=place)
    if not coherence.coherent:
        raise MakeNirError(
            MakeNirErrorCode.INCOHERENT,
            {"place_code": segment, "birth_place": place, "birth_date": birth_date.isoformat()},
            coherence.errors,
        )
    return number
