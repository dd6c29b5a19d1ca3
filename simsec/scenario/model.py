"""The scenario format ``simsec/scenario@1`` as strict pydantic models.

Source: ``SCENARIO_FORMAT.md`` (the public contract between trainers and simsec).
Every model forbids unknown keys (a typo must not be silently ignored); every key of the
format is here with its spelling. Additions, all optional, are marked "simsec addition":
``people[].name``, patients' ``email`` and ``medecin_traitant``, documents' kind-specific
fields, the event kinds ``dictation`` and ``question`` (which define the tasks of
``submit_transcription`` and the questions of ``submit_answer``), ``solutions[].label``,
``fixtures.waitlist`` (waiting-list requests made before t=0).

The models check the shape and the values of each field; what needs the whole scenario
(references, times inside the scenario, NIR keys, competence codes...) is checked by
:mod:`simsec.scenario.validate`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    Tag,
    model_validator,
)
from pydantic.json_schema import WithJsonSchema
from pydantic_core import PydanticCustomError
from typing_extensions import TypeAliasType

from simsec.actions.catalogue import (
    ACTION_NAMES,
    Action,
    Address,
    AmcCoverage,
    AmoCoverage,
    DocumentKind,
    IdentityAttribute,
    IdentityStatus,
    PatientRef,
    Question,
    RegisterAccessRequestFields,
    Sex,
    literal_values,
)
from simsec.actions.fields import (
    Bool,
    CompetencyCode,
    CriterionRef,
    Date,
    Duration,
    EventRef,
    FormatModel,
    HolderRef,
    Int,
    Key,
    LocalDateTime,
    NonNegInt,
    PatientKey,
    PersonRef,
    PosInt,
    PractitionerRef,
    QuestionRef,
    ScenarioTime,
    TaskRef,
    TriBool,
    core_value,
    format_time,
    parse_local_datetime,
)

FORMAT: Final = "simsec/scenario@1"

# ---------------------------------------------------------------------- structure

StructureKind = Literal[
    "cabinet_medical",
    "centre_de_sante",
    "service_hospitalier",
    "clinique",
    "ehpad",
    "service_social",
]


class Structure(FormatModel):
    """The workplace."""

    kind: StructureKind
    name: str
    services: list[Key] = Field(default_factory=list)


class World(FormatModel):
    """The generated background (same seed + same simsec version = same world)."""

    seed: Int = 0
    population: Annotated[NonNegInt, Field(le=1_000_000)] = 0
    practitioners: Annotated[NonNegInt, Field(le=1_000)] = 0
    history_days: Annotated[NonNegInt, Field(le=3_660)] = 0


# ---------------------------------------------------------------------- fixtures

_HOURS_RE: Final = re.compile(r"^([0-9]{2}):([0-9]{2})-([0-9]{2}):([0-9]{2})$")


def _parse_hours(value: Any) -> str:
    """``08:30-12:00``: 24-hour clock, the end after the start (24:00 allowed as an end)."""
    if isinstance(value, str):
        match = _HOURS_RE.match(value)
        if match:
            h1, m1, h2, m2 = (int(part) for part in match.groups())
            start, end = h1 * 60 + m1, h2 * 60 + m2
            if h1 < 24 and m1 < 60 and m2 < 60 and end <= 24 * 60 and start < end:
                return str(value)
            raise PydanticCustomError(
                "simsec_hours_range", "a valid range such as 08:30-12:00", {"value": str(value)}
            )
    raise PydanticCustomError("simsec_hours", "a range such as 08:30-12:00")


HourRange = Annotated[
    str,
    PlainValidator(_parse_hours),
    WithJsonSchema({"type": "string", "pattern": _HOURS_RE.pattern}),
]


class WeeklyHours(FormatModel):
    """Opening hours by weekday: ``{mon: ["08:30-12:00", "14:00-18:00"]}``."""

    mon: list[HourRange] = Field(default_factory=list)
    tue: list[HourRange] = Field(default_factory=list)
    wed: list[HourRange] = Field(default_factory=list)
    thu: list[HourRange] = Field(default_factory=list)
    fri: list[HourRange] = Field(default_factory=list)
    sat: list[HourRange] = Field(default_factory=list)
    sun: list[HourRange] = Field(default_factory=list)


class AppointmentType(FormatModel):
    code: Annotated[str, Field(min_length=1)]
    label: str
    minutes: PosInt


class Absence(FormatModel):
    from_: LocalDateTime = Field(alias="from")
    to: LocalDateTime
    reason: str | None = None


_RPPS_RE: Final = re.compile(r"^[0-9]{11}$")


def _parse_rpps(value: Any) -> str:
    """``auto`` or 11 digits (the Luhn key is checked by the semantic validator)."""
    if isinstance(value, str):
        compact = "".join(value.split())
        if compact == "auto" or _RPPS_RE.match(compact):
            return compact
    raise PydanticCustomError("simsec_rpps_format", "auto or an 11-digit RPPS number")


RppsSpec = Annotated[
    str,
    PlainValidator(_parse_rpps),
    WithJsonSchema({"anyOf": [{"const": "auto"}, {"type": "string", "pattern": "^[0-9]{11}$"}]}),
]


class PractitionerFixture(FormatModel):
    """A named practitioner; omitted fields are generated from the seed."""

    key: Key
    last_name: str | None = None
    first_name: str | None = None
    specialty: str | None = None
    rpps: RppsSpec = "auto"
    hours: WeeklyHours | None = None
    appointment_types: list[AppointmentType] = Field(default_factory=list)
    absences: list[Absence] = Field(default_factory=list)


_INSEE_RE: Final = re.compile(r"^(?:[0-9]{5}|2[AB][0-9]{3})$")


def _parse_insee(value: Any) -> str:
    if isinstance(value, str) and _INSEE_RE.match(value):
        return str(value)
    raise PydanticCustomError("simsec_insee", "an INSEE code of 5 characters (75056, 2A004, 99350)")


#: The INSEE COG code of a commune, or ``99`` + country code for a birth abroad.
InseeCode = Annotated[
    str,
    PlainValidator(_parse_insee),
    WithJsonSchema({"type": "string", "pattern": _INSEE_RE.pattern}),
]

UNKNOWN: Final = "none"
"""A fixture trait written ``none``: known to be unknown (stored NULL), not generated."""


def _parse_birth_place_spec(value: Any) -> str:
    """``none`` (unknown birth place) or an INSEE code."""
    return UNKNOWN if value == UNKNOWN else _parse_insee(value)


#: A patient fixture's birth place: an INSEE code, or ``none`` for an unknown one.
BirthPlaceSpec = Annotated[
    str,
    PlainValidator(_parse_birth_place_spec),
    WithJsonSchema(
        {"anyOf": [{"enum": [UNKNOWN]}, {"type": "string", "pattern": _INSEE_RE.pattern}]}
    ),
]

_NIR_RE: Final = re.compile(r"^[0-9]{5}[0-9AB][0-9]{9}$")


def _parse_nir_spec(value: Any) -> str:
    """``auto``, ``none`` or a 15-character NIR/NIA (spaces allowed, removed)."""
    if isinstance(value, str):
        compact = "".join(value.split())
        if compact in ("auto", "none") or _NIR_RE.match(compact.upper()):
            return compact if compact in ("auto", "none") else compact.upper()
    raise PydanticCustomError("simsec_nir_format", "auto, none or a 15-character NIR")


NirSpec = Annotated[
    str,
    PlainValidator(_parse_nir_spec),
    WithJsonSchema(
        {"anyOf": [{"enum": ["auto", "none"]}, {"type": "string", "pattern": _NIR_RE.pattern}]}
    ),
]


def _parse_nir_value(value: Any) -> str:
    parsed = _parse_nir_spec(value)
    if parsed in ("auto", "none"):
        raise PydanticCustomError("simsec_nir_value", "a 15-character NIR")
    return parsed


#: A written NIR/NIA (15 characters, spaces removed).
NirValue = Annotated[
    str,
    PlainValidator(_parse_nir_value),
    WithJsonSchema({"type": "string", "pattern": _NIR_RE.pattern}),
]


class Coverage(FormatModel):
    """What the local database records (may be out of date)."""

    amo: AmoCoverage | None = None
    amc: AmcCoverage | None = None


class RecordItem(FormatModel):
    """A document of the medical record (for access requests)."""

    key: Key
    kind: Key
    """``compte_rendu``, ``courrier``, ``resultat``, ``ordonnance``... (snake_case)."""
    date: Date
    author: str | None = None
    """A practitioner key or a free name."""
    title: str | None = None
    third_party: Bool = False
    """The item comes from or concerns a third party outside the care team (L1111-7)."""


class PatientFixture(FormatModel):
    """A named patient; omitted traits are generated coherently from the seed."""

    key: Key
    birth_name: str | None = None
    first_names: list[str] | None = Field(default=None, min_length=1)
    used_name: str | None = None
    used_first_name: str | None = None
    birth_date: Date | None = None
    sex: Sex | None = None
    birth_place: BirthPlaceSpec | None = None
    """An INSEE code; ``none``: unknown (stored empty, like ``nir: none``); omitted:
    generated."""
    nir: NirSpec = "auto"
    identity_status: IdentityStatus = "provisoire"
    attributes: list[IdentityAttribute] = Field(default_factory=list)
    deceased_on: Date | None = None
    access_opposition: Bool = False
    phone: str | None = None
    email: str | None = None
    address: Address | None = None
    medecin_traitant: str | None = None
    """simsec addition: the declared médecin traitant (practitioner key or name)."""
    coverage: Coverage | None = None
    record: list[RecordItem] = Field(default_factory=list)

    @property
    def known_birth_place(self) -> str | None:
        """The INSEE code of the birth place, None when written ``none`` or omitted."""
        return None if self.birth_place == UNKNOWN else self.birth_place


_FULL_ENTRY_FIELDS: Final = ("birth_name", "first_names", "birth_date", "sex", "birth_place")


class RegistryEntry(FormatModel):
    """An identity of the national INS referential (what INSi answers).

    Either ``of:`` (copy the traits of a patient or person, with the fields given as
    differences) or ``key:`` with every strict trait (a full entry).
    """

    of: HolderRef | None = None
    key: Key | None = None
    birth_name: str | None = None
    first_names: list[str] | None = Field(default=None, min_length=1)
    birth_date: Date | None = None
    sex: Sex | None = None
    birth_place: InseeCode | None = None
    nir: NirValue | None = None

    @model_validator(mode="after")
    def _of_or_key(self) -> RegistryEntry:
        if (self.of is None) == (self.key is None):
            raise PydanticCustomError("simsec_registry_of_or_key", "either of or key")
        if self.key is not None:
            missing = [name for name in _FULL_ENTRY_FIELDS if getattr(self, name) is None]
            if missing:
                raise PydanticCustomError(
                    "simsec_registry_incomplete",
                    "a full entry needs {missing}",
                    {"missing": ", ".join(missing)},
                )
        return self


class InsurerEntry(FormatModel):
    """What the carte Vitale and ADRi answer for a patient or person (the truth)."""

    of: HolderRef
    amo: AmoCoverage | None = None
    amc: AmcCoverage | None = None


AppointmentStatus = Literal["booked", "arrived", "no_show", "cancelled"]


class AppointmentFixture(FormatModel):
    key: Key
    patient: PatientKey
    practitioner: PractitionerRef
    type: Annotated[str, Field(min_length=1)]
    start: LocalDateTime
    status: AppointmentStatus = "booked"
    reason: str | None = None


class AccessRequestFixture(RegisterAccessRequestFields):
    """An access request already registered at t=0 (the fields of the action, plus a key)."""

    key: Key


_SINCE_DATE_RE: Final = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_SINCE_DATETIME_RE: Final = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$"
)


def _parse_since(value: Any) -> datetime:
    """A date (``2026-02-20``: that day at 00:00) or a local date-time."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise PydanticCustomError("simsec_datetime_zone", "a local date-time, without a zone")
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, str):
        moment = parse_local_datetime(value)
        if moment is not None:
            return moment
        if _SINCE_DATE_RE.match(value):
            try:
                return datetime.combine(date.fromisoformat(value), time())
            except ValueError:
                raise PydanticCustomError(
                    "simsec_date_invalid", "a date that exists, not {value}", {"value": value}
                ) from None
        if _SINCE_DATETIME_RE.match(value):
            raise PydanticCustomError(
                "simsec_datetime_invalid", "a date-time that exists, not {value}", {"value": value}
            )
    raise PydanticCustomError(
        "simsec_date_or_datetime",
        "a date such as 2026-03-02 or a date-time such as 2026-03-02T09:15",
    )


