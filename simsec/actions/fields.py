"""Field types shared by the action catalogue and the scenario format.

The scenario format (``SCENARIO_FORMAT.md``, "General rules") writes times as offsets
from the scenario start (``30s``, ``5m``, ``1h30m``) or as local date-times
(``2026-03-02T09:15``, Europe/Paris, no zone written), dates as ``2026-03-02`` and
amounts in euros as decimals (``26.50``, never floats). Keys are ``snake_case``.

YAML values reach these types through :class:`PlainScalar`: the scenario loader keeps
every unquoted scalar as its source text *and* the value the YAML 1.2 core schema gives
it. A field that expects a string gets the text (``no`` stays ``"no"``, ``08:30`` stays
``"08:30"``, ``01000`` keeps its leading zero); a field that expects a number or a
boolean gets the core value (``true`` is a boolean, ``yes`` is not). Every validator
here raises :class:`pydantic_core.PydanticCustomError` with a stable ``simsec_*`` type;
the French text for those types lives in :mod:`simsec.texts.scenario`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, Strict
from pydantic.functional_validators import PlainValidator
from pydantic.json_schema import WithJsonSchema
from pydantic_core import PydanticCustomError

__all__ = [
    "KEY_PATTERN",
    "Amount",
    "Bool",
    "CompetencyCode",
    "Date",
    "Duration",
    "FormatModel",
    "Int",
    "Key",
    "LocalDateTime",
    "PlainScalar",
    "RefTo",
    "ScenarioTime",
    "core_value",
    "format_duration",
    "format_time",
    "parse_duration",
    "parse_local_datetime",
    "ref_kinds",
]


class PlainScalar(str):
    """An unquoted YAML scalar: its source text, plus ``value``, its YAML 1.2 core value.

    ``value`` is a ``bool`` (``true``/``false`` in any of the three spellings of the
    core schema), an ``int`` (decimal digits), a :class:`~decimal.Decimal` (a decimal
    number, never a float) or the text itself. Nulls never become a PlainScalar: the
    loader gives ``None``.
    """

    value: bool | int | Decimal | str

    def __new__(cls, text: str, value: bool | int | Decimal | str) -> PlainScalar:
        scalar = super().__new__(cls, text)
        scalar.value = value
        return scalar


def core_value(value: Any) -> Any:
    """``value`` with every :class:`PlainScalar` replaced by its core value (recursively)."""
    if isinstance(value, PlainScalar):
        return value.value
    if isinstance(value, list):
        return [core_value(item) for item in value]
    if isinstance(value, dict):
        return {key: core_value(item) for key, item in value.items()}
    return value


class FormatModel(BaseModel):
    """Base of every model of the public formats: unknown keys are errors.

    Python code may use the field names (``with_``); scenario files must use the
    spellings of the format (``with``): the loader validates with ``by_name=False``.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        validate_by_alias=True,
        validate_by_name=True,
        serialize_by_alias=True,
        use_enum_values=True,
        use_attribute_docstrings=True,
    )


# --------------------------------------------------------------------------- numbers

#: An integer: YAML ``42``, Python ``42``; not ``"42"`` (quoted), ``4.0`` or ``true``.
Int = Annotated[int, BeforeValidator(core_value), Strict()]

#: A boolean: YAML ``true``/``false``; not ``yes``, ``on`` or ``1`` (YAML 1.2 core).
Bool = Annotated[bool, BeforeValidator(core_value), Strict()]

_AMOUNT_RE: Final = re.compile(r"^-?[0-9]+(\.[0-9]{1,2})?$")


def _parse_amount(value: Any) -> Decimal:
    """Euros with at most two decimals, from a YAML number, a string, an int or a Decimal."""
    if isinstance(value, bool | float):
        raise PydanticCustomError(
            "simsec_amount", "an amount in euros such as 26.50 (never a float)"
        )
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.quantize(Decimal("0.01")):
            return value
        raise PydanticCustomError("simsec_amount", "an amount in euros such as 26.50")
    if isinstance(value, str) and _AMOUNT_RE.match(value.strip()):
        try:
            return Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the pattern excludes it
            pass
    raise PydanticCustomError("simsec_amount", "an amount in euros such as 26.50")


