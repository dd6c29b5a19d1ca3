"""Machine-readable zones (MRZ) of identity documents: check digits, generation, checks.

Sources:

* ICAO Doc 9303, Machine Readable Travel Documents, 8th edition (2021):
  part 3 (common specifications: character set, check digit with the weights 7-3-1,
  transliteration of names), part 4 (TD3, passports: 2 lines of 44 characters) and
  part 5 (TD1 cards: 3 lines of 30 characters). The French CNI issued since August 2021
  and the French titre de séjour are TD1 cards.
* The French CNI issued from 1988 to 2021 uses a national 2 x 36 format, not described
  by ICAO. Its layout below is the one read on the specimens and used by the common MRZ
  readers; it is [à vérifier] against an official French description:

  ======  =========  ==========================================================
  line    positions  content
  ======  =========  ==========================================================
  1       1-2        ``ID``
  1       3-5        ``FRA``
  1       6-30       surname (25 characters, ``<`` for spaces and padding)
  1       31-36      administrative code (département + office), or fillers
  2       1-12       card number: issue year and month (YYMM), département or
                     office code (3 characters), sequence number (5 digits)
  2       13         check digit of positions 1-12
  2       14-27      given names (14 characters, separated by ``<<``)
  2       28-33      birth date YYMMDD
  2       34         check digit of the birth date
  2       35         sex (``F`` or ``M``)
  2       36         composite check digit of line 1 and positions 1-35 of line 2
  ======  =========  ==========================================================

A wrong check digit is a sign of forgery or of a typing error; scenarios ask for one with
``mrz: bad_check_digit`` (see :func:`generate` and its ``wrong_check_digit`` argument).
Pure functions: dates are arguments, nothing reads the clock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Final

__all__ = [
    "CheckField",
    "CheckResult",
    "MrzError",
    "MrzErrorCode",
    "MrzFormat",
    "MrzResult",
    "check_digit",
    "generate",
    "generate_fr_cni_1988",
    "generate_td1",
    "generate_td3",
    "mrz_text",
    "resolve_birth_date",
    "resolve_expiry_date",
    "verify",
]


class MrzFormat(StrEnum):
    TD1 = "td1"  # ICAO 9303 part 5: 3 x 30 (CNI since 2021, titre de séjour)
    TD3 = "td3"  # ICAO 9303 part 4: 2 x 44 (passport)
    FR_CNI_1988 = "fr_cni_1988"  # French national format 2 x 36 (CNI 1988-2021)


#: Number of lines and characters per line of each format.
SHAPES: Final[Mapping[MrzFormat, tuple[int, int]]] = {
    MrzFormat.TD1: (3, 30),
    MrzFormat.TD3: (2, 44),
    MrzFormat.FR_CNI_1988: (2, 36),
}


class CheckField(StrEnum):
    """The fields protected by a check digit."""

    DOCUMENT_NUMBER = "document_number"
    BIRTH_DATE = "birth_date"
    EXPIRY_DATE = "expiry_date"
    OPTIONAL_DATA = "optional_data"  # TD3 personal number
    COMPOSITE = "composite"


# --------------------------------------------------------------------------- check digit

_FILLER: Final = "<"
_WEIGHTS: Final = (7, 3, 1)
_MRZ_CHARS: Final = re.compile(r"^[A-Z0-9<]*$")


def _char_value(ch: str) -> int:
    """ICAO 9303 part 3, 4.9: digits count as their value, A-Z as 10-35, ``<`` as 0."""
    if "0" <= ch <= "9":
        return ord(ch) - ord("0")
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    if ch == _FILLER:
        return 0
    raise ValueError(f"not an MRZ character: {ch!r}")


def check_digit(data: str) -> str:
    """The ICAO 9303 check digit of ``data``: weights 7, 3, 1 repeated, sum modulo 10."""
    total = sum(_char_value(ch) * _WEIGHTS[i % 3] for i, ch in enumerate(data))
    return str(total % 10)


def _wrong(digit: str) -> str:
    """A check digit that is certainly wrong (the next digit, modulo 10)."""
    return str((int(digit) + 1) % 10)


# --------------------------------------------------------------------------- text fields

# ICAO 9303 part 3, 6.A: letters without a decomposition.
_TRANSLITERATIONS: Final = str.maketrans(
    {"Œ": "OE", "Æ": "AE", "ß": "SS", "ẞ": "SS", "Ø": "OE", "Ł": "L", "Đ": "D", "Þ": "TH"}
)
_TO_FILLER: Final = re.compile(r"[\s\-,]+")
_DROPPED: Final = re.compile(r"[^A-Z0-9<]")


def mrz_text(value: str) -> str:
    """``value`` in the MRZ character set (ICAO 9303 part 3).

    Capitals without diacritics; spaces, hyphens and commas become ``<``; apostrophes
    and other signs are omitted (D'ALEMBERT gives DALEMBERT).
    """
    text = unicodedata.normalize("NFKD", value.upper().translate(_TRANSLITERATIONS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _TO_FILLER.sub(_FILLER, text.strip().upper())
    return _DROPPED.sub("", text)


def _pad(value: str, width: int) -> str:
    return value[:width].ljust(width, _FILLER)


def _name_field(surname: str, given_names: Sequence[str], width: int) -> str:
    """ICAO name field: SURNAME<<GIVEN<NAMES, truncated to ``width`` (given names first)."""
    primary = mrz_text(surname)
    secondary = _FILLER.join(n for n in (mrz_text(g) for g in given_names) if n)
    if not secondary:
        return _pad(primary, width)
    room = width - len(primary) - 2
    if room <= 0:
        return _pad(primary, width)
    return _pad(f"{primary}<<{secondary[:room]}", width)


def _yymmdd(value: date | None) -> str:
    return value.strftime("%y%m%d") if value else _FILLER * 6


def _sex(value: str | None) -> str:
    """F or M; anything else (I, unknown) is unspecified, ``<`` (ICAO 9303 part 4)."""
    return value if value in ("F", "M") else _FILLER


def _code(value: str, width: int) -> str:
    return _pad(mrz_text(value), width)


# --------------------------------------------------------------------------- generation


def _digit(data: str, name: CheckField, wrong: CheckField | None) -> str:
    """The check digit of ``data`` (all fillers give 0), made wrong when asked."""
    digit = check_digit(data)
    return _wrong(digit) if wrong is name else digit


def _check_number(number: str, width: int) -> str:
    text = mrz_text(number)
    if not text:
        raise ValueError("the document number is empty")
    if len(text) > width:
        raise ValueError(f"document number longer than {width} characters: {number!r}")
    return text


def generate_td3(
    *,
    surname: str,
    given_names: Sequence[str],
    document_number: str,
    birth_date: date,
    sex: str | None,
    expiry_date: date,
    nationality: str = "FRA",
    issuing_state: str = "FRA",
    personal_number: str = "",
    document_code: str = "P",
    wrong_check_digit: CheckField | None = None,
) -> str:
    """A passport MRZ (TD3, ICAO 9303 part 4): two lines of 44 characters.

    Line 1: document code (2), issuing state (3), name (39). Line 2: document number (9)
    and its check digit, nationality (3), birth date and check digit, sex, expiry date and
    check digit, personal number (14) and check digit, composite check digit over
    positions 1-10, 14-20 and 22-43.
    """
    number = _pad(_check_number(document_number, 9), 9)
    line1 = (
        _code(document_code, 2) + _code(issuing_state, 3) + _name_field(surname, given_names, 39)
    )
    optional = _pad(mrz_text(personal_number), 14)
    birth = _yymmdd(birth_date)
    expiry = _yymmdd(expiry_date)
    w = wrong_check_digit
    part_number = number + _digit(number, CheckField.DOCUMENT_NUMBER, w)
    part_birth = birth + _digit(birth, CheckField.BIRTH_DATE, w)
    part_expiry = expiry + _digit(expiry, CheckField.EXPIRY_DATE, w)
    part_optional = optional + _digit(optional, CheckField.OPTIONAL_DATA, w)
    composite = part_number + part_birth + part_expiry + part_optional
    line2 = (
        part_number
        + _code(nationality, 3)
        + part_birth
        + _sex(sex)
        + part_expiry
        + part_optional
        + _digit(composite, CheckField.COMPOSITE, w)
    )
    return f"{line1}\n{line2}"


def generate_td1(
    *,
    surname: str,
    given_names: Sequence[str],
    document_number: str,
    birth_date: date,
    sex: str | None,
    expiry_date: date,
    nationality: str = "FRA",
    issuing_state: str = "FRA",
    document_code: str = "ID",
    optional_data: str = "",
    optional_data_2: str = "",
    wrong_check_digit: CheckField | None = None,
) -> str:
    """A card MRZ (TD1, ICAO 9303 part 5): three lines of 30 characters.

    Line 1: document code (2), issuing state (3), document number (9), check digit,
    optional data (15). Line 2: birth date and check digit, sex, expiry date and check
    digit, nationality (3), optional data (11), composite check digit over line 1
    positions 6-30 and line 2 positions 1-7, 9-15, 19-29. Line 3: name (30).

    A document number longer than 9 characters (ICAO 9303 part 5, 4.2.4, note j) puts
    its first 9 characters in positions 6-14, ``<`` in 15, then the rest of the number
    and its check digit at the start of the optional data.
    """
    number = _check_number(document_number, 9 + 13)
    w = wrong_check_digit
    digit = _digit(number, CheckField.DOCUMENT_NUMBER, w)
    if len(number) <= 9:
        part_number = _pad(number, 9) + digit
        optional1 = _pad(mrz_text(optional_data), 15)
    else:
        part_number = number[:9] + _FILLER
        optional1 = _pad(number[9:] + digit + _FILLER + mrz_text(optional_data), 15)
    upper = part_number + optional1
    line1 = _code(document_code, 2) + _code(issuing_state, 3) + upper
    birth = _yymmdd(birth_date)
    expiry = _yymmdd(expiry_date)
    part_birth = birth + _digit(birth, CheckField.BIRTH_DATE, w)
    part_expiry = expiry + _digit(expiry, CheckField.EXPIRY_DATE, w)
    optional2 = _pad(mrz_text(optional_data_2), 11)
    composite = upper + part_birth + part_expiry + optional2
    line2 = (
        part_birth
        + _sex(sex)
        + part_expiry
        + _code(nationality, 3)
        + optional2
        + _digit(composite, CheckField.COMPOSITE, w)
    )
    line3 = _name_field(surname, given_names, 30)
    return f"{line1}\n{line2}\n{line3}"


def generate_fr_cni_1988(
    *,
    surname: str,
    given_names: Sequence[str],
    document_number: str,
    birth_date: date,
    sex: str | None,
    administrative_code: str = "",
    wrong_check_digit: CheckField | None = None,
) -> str:
    """The MRZ of a French CNI of the 1988-2021 model (national 2 x 36 format).

    Layout in the module docstring, [à vérifier]. ``document_number`` has 12 characters
    (YYMM of issue, 3-character office code, 5-digit sequence). The given names are
    separated by ``<<`` in a 14-character field. There is no expiry date in this MRZ.
    """
    number = _check_number(document_number, 12)
    if len(number) != 12:
        raise ValueError(f"an old French CNI number has 12 characters: {document_number!r}")
    w = wrong_check_digit
    line1 = "IDFRA" + _pad(mrz_text(surname), 25) + _pad(mrz_text(administrative_code), 6)
    names = "<<".join(n for n in (mrz_text(g) for g in given_names) if n)
    birth = _yymmdd(birth_date)
    body = (
        number
        + _digit(number, CheckField.DOCUMENT_NUMBER, w)
        + _pad(names, 14)
        + birth
        + _digit(birth, CheckField.BIRTH_DATE, w)
        + _sex(sex)
    )
    line2 = body + _digit(line1 + body, CheckField.COMPOSITE, w)
    return f"{line1}\n{line2}"


def generate(
    mrz_format: MrzFormat,
    *,
    surname: str,
    given_names: Sequence[str],
    document_number: str,
    birth_date: date,
    sex: str | None,
    expiry_date: date | None,
    nationality: str = "FRA",
    issuing_state: str = "FRA",
    document_code: str | None = None,
    wrong_check_digit: CheckField | None = None,
) -> str:
    """The MRZ of ``mrz_format`` from the usual document fields (dispatch helper)."""
    if mrz_format is MrzFormat.FR_CNI_1988:
        return generate_fr_cni_1988(
            surname=surname,
            given_names=given_names,
            document_number=document_number,
            birth_date=birth_date,
            sex=sex,
            wrong_check_digit=wrong_check_digit,
        )
    if expiry_date is None:
        raise ValueError(f"an expiry date is needed for a {mrz_format.value} MRZ")
    if mrz_format is MrzFormat.TD3:
        return generate_td3(
            surname=surname,
            given_names=given_names,
            document_number=document_number,
            birth_date=birth_date,
            sex=sex,
            expiry_date=expiry_date,
            nationality=nationality,
            issuing_state=issuing_state,
            document_code=document_code or "P",
            wrong_check_digit=wrong_check_digit,
        )
    return generate_td1(
        surname=surname,
        given_names=given_names,
        document_number=document_number,
        birth_date=birth_date,
        sex=sex,
        expiry_date=expiry_date,
        nationality=nationality,
        issuing_state=issuing_state,
        document_code=document_code or "ID",
        wrong_check_digit=wrong_check_digit,
    )


# --------------------------------------------------------------------------- verification


class MrzErrorCode(StrEnum):
    """Why an MRZ cannot be read (texts: simsec.texts.documents)."""

    EMPTY = "empty"
    UNKNOWN_FORMAT = "unknown_format"
    INVALID_CHARACTER = "invalid_character"
    INVALID_DATE = "invalid_date"


@dataclass(frozen=True, slots=True)
class MrzError:
    code: MrzErrorCode
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check digit: the field it protects, the digit printed and the digit expected."""

    field: CheckField
    found: str
    expected: str

    @property
    def ok(self) -> bool:
        return self.found == self.expected


@dataclass(frozen=True, slots=True)
class MrzResult:
    """The reading of an MRZ: its format, fields, each check digit and the errors.

    ``fields`` holds the raw field texts (dates as YYMMDD, names with spaces): see
    :func:`resolve_birth_date` and :func:`resolve_expiry_date` for the century.
    """

    format: MrzFormat | None
    lines: tuple[str, ...]
    fields: Mapping[str, str] = field(default_factory=dict)
    checks: tuple[CheckResult, ...] = ()
    errors: tuple[MrzError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors and all(c.ok for c in self.checks)

    @property
    def bad_checks(self) -> tuple[CheckField, ...]:
        return tuple(c.field for c in self.checks if not c.ok)


def _split_lines(text: str) -> tuple[str, ...]:
    lines = tuple(line.strip() for line in text.strip().splitlines() if line.strip())
    if len(lines) == 1:
        # One line holding a whole MRZ (as read by a scanner without line breaks).
        single = lines[0]
        for count, width in SHAPES.values():
            if len(single) == count * width:
                return tuple(single[i : i + width] for i in range(0, len(single), width))
    return lines


def _detect(lines: tuple[str, ...]) -> MrzFormat | None:
    shape = (len(lines), len(lines[0]) if lines else 0)
    if any(len(line) != shape[1] for line in lines):
        return None
    for mrz_format, expected in SHAPES.items():
        if shape == expected:
            return mrz_format
    return None


def _check(name: CheckField, data: str, found: str, *, filler_ok: bool = False) -> CheckResult:
    if filler_ok and set(data) <= {_FILLER} and found in ("<", "0"):
        return CheckResult(name, found, found)
    return CheckResult(name, found, check_digit(data))


def _names(field_text: str) -> tuple[str, str]:
    surname, _, given = field_text.partition("<<")
    return surname.replace("<", " ").strip(), given.replace("<", " ").strip()


def _date_ok(yymmdd: str) -> bool:
    if not re.fullmatch(r"\d{6}", yymmdd):
        return False
    try:
        date(2000, int(yymmdd[2:4]), int(yymmdd[4:6]))  # 2000 is a leap year
    except ValueError:
        return False
    return True


def _verify_td3(l1: str, l2: str) -> tuple[dict[str, str], list[CheckResult]]:
    surname, given = _names(l1[5:44])
    fields = {
        "document_code": l1[0:2].rstrip("<"),
        "issuing_state": l1[2:5].rstrip("<"),
        "surname": surname,
        "given_names": given,
        "document_number": l2[0:9].rstrip("<"),
        "nationality": l2[10:13].rstrip("<"),
        "birth_date": l2[13:19],
        "sex": l2[20],
        "expiry_date": l2[21:27],
        "optional_data": l2[28:42].rstrip("<"),
    }
    checks = [
        _check(CheckField.DOCUMENT_NUMBER, l2[0:9], l2[9]),
        _check(CheckField.BIRTH_DATE, l2[13:19], l2[19]),
        _check(CheckField.EXPIRY_DATE, l2[21:27], l2[27]),
        _check(CheckField.OPTIONAL_DATA, l2[28:42], l2[42], filler_ok=True),
        _check(CheckField.COMPOSITE, l2[0:10] + l2[13:20] + l2[21:43], l2[43]),
    ]
    return fields, checks


def _verify_td1(l1: str, l2: str, l3: str) -> tuple[dict[str, str], list[CheckResult]]:
    surname, given = _names(l3)
    number, digit, optional = l1[5:14], l1[14], l1[15:30]
    if digit == _FILLER and optional.strip(_FILLER):
        # Long document number: the rest and its check digit open the optional data.
        rest = optional.split(_FILLER, 1)[0]
        number, digit, optional = number + rest[:-1], rest[-1:], optional[len(rest) :]
    fields = {
        "document_code": l1[0:2].rstrip("<"),
        "issuing_state": l1[2:5].rstrip("<"),
        "document_number": number.rstrip("<"),
        "optional_data": optional.strip("<"),
        "birth_date": l2[0:6],
        "sex": l2[7],
        "expiry_date": l2[8:14],
        "nationality": l2[15:18].rstrip("<"),
        "optional_data_2": l2[18:29].rstrip("<"),
        "surname": surname,
        "given_names": given,
    }
    checks = [
        _check(CheckField.DOCUMENT_NUMBER, number, digit),
        _check(CheckField.BIRTH_DATE, l2[0:6], l2[6]),
        _check(CheckField.EXPIRY_DATE, l2[8:14], l2[14]),
        _check(CheckField.COMPOSITE, l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29]),
    ]
    return fields, checks


def _verify_fr_cni_1988(l1: str, l2: str) -> tuple[dict[str, str], list[CheckResult]]:
    fields = {
        "document_code": l1[0:2].rstrip("<"),
        "issuing_state": l1[2:5],
        "surname": l1[5:30].replace("<", " ").strip(),
        "administrative_code": l1[30:36].strip("<"),
        "document_number": l2[0:12],
        "given_names": " ".join(
            part.replace("<", " ").strip() for part in l2[13:27].split("<<") if part.strip("<")
        ),
        "birth_date": l2[27:33],
        "sex": l2[34],
    }
    checks = [
        _check(CheckField.DOCUMENT_NUMBER, l2[0:12], l2[12]),
        _check(CheckField.BIRTH_DATE, l2[27:33], l2[33]),
        _check(CheckField.COMPOSITE, l1 + l2[0:35], l2[35]),
    ]
    return fields, checks


def verify(mrz: str) -> MrzResult:
    """Read ``mrz`` (lines separated by line breaks) and check every check digit.

    The format is recognised from the shape (3 x 30 TD1, 2 x 44 TD3, 2 x 36 old French
    CNI, or one line of the total length). Each check digit is reported ok or bad; dates
    that are not valid YYMMDD dates are reported as errors.
    """
    lines = _split_lines(mrz)
    if not lines:
        return MrzResult(None, lines, errors=(MrzError(MrzErrorCode.EMPTY),))
    mrz_format = _detect(lines)
    if mrz_format is None:
        shape = " + ".join(str(len(line)) for line in lines)
        return MrzResult(
            None, lines, errors=(MrzError(MrzErrorCode.UNKNOWN_FORMAT, {"shape": shape}),)
        )
    bad = sorted({ch for line in lines for ch in line if not _MRZ_CHARS.match(ch)})
    if bad:
        error = MrzError(MrzErrorCode.INVALID_CHARACTER, {"characters": "".join(bad)})
        return MrzResult(mrz_format, lines, errors=(error,))
    if mrz_format is MrzFormat.TD3:
        fields, checks = _verify_td3(*lines)
    elif mrz_format is MrzFormat.TD1:
        fields, checks = _verify_td1(*lines)
    else:
        fields, checks = _verify_fr_cni_1988(*lines)
    errors = tuple(
        MrzError(MrzErrorCode.INVALID_DATE, {"field": name, "value": fields[name]})
        for name in ("birth_date", "expiry_date")
        if name in fields and not _date_ok(fields[name])
    )
    return MrzResult(mrz_format, lines, fields, tuple(checks), errors)


# --------------------------------------------------------------------------- dates


def resolve_birth_date(yymmdd: str, on: date) -> date | None:
    """A YYMMDD birth date as a date: the latest century that is not after ``on``."""
    if not _date_ok(yymmdd):
        return None
    yy, mm, dd = int(yymmdd[0:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    for century in (on.year // 100 * 100, on.year // 100 * 100 - 100):
        try:
            candidate = date(century + yy, mm, dd)
        except ValueError:
            continue
        if candidate <= on:
            return candidate
    return None


def resolve_expiry_date(yymmdd: str, on: date) -> date | None:
    """A YYMMDD expiry date as a date: the century that puts it closest to ``on``."""
    if not _date_ok(yymmdd):
        return None
    yy, mm, dd = int(yymmdd[0:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    base = on.year // 100 * 100
    candidates: list[date] = []
    for century in (base - 100, base, base + 100):
        try:
            candidates.append(date(century + yy, mm, dd))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - on).days)) if candidates else None