#: When a waiting-list request was made: a date (that day at 00:00) or a local date-time
#: (simsec addition).
Since = Annotated[
    datetime,
    PlainValidator(_parse_since),
    PlainSerializer(format_time, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date", "pattern": _SINCE_DATE_RE.pattern},
                {"type": "string", "pattern": _SINCE_DATETIME_RE.pattern},
            ]
        }
    ),
]


class WaitlistFixture(FormatModel):
    """A waiting-list request already made at t=0 (simsec addition): the fields of the
    ``add_to_waitlist`` action, plus an optional key and ``since``, when the request was
    made (default: the scenario start). The waiting list is served oldest first."""

    key: Key | None = None
    patient: PatientKey
    type: Annotated[str, Field(min_length=1)]
    practitioner: PractitionerRef | None = None
    note: str | None = None
    since: Since | None = None


class Fixtures(FormatModel):
    """Named entities present at t=0, on top of the generated world."""

    practitioners: list[PractitionerFixture] = Field(default_factory=list)
    patients: list[PatientFixture] = Field(default_factory=list)
    registry: list[RegistryEntry] = Field(default_factory=list)
    insurer: list[InsurerEntry] = Field(default_factory=list)
    appointments: list[AppointmentFixture] = Field(default_factory=list)
    access_requests: list[AccessRequestFixture] = Field(default_factory=list)
    waitlist: list[WaitlistFixture] = Field(default_factory=list)