#: Euros as a Decimal with at most two decimals (``26.50``); serialised as a string.
Amount = Annotated[
    Decimal,
    PlainValidator(_parse_amount),
    PlainSerializer(lambda v: str(v), return_type=str, when_used="json"),
    WithJsonSchema({"type": ["number", "string"], "pattern": _AMOUNT_RE.pattern}),
]


# ------------------------------------------------------------------------ keys, refs

KEY_PATTERN: Final = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
_KEY_RE: Final = re.compile(KEY_PATTERN)
_KEY_MAX: Final = 64


def _parse_key(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("simsec_key_type", "a snake_case key")
    if len(value) > _KEY_MAX or not _KEY_RE.match(value):
        raise PydanticCustomError(
            "simsec_key", "a snake_case key (a-z, 0-9 and _), not {value!r}", {"value": value}
        )
    return str(value)


#: A key defined by the scenario (``key:``, ``id:``, ``as:``): ``snake_case``, ≤ 64 chars.
Key = Annotated[
    str,
    PlainValidator(_parse_key),
    WithJsonSchema({"type": "string", "pattern": KEY_PATTERN, "maxLength": _KEY_MAX}),
]


@dataclass(frozen=True, slots=True)
class RefTo:
    """Metadata of a field that names another entity: the kinds of entity it may name.

    Kinds: ``patient``, ``practitioner``, ``person``, ``document`` (a presented
    document), ``record`` (a medical-record item), ``appointment``, ``admission``,
    ``request`` (an access request), ``invoice``, ``letter``, ``service``, ``event``,
    ``question``, ``task``, ``search``. The semantic validator checks that the key
    exists; the engine resolves it.
    """

    kinds: tuple[str, ...]


def _parse_ref(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PydanticCustomError("simsec_ref", "the key of an entity")
    if len(value) > 200:
        raise PydanticCustomError("simsec_ref", "the key of an entity")
    return str(value)


_REF_SCHEMA: Final = WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 200})
_REF_VALIDATOR: Final = PlainValidator(_parse_ref)

# A reference to an entity, by key (``dr_martin`` in a scenario, ``patient#2041`` in a run
# log). The RefTo metadata says which kinds of entity the key may name.
PersonRef = Annotated[str, _REF_VALIDATOR, RefTo(("person",)), _REF_SCHEMA]
PatientKey = Annotated[str, _REF_VALIDATOR, RefTo(("patient",)), _REF_SCHEMA]
PractitionerRef = Annotated[str, _REF_VALIDATOR, RefTo(("practitioner",)), _REF_SCHEMA]
HolderRef = Annotated[str, _REF_VALIDATOR, RefTo(("patient", "person")), _REF_SCHEMA]
DocumentRef = Annotated[str, _REF_VALIDATOR, RefTo(("document",)), _REF_SCHEMA]
RecordRef = Annotated[str, _REF_VALIDATOR, RefTo(("record",)), _REF_SCHEMA]
AppointmentRef = Annotated[str, _REF_VALIDATOR, RefTo(("appointment",)), _REF_SCHEMA]
AdmissionRef = Annotated[str, _REF_VALIDATOR, RefTo(("admission",)), _REF_SCHEMA]
RequestRef = Annotated[str, _REF_VALIDATOR, RefTo(("request",)), _REF_SCHEMA]
InvoiceRef = Annotated[str, _REF_VALIDATOR, RefTo(("invoice",)), _REF_SCHEMA]
LetterRef = Annotated[str, _REF_VALIDATOR, RefTo(("letter",)), _REF_SCHEMA]
EventRef = Annotated[str, _REF_VALIDATOR, RefTo(("event",)), _REF_SCHEMA]
QuestionRef = Annotated[str, _REF_VALIDATOR, RefTo(("question",)), _REF_SCHEMA]
TaskRef = Annotated[str, _REF_VALIDATOR, RefTo(("task",)), _REF_SCHEMA]
SearchRef = Annotated[str, _REF_VALIDATOR, RefTo(("search",)), _REF_SCHEMA]
RecipientRef = Annotated[
    str, _REF_VALIDATOR, RefTo(("practitioner", "service", "person")), _REF_SCHEMA
]
CriterionRef = Annotated[str, _REF_VALIDATOR, RefTo(("criterion",)), _REF_SCHEMA]
#: A free reference: any string naming something (not checked).
FreeName = Annotated[str, Field(min_length=1)]