# ------------------------------------------------------------------------- people

Role = Literal["patient", "parent", "tuteur", "ayant_droit", "proche", "professionnel", "autre"]
Shown = Literal["on_arrival", "on_request", "never"]
MrzState = Literal["valid", "bad_check_digit"]
ProtectionMeasure = Literal["tutelle", "curatelle", "habilitation_familiale", "sauvegarde"]


class Answers(FormatModel):
    """Answers to the question catalogue; unscripted questions get "Je ne sais pas."."""

    birth_name: str | None = None
    first_names: str | None = None
    used_name: str | None = None
    used_first_name: str | None = None
    birth_date: str | None = None
    birth_place: str | None = None
    sex: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    reason: str | None = None
    medecin_traitant: str | None = None
    relationship: str | None = None
    patient_name: str | None = None
    availability: str | None = None
    insurance: str | None = None
    mutuelle: str | None = None
    contact_person: str | None = None
    free: dict[str, str] = Field(default_factory=dict)
    """A keyword → the line the person says."""


class Document(FormatModel):
    """A document a person carries. Which fields a kind may have: :data:`DOCUMENT_FIELDS`."""

    key: Key
    kind: DocumentKind
    shown: Shown = "on_request"
    holder: HolderRef | None = None
    """The patient or person the document belongs to (default: its carrier)."""
    birth_name: str | None = None
    used_name: str | None = None
    first_names: list[str] | None = Field(default=None, min_length=1)
    birth_date: Date | None = None
    sex: Sex | None = None
    birth_place: str | None = None
    """As printed on the document (a commune or country name)."""
    nationality: str | None = None
    number: str | None = None
    issued: Date | None = None
    expires: Date | None = None
    mrz: MrzState | None = None
    nir: NirValue | None = None
    beneficiaries: list[HolderRef] = Field(default_factory=list)
    amo: AmoCoverage | None = None
    amc: AmcCoverage | None = None
    valid_from: Date | None = None
    valid_until: Date | None = None
    participation: Bool | None = None
    """attestation_c2s: C2S with a financial participation."""
    country: str | None = None
    author: str | None = None
    date: Date | None = None
    title: str | None = None
    text: str | None = None
    to: str | None = None
    death_date: Date | None = None
    death_place: str | None = None
    heirs: list[str] = Field(default_factory=list)
    members: list[str] = Field(default_factory=list)
    parents: list[str] = Field(default_factory=list)
    measure: ProtectionMeasure | None = None
    guardian: str | None = None
    employer: str | None = None
    accident_date: Date | None = None
    address: Address | None = None
    signed_by: list[str] = Field(default_factory=list)