def ref_kinds(metadata: list[Any]) -> tuple[str, ...] | None:
    """The kinds of a reference field, from its ``FieldInfo.metadata``; None if not a ref."""
    for item in metadata:
        if isinstance(item, RefTo):
            return item.kinds
    return None


_COMPETENCY_RE: Final = re.compile(r"^[A-Z][A-Z0-9]*(\.[0-9]+)*$")


def _parse_competency(value: Any) -> str:
    if not isinstance(value, str) or not _COMPETENCY_RE.match(value):
        raise PydanticCustomError("simsec_competency_format", "a competence code such as SAMA.1.3")
    return str(value)


#: A competence code of ``COMPETENCIES.md`` (``SAMA.1.3``, ``TR.2``): existence is checked
#: by the semantic validator against the packaged catalogue.
CompetencyCode = Annotated[
    str,
    PlainValidator(_parse_competency),
    WithJsonSchema({"type": "string", "pattern": _COMPETENCY_RE.pattern}),
]


# --------------------------------------------------------------------- dates, times

_DATE_RE: Final = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATETIME_RE: Final = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$")
_DURATION_RE: Final = re.compile(r"^(?=[0-9])(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?$")
_DURATION_MAX: Final = timedelta(days=3660)


def _parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        raise PydanticCustomError("simsec_date", "a date such as 2026-03-02")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE_RE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "simsec_date_invalid", "a date that exists, not {value}", {"value": str(value)}
            ) from None
    raise PydanticCustomError("simsec_date", "a date such as 2026-03-02")


#: A calendar date written ``YYYY-MM-DD``.
Date = Annotated[
    date,
    PlainValidator(_parse_date),
    PlainSerializer(lambda v: v.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _DATE_RE.pattern}),
]