_COMMON: Final = frozenset({"key", "kind", "shown", "holder"})
_NAMES: Final = frozenset({"birth_name", "used_name", "first_names"})
_IDENTITY: Final = _NAMES | {
    "birth_date",
    "sex",
    "birth_place",
    "nationality",
    "number",
    "issued",
    "expires",
}

#: The fields each document kind may carry (besides key, kind, shown, holder).
#: Source: the documents themselves (CNI, passeport, titre de séjour carry an MRZ, ICAO
#: 9303; the permis de conduire does not); SCENARIO_FORMAT.md: ``mrz`` only for cni,
#: passeport, titre_sejour.
DOCUMENT_FIELDS: Final[dict[str, frozenset[str]]] = {
    "cni": _COMMON | _IDENTITY | {"mrz"},
    "passeport": _COMMON | _IDENTITY | {"mrz", "country"},
    "titre_sejour": _COMMON | _IDENTITY | {"mrz", "country"},
    "permis_conduire": _COMMON | (_IDENTITY - {"sex", "nationality"}),
    "carte_vitale": _COMMON | _NAMES | {"nir", "number", "issued", "beneficiaries"},
    "attestation_droits": _COMMON
    | _NAMES
    | {"birth_date", "nir", "amo", "issued", "valid_until", "beneficiaries"},
    "carte_mutuelle": _COMMON | _NAMES | {"amc", "number", "beneficiaries"},
    "attestation_c2s": _COMMON
    | _NAMES
    | {"birth_date", "nir", "number", "valid_from", "valid_until", "participation"},
    "attestation_ame": _COMMON
    | _NAMES
    | {"birth_date", "number", "issued", "valid_from", "valid_until"},
    "ceam": _COMMON | _NAMES | {"birth_date", "number", "country", "issued", "expires"},
    "livret_famille": _COMMON | {"members", "issued", "number"},
    "acte_naissance": _COMMON | _NAMES | {"birth_date", "sex", "birth_place", "parents", "issued"},
    "acte_deces": _COMMON | _NAMES | {"birth_date", "death_date", "death_place", "issued"},
    "acte_notoriete": _COMMON | {"heirs", "author", "issued", "death_date"},
    "jugement_tutelle": _COMMON | {"measure", "guardian", "author", "issued", "date"},
    "feuille_at": _COMMON | _NAMES | {"employer", "accident_date", "issued", "nir"},
    "ordonnance": _COMMON | {"author", "date", "text", "title"},
    "lettre_medecin": _COMMON | {"author", "date", "text", "title", "to"},
    "justificatif_domicile": _COMMON | _NAMES | {"address", "issued", "title"},
    "autorisation_operer": _COMMON | {"signed_by", "date", "text"},
    "demande_ecrite": _COMMON | {"author", "date", "text", "title", "to"},
    # proofs of a request for access to the medical record (simsec/data/access.yaml)
    "jugement_curatelle": _COMMON | {"measure", "guardian", "author", "issued", "date"},
    "jugement_habilitation_familiale": _COMMON
    | {"measure", "guardian", "author", "issued", "date"},
    "consentement_ecrit": _COMMON | {"signed_by", "date", "text", "to"},
    "certificat_heredite": _COMMON | {"heirs", "author", "issued", "death_date"},
    "certificat_concubinage": _COMMON | {"members", "author", "issued", "address"},
    "attestation_vie_commune": _COMMON | {"members", "signed_by", "date", "address", "text"},
    "attestation_pacs": _COMMON | {"members", "author", "issued", "number"},
    "designation_medecin": _COMMON | {"signed_by", "date", "text", "to"},
    "carte_cps": _COMMON | _NAMES | {"number", "issued", "expires"},
    "attestation_rpps": _COMMON | _NAMES | {"number", "author", "issued"},
}

#: Document kinds whose identity page carries an MRZ (ICAO 9303).
MRZ_KINDS: Final = frozenset({"cni", "passeport", "titre_sejour"})


class Person(FormatModel):
    """A visitor or caller: an existing patient, a future one, or someone else."""

    key: Key
    patient: PatientKey | None = None
    name: str | None = None
    """simsec addition: how the person is shown when not a patient ("Pharmacie du Centre")."""
    role: Role = "patient"
    lang: Literal["fr", "en"] = "fr"
    answers: Answers = Field(default_factory=Answers)
    documents: list[Document] = Field(default_factory=list)


# ------------------------------------------------------------------------ matchers


def _scalar(value: Any) -> Any:
    """A literal as written: an unquoted YAML scalar stays a :class:`PlainScalar` (its
    text, ``0612345678`` keeps its zero, and its YAML core value, for numbers and
    booleans); ``core_value()`` gives the typed value."""
    if value is None or isinstance(value, bool | int | Decimal | str):
        return value
    raise PydanticCustomError("simsec_scalar", "a single value (text, number, true/false)")


#: A literal value in a matcher: text, number, boolean or null.
Scalar = Annotated[
    Any,
    PlainValidator(_scalar),
    WithJsonSchema({"type": ["string", "number", "boolean", "null"]}),
]


class Contains(FormatModel):
    """``{contains: TEXT}``: the field's text contains TEXT (case and accents ignored)."""

    contains: str