def parse_local_datetime(value: str) -> datetime | None:
    """``2026-03-02T09:15`` (or with seconds) as a naive datetime; None if malformed."""
    if not _DATETIME_RE.match(value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _parse_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise PydanticCustomError("simsec_datetime_zone", "a local date-time, without a zone")
        return value
    if isinstance(value, str):
        parsed = parse_local_datetime(value)
        if parsed is not None:
            return parsed
        if _DATETIME_RE.match(value):
            raise PydanticCustomError(
                "simsec_datetime_invalid",
                "a date-time that exists, not {value}",
                {"value": str(value)},
            )
    raise PydanticCustomError("simsec_datetime", "a local date-time such as 2026-03-02T09:15")


def _format_datetime(value: datetime) -> str:
    spec = "minutes" if value.second == 0 and value.microsecond == 0 else "seconds"
    return value.isoformat(timespec=spec)


_DATETIME_SCHEMA: Final = {"type": "string", "pattern": _DATETIME_RE.pattern}

#: A local date-time (Europe/Paris, no zone written): ``2026-03-02T09:15``.
LocalDateTime = Annotated[
    datetime,
    PlainValidator(_parse_datetime),
    PlainSerializer(_format_datetime, return_type=str, when_used="json"),
    WithJsonSchema(_DATETIME_SCHEMA),
]


def parse_duration(value: str) -> timedelta | None:
    """``30s``, ``5m``, ``1h30m``, ``0s`` as a timedelta; None if malformed or absurd."""
    match = _DURATION_RE.match(value)
    if match is None:
        return None
    hours, minutes, seconds = (int(group) if group else 0 for group in match.groups())
    try:
        result = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:
        return None
    return result if result <= _DURATION_MAX else None


def format_duration(value: timedelta) -> str:
    """The compact form of a duration: ``1h30m``, ``45s``, ``0s``."""
    total = int(value.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
    text += f"{seconds}s" if seconds or not text else ""
    return text


def _parse_duration_value(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        if value < timedelta(0):
            raise PydanticCustomError("simsec_duration", "a duration such as 30s, 5m or 1h30m")
        return value
    if isinstance(value, str):
        parsed = parse_duration(value)
        if parsed is not None:
            return parsed
    raise PydanticCustomError("simsec_duration", "a duration such as 30s, 5m or 1h30m")


_DURATION_SCHEMA: Final = {"type": "string", "pattern": r"^([0-9]+h)?([0-9]+m)?([0-9]+s)?$"}

#: A duration written ``30s``, ``5m``, ``1h30m``.
Duration = Annotated[
    timedelta,
    PlainValidator(_parse_duration_value),
    PlainSerializer(format_duration, return_type=str, when_used="json"),
    WithJsonSchema(_DURATION_SCHEMA),
]


def _parse_time(value: Any) -> timedelta | datetime:
    if isinstance(value, timedelta | datetime):
        return _parse_duration_value(value) if isinstance(value, timedelta) else value
    if isinstance(value, str):
        offset = parse_duration(value)
        if offset is not None:
            return offset
        moment = parse_local_datetime(value)
        if moment is not None:
            return moment
    raise PydanticCustomError(
        "simsec_time", "an offset such as 30s, 5m, 1h30m or a date-time such as 2026-03-02T09:15"
    )


def format_time(value: timedelta | datetime) -> str:
    """The written form of a scenario time (offset or local date-time)."""
    if isinstance(value, timedelta):
        return format_duration(value)
    return _format_datetime(value)


#: A scenario time: an offset from the start (timedelta) or a local date-time (datetime).
ScenarioTime = Annotated[
    timedelta | datetime,
    PlainValidator(_parse_time),
    PlainSerializer(format_time, return_type=str, when_used="json"),
    WithJsonSchema({"anyOf": [_DURATION_SCHEMA, _DATETIME_SCHEMA]}),
]

#: ``true``, ``false`` or ``any``: how the rules must answer (``expect_error``) or which
#: outcomes a matcher accepts (``ok``).
TriState = Literal[True, False, "any"]


def _parse_tristate(value: Any) -> bool | str:
    resolved = core_value(value)
    if isinstance(resolved, bool):
        return resolved
    if resolved == "any":
        return "any"
    raise PydanticCustomError("simsec_tristate", "true, false or any")


TriBool = Annotated[
    bool | Literal["any"],
    PlainValidator(_parse_tristate),
    WithJsonSchema({"anyOf": [{"type": "boolean"}, {"const": "any"}]}),
]

#: Non-negative and positive integers.
NonNegInt = Annotated[Int, Field(ge=0)]
PosInt = Annotated[Int, Field(ge=1)]

#: A line of text (may be empty).
Text = str

__all__ += [
    "AdmissionRef",
    "AppointmentRef",
    "CriterionRef",
    "DocumentRef",
    "EventRef",
    "FreeName",
    "HolderRef",
    "InvoiceRef",
    "LetterRef",
    "NonNegInt",
    "PatientKey",
    "PersonRef",
    "PosInt",
    "PractitionerRef",
    "QuestionRef",
    "RecipientRef",
    "RecordRef",
    "RequestRef",
    "SearchRef",
    "TaskRef",
    "Text",
    "TriBool",
    "TriState",
]