class InValues(FormatModel):
    """``{in: [...]}``: the field equals one of the values."""

    in_: list[Scalar] = Field(alias="in", min_length=1)


class Between(FormatModel):
    """``{between: [A, B]}``: A ≤ field ≤ B (numbers, dates, date-times, times)."""

    between: tuple[Scalar, Scalar]


_OPERATORS: Final = frozenset({"contains", "in", "between"})


def _match_tag(value: Any) -> str:
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in _OPERATORS:
            return "=" + str(next(iter(value)))
        return "=mapping"
    if isinstance(value, Contains):
        return "=contains"
    if isinstance(value, InValues):
        return "=in"
    if isinstance(value, Between):
        return "=between"
    if isinstance(value, list):
        return "=list"
    return "=scalar"


if TYPE_CHECKING:  # mypy cannot follow a recursive alias; pydantic can
    MatchValue = Any
else:
    MatchValue = TypeAliasType(
        "MatchValue",
        Annotated[
            Annotated[Contains, Tag("=contains")]
            | Annotated[InValues, Tag("=in")]
            | Annotated[Between, Tag("=between")]
            | Annotated[dict[str, "MatchValue"], Tag("=mapping")]
            | Annotated[list["MatchValue"], Tag("=list")]
            | Annotated[Scalar, Tag("=scalar")],
            Discriminator(_match_tag),
        ],
    )
"""A VALUE of a matcher: a literal (a key, text, number...), an operator, or a nested
mapping/list of values (a subset match)."""


def _action_name(value: Any) -> str:
    if isinstance(value, str) and value in ACTION_NAMES:
        return str(value)
    raise PydanticCustomError(
        "simsec_action_name", "an action of the catalogue, not {value!r}", {"value": str(value)}
    )


ActionName = Annotated[
    str,
    PlainValidator(_action_name),
    WithJsonSchema({"enum": list(ACTION_NAMES)}),
]


class ActionMatcher(FormatModel):
    """``{do: NAME, with: {field: VALUE...}, ok: true}``: which actions match.

    ``with`` is a subset match on the action's fields after keys are resolved; ``ok``
    ``true`` (default) matches accepted actions, ``false`` refused ones, ``any`` both.
    """

    do: ActionName
    with_: dict[str, MatchValue] = Field(default_factory=dict, alias="with")
    ok: TriBool = True


class CountRange(FormatModel):
    """``{min: N, max: M}`` (either may be omitted, not both)."""

    min: NonNegInt | None = None
    max: NonNegInt | None = None

    @model_validator(mode="after")
    def _bounds(self) -> CountRange:
        if self.min is None and self.max is None:
            raise PydanticCustomError("simsec_count_empty", "min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise PydanticCustomError("simsec_count_order", "min not greater than max")
        return self


def _count_tag(value: Any) -> str:
    return "=range" if isinstance(value, dict | CountRange) else "=exactly"


#: ``count: N`` (exactly N) or ``count: {min, max}``.
Count = Annotated[
    Annotated[NonNegInt, Tag("=exactly")] | Annotated[CountRange, Tag("=range")],
    Discriminator(_count_tag),
]

# -------------------------------------------------------------------------- checks


class ActionCheck(FormatModel):
    """Such actions happened (default: at least once; ``count`` N exactly, or a range)."""

    action: ActionMatcher
    count: Count | None = None


class NoActionCheck(FormatModel):
    """No such action happened."""

    no_action: ActionMatcher


class BeforeSpec(FormatModel):
    first: ActionMatcher
    then: ActionMatcher


class BeforeCheck(FormatModel):
    """Both happened and the first M1 precedes the first M2."""

    before: BeforeSpec


class WithinSpec(FormatModel):
    after: EventRef
    action: ActionMatcher
    minutes: Annotated[Decimal, BeforeValidator(core_value), Field(gt=0, le=100_000)]


class WithinCheck(FormatModel):
    """M happened within N scenario minutes after the event."""

    within: WithinSpec


StateEntity = Literal[
    "patient",
    "appointment",
    "admission",
    "access_request",
    "invoice",
    "message",
    "letter",
    "identity_report",
    "waitlist",
    "absence",
    "meeting",
]


class StateSpec(FormatModel):
    entity: StateEntity
    where: dict[str, MatchValue] = Field(default_factory=dict)
    count: Count | None = None
    has: dict[str, MatchValue] = Field(default_factory=dict)


class StateCheck(FormatModel):
    """At the end, the entities matching ``where`` number ``count`` and have ``has``."""

    state: StateSpec


TrueFlag = Annotated[Literal[True], BeforeValidator(core_value)]


class NoDuplicatesCheck(FormatModel):
    """No two patients share the same normalised strict traits, nor the same INS."""

    no_duplicates: TrueFlag


class NoConflictsCheck(FormatModel):
    """No two active appointments overlap for one practitioner, nor for one patient."""

    no_conflicts: TrueFlag


class AnswerSpec(FormatModel):
    question: QuestionRef
    equals: Scalar
    tolerance: Annotated[Decimal, BeforeValidator(core_value), Field(ge=0)] | None = None


class AnswerCheck(FormatModel):
    """The submitted answer is right (within ``tolerance`` for numbers)."""

    answer: AnswerSpec


class TranscriptionSpec(FormatModel):
    task: TaskRef
    max_wer: Annotated[Decimal, BeforeValidator(core_value), Field(ge=0, le=1)]


class TranscriptionCheck(FormatModel):
    """The submitted text is close enough to the reference (word error rate)."""

    transcription: TranscriptionSpec


class AllCheck(FormatModel):
    all: list[Check] = Field(min_length=1)


class AnyCheck(FormatModel):
    any: list[Check] = Field(min_length=1)


class NotCheck(FormatModel):
    not_: Check = Field(alias="not")


_CHECK_KINDS: Final = (
    "action",
    "no_action",
    "before",
    "within",
    "state",
    "no_duplicates",
    "no_conflicts",
    "answer",
    "transcription",
    "all",
    "any",
    "not",
)
CHECK_KINDS: Final = frozenset(_CHECK_KINDS)

_CHECK_CLASSES: Final[dict[str, type[FormatModel]]] = {
    "action": ActionCheck,
    "no_action": NoActionCheck,
    "before": BeforeCheck,
    "within": WithinCheck,
    "state": StateCheck,
    "no_duplicates": NoDuplicatesCheck,
    "no_conflicts": NoConflictsCheck,
    "answer": AnswerCheck,
    "transcription": TranscriptionCheck,
    "all": AllCheck,
    "any": AnyCheck,
    "not": NotCheck,
}


def _check_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        kinds = [key for key in value if key in CHECK_KINDS]
        return "=" + str(kinds[0]) if len(kinds) == 1 else None
    for kind, cls in _CHECK_CLASSES.items():
        if isinstance(value, cls):
            return "=" + kind
    return None


Check = TypeAliasType(
    "Check",
    Annotated[
        Annotated[ActionCheck, Tag("=action")]
        | Annotated[NoActionCheck, Tag("=no_action")]
        | Annotated[BeforeCheck, Tag("=before")]
        | Annotated[WithinCheck, Tag("=within")]
        | Annotated[StateCheck, Tag("=state")]
        | Annotated[NoDuplicatesCheck, Tag("=no_duplicates")]
        | Annotated[NoConflictsCheck, Tag("=no_conflicts")]
        | Annotated[AnswerCheck, Tag("=answer")]
        | Annotated[TranscriptionCheck, Tag("=transcription")]
        | Annotated[AllCheck, Tag("=all")]
        | Annotated[AnyCheck, Tag("=any")]
        | Annotated[NotCheck, Tag("=not")],
        Discriminator(
            _check_tag,
            custom_error_type="simsec_check_kind",
            custom_error_message="exactly one check among " + ", ".join(_CHECK_KINDS),
        ),
    ],
)
"""One check of a rubric criterion (exactly one kind, combinable with all/any/not)."""

AllCheck.model_rebuild()
AnyCheck.model_rebuild()
NotCheck.model_rebuild()


class Feedback(FormatModel):
    pass_: str | None = Field(default=None, alias="pass")
    fail: str | None = None


class Criterion(FormatModel):
    """A rubric criterion, tagged with a competence: automatic (``check``) or ``manual``."""

    id: Key
    label: str
    competency: CompetencyCode
    criterion: str | None = None
    """A performance criterion of the REAC, so that reports read like the jury's grid."""
    points: Annotated[Decimal, BeforeValidator(core_value), Field(ge=0, le=1000)]
    check: Check | None = None
    manual: Bool = False
    feedback: Feedback | None = None

    @model_validator(mode="after")
    def _check_or_manual(self) -> Criterion:
        if (self.check is None) != self.manual:
            raise PydanticCustomError("simsec_check_or_manual", "either check or manual: true")
        return self


# -------------------------------------------------------------------------- events


class EventBase(FormatModel):
    """Common fields: an ``id``, and ``at`` a time or ``when`` a matcher (+ ``delay``)."""

    id: Key
    at: ScenarioTime | None = None
    when: ActionMatcher | None = None
    delay: Duration | None = None

    @model_validator(mode="after")
    def _at_or_when(self) -> EventBase:
        if (self.at is None) == (self.when is None):
            raise PydanticCustomError("simsec_at_or_when", "either at or when")
        if self.delay is not None and self.when is None:
            raise PydanticCustomError("simsec_delay_without_when", "delay only with when")
        return self


class VisitorEvent(EventBase):
    kind: Literal["visitor"]
    person: PersonRef
    says: str | None = None
    task: str | None = None


class CallEvent(EventBase):
    kind: Literal["call"]
    person: PersonRef
    says: str | None = None
    task: str | None = None


class MessageEvent(EventBase):
    kind: Literal["message"]
    from_: str = Field(alias="from")
    """A practitioner or person key, or a free name ("Service des admissions")."""
    subject: str
    body: str
    patient: PatientKey | None = None
    task: str | None = None


class FaultEvent(EventBase):
    kind: Literal["fault"]
    service: Literal["insi", "adri"]
    mode: Literal["unavailable", "slow"]
    for_: Duration | None = Field(default=None, alias="for")
    """How long the fault lasts (default: until the end)."""


class NoteEvent(EventBase):
    kind: Literal["note"]
    text: str
    task: str | None = None


class DictationEvent(EventBase):
    """simsec addition: a dictated text to transcribe (its id is the ``task`` of
    ``submit_transcription`` and of the ``transcription`` check)."""

    kind: Literal["dictation"]
    text: str
    """The reference text."""
    from_: str | None = Field(default=None, alias="from")
    task: str | None = None


class QuestionEvent(EventBase):
    """simsec addition: a question to answer from the statistics (its id is the
    ``question`` of ``submit_answer`` and of the ``answer`` check)."""

    kind: Literal["question"]
    text: str
    from_: str | None = Field(default=None, alias="from")
    task: str | None = None


Event = Annotated[
    VisitorEvent
    | CallEvent
    | MessageEvent
    | FaultEvent
    | NoteEvent
    | DictationEvent
    | QuestionEvent,
    Field(discriminator="kind"),
]


# ----------------------------------------------------------------------- solutions


class Expect(FormatModel):
    """The expected result of a solution."""

    score: Annotated[NonNegInt, Field(le=100)] | None = None
    """Percent of automatic points, integer-rounded."""
    points: Annotated[Decimal, BeforeValidator(core_value), Field(ge=0)] | None = None
    passed: list[CriterionRef] = Field(default_factory=list)
    failed: list[CriterionRef] = Field(default_factory=list)


class Solution(FormatModel):
    """A reference action list that proves the scenario solvable and scored as intended."""

    id: Key
    label: str | None = None
    expect: Expect = Field(default_factory=Expect)
    actions: list[Action] = Field(min_length=1)


# --------------------------------------------------------------------------- top


class Scenario(FormatModel):
    """A scenario file (``format: simsec/scenario@1``)."""

    format: Literal["simsec/scenario@1"]
    id: Key
    title: str
    summary: str | None = None
    locale: Literal["fr-FR", "en-GB"] = "fr-FR"
    competencies: list[CompetencyCode] = Field(default_factory=list)
    difficulty: Annotated[Int, Field(ge=1, le=5)] = 1
    guidance: Literal["guided", "realistic"] = "guided"
    start: LocalDateTime
    duration: Duration
    debrief: Bool = True
    structure: Structure
    world: World = Field(default_factory=World)
    fixtures: Fixtures = Field(default_factory=Fixtures)
    people: list[Person] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    rubric: list[Criterion] = Field(default_factory=list)
    solutions: list[Solution] = Field(default_factory=list)


QUESTIONS: Final = literal_values(Question)

__all__ = [
    "DOCUMENT_FIELDS",
    "FORMAT",
    "MRZ_KINDS",
    "QUESTIONS",
    "ActionMatcher",
    "Check",
    "Criterion",
    "Document",
    "Event",
    "MatchValue",
    "PatientRef",
    "Person",
    "Scenario",
    "Solution",
]
