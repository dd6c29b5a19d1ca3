"""Dated regulation values: act tariffs, participations, AMO rates, C2S participations.

The values live in ``simsec/data/tariffs.yaml``, never in code. Each value is a list
of entries; an entry is in force from its ``valid_from`` until the next entry of the
same list, and records its source and a trust mark (``V`` verified, ``P`` partly
verified, ``B`` background knowledge; the marks of the project's domain reference).

:func:`default_tariffs` loads the packaged file once; :func:`parse_tariffs` and
:func:`load_tariffs` validate any other file (a scenario may ship its own). Lookups
take the date of care as an argument and raise :class:`TariffNotFound` for a date
before the first value, or for a key with no value at all.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal, TypeVar

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    model_validator,
)

PACKAGE = "simsec.data"
RESOURCE = "tariffs.yaml"
CENT = Decimal("0.01")

Mark = Literal["V", "P", "B"]


class Zone(StrEnum):
    """Where the care is given: act tariffs differ in the DROM (départements d'outre-mer)."""

    METROPOLE = "metropole"
    DROM = "drom"


class FranchiseKind(StrEnum):
    """The three franchises médicales of CSS L160-13 III."""

    MEDICINE_BOX = "medicine_box"
    PARAMEDICAL_ACT = "paramedical_act"
    TRANSPORT = "transport"


class TariffDataError(ValueError):
    """The tariff file is not valid YAML or does not match the expected shape."""


class TariffNotFound(LookupError):
    """No value for ``key`` is in force on ``on``.

    ``first_valid_from`` is the date of the first known value (``None`` when the key
    has no value at all, e.g. an unknown act code or an act not priced in a zone).
    """

    def __init__(
        self, key: str, on: date | None = None, first_valid_from: date | None = None
    ) -> None:
        self.key = key
        self.on = on
        self.first_valid_from = first_valid_from
        if on is None or first_valid_from is None:
            message = f"no tariff value for {key!r}"
        else:
            message = (
                f"no tariff value for {key!r} on {on.isoformat()}: "
                f"the first value is in force from {first_valid_from.isoformat()}"
            )
        super().__init__(message)


# --- value types -------------------------------------------------------------------


def _reject_float(value: object) -> object:
    """Amounts and rates must be written as strings: a YAML float is already inexact."""
    if isinstance(value, float):
        raise ValueError('write amounts and rates as quoted strings ("30.00"), not floats')
    if isinstance(value, bool):
        raise ValueError("a number is expected, not a boolean")
    return value


def _check_money(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError("an amount cannot be negative")
    if value != value.quantize(CENT):
        raise ValueError("an amount has at most two decimals (cents)")
    return value


def _check_rate(value: Decimal) -> Decimal:
    if not Decimal(0) <= value <= Decimal(1):
        raise ValueError("a rate is between 0 and 1 (0.70 for 70 %)")
    return value


Money = Annotated[Decimal, BeforeValidator(_reject_float), AfterValidator(_check_money)]
Rate = Annotated[Decimal, BeforeValidator(_reject_float), AfterValidator(_check_rate)]


class _Entry(BaseModel):
    """One dated value: in force from ``valid_from`` until the next entry of its list."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    valid_from: date
    source: str = Field(min_length=1)
    mark: Mark
    note: str | None = None


class MoneyEntry(_Entry):
    value: Money


class RateEntry(_Entry):
    value: Rate


class FlagEntry(_Entry):
    value: StrictBool


class AgeEntry(_Entry):
    value: StrictInt = Field(ge=0, le=130)


class AgeBand(BaseModel):
    """An amount for ages ``from_age`` and over (up to the next band)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    from_age: int = Field(ge=0)
    amount: Money


def _check_bands(bands: tuple[AgeBand, ...]) -> tuple[AgeBand, ...]:
    if not bands or bands[0].from_age != 0:
        raise ValueError("age bands start at age 0")
    ages = [band.from_age for band in bands]
    if ages != sorted(set(ages)):
        raise ValueError("age bands are in strictly increasing order of from_age")
    return bands


class BandsEntry(_Entry):
    value: Annotated[tuple[AgeBand, ...], AfterValidator(_check_bands)]


E = TypeVar("E", bound=_Entry)


def _check_series(entries: tuple[E, ...]) -> tuple[E, ...]:
    if not entries:
        raise ValueError("a dated list needs at least one entry")
    dates = [entry.valid_from for entry in entries]
    if dates != sorted(set(dates)):
        raise ValueError("entries are in strictly increasing order of valid_from")
    return entries


MoneySeries = Annotated[tuple[MoneyEntry, ...], AfterValidator(_check_series)]
RateSeries = Annotated[tuple[RateEntry, ...], AfterValidator(_check_series)]
FlagSeries = Annotated[tuple[FlagEntry, ...], AfterValidator(_check_series)]
AgeSeries = Annotated[tuple[AgeEntry, ...], AfterValidator(_check_series)]
BandsSeries = Annotated[tuple[BandsEntry, ...], AfterValidator(_check_series)]


def value_at(entries: Sequence[E], on: date, key: str) -> E:
    """The entry of ``entries`` (sorted by ``valid_from``) in force on ``on``."""
    index = bisect.bisect_right([entry.valid_from for entry in entries], on)
    if index == 0:
        raise TariffNotFound(key, on, entries[0].valid_from if entries else None)
    return entries[index - 1]


# --- sections of the file -------------------------------------------------------------


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Act(_Section):
    """An NGAP act code and its tariff (base de remboursement) by zone."""

    label: str = Field(min_length=1)
    zones: dict[Zone, MoneySeries]


class ParticipationForfaitaire(_Section):
    """CSS L160-13 II: amount per act, annual ceiling, and the AT/MP parameter."""

    amount: MoneySeries
    annual_ceiling: MoneySeries
    applies_at_mp: FlagSeries


class Franchises(_Section):
    """CSS L160-13 III: franchises médicales and their annual ceiling."""

    medicine_box: MoneySeries
    paramedical_act: MoneySeries
    transport: MoneySeries
    annual_ceiling: MoneySeries


class ForfaitJournalier(_Section):
    """CSS L174-4: forfait journalier hospitalier."""

    general: MoneySeries
    psychiatrie: MoneySeries


class AgeThresholds(_Section):
    """Ages the law uses: participation of minors (L160-15, R160-20), majoration (L162-5-3)."""

    participation_minor_under: AgeSeries
    no_majoration_under: AgeSeries


class RateTable(_Section):
    """AMO rates for doctors' fees, in and outside the parcours de soins."""

    parcours: RateSeries
    hors_parcours: RateSeries


class Tariffs(_Section):
    """The whole tariff file, validated. Lookups take the date of care."""

    schema_version: Literal[1]
    acts: dict[str, Act]
    participation_forfaitaire: ParticipationForfaitaire
    franchises: Franchises
    forfait_journalier: ForfaitJournalier
    age_thresholds: AgeThresholds
    regimes: dict[str, str]
    amo_rates: dict[str, RateTable]
    c2s_participation: dict[str, BandsSeries]

    @model_validator(mode="after")
    def _tables_exist(self) -> Tariffs:
        for regime, table in self.regimes.items():
            if table not in self.amo_rates:
                raise ValueError(f"régime {regime!r} uses the unknown rate table {table!r}")
        for table in self.c2s_participation:
            if table not in self.amo_rates:
                raise ValueError(f"C2S participations for the unknown rate table {table!r}")
        return self

    # -- acts ---------------------------------------------------------------------------

    def act(self, code: str, on: date, zone: Zone = Zone.METROPOLE) -> MoneyEntry:
        """The tariff of act ``code`` in ``zone`` on ``on``."""
        key = f"acts.{code}.{zone.value}"
        act = self.acts.get(code)
        if act is None or zone not in act.zones:
            raise TariffNotFound(key, on, None)
        return value_at(act.zones[zone], on, key)

    # -- participation forfaitaire and franchises ---------------------------------------

    def pf_amount(self, on: date) -> MoneyEntry:
        """The participation forfaitaire per act (CSS L160-13 II)."""
        pf = self.participation_forfaitaire
        return value_at(pf.amount, on, "participation_forfaitaire.amount")

    def pf_annual_ceiling(self, on: date) -> MoneyEntry:
        """The yearly ceiling of participations forfaitaires per person (CSS L160-13 II)."""
        pf = self.participation_forfaitaire
        return value_at(pf.annual_ceiling, on, "participation_forfaitaire.annual_ceiling")

    def pf_applies_at_mp(self, on: date) -> FlagEntry:
        """Whether the participation is charged on care linked to an AT/MP (a parameter)."""
        pf = self.participation_forfaitaire
        return value_at(pf.applies_at_mp, on, "participation_forfaitaire.applies_at_mp")

    def franchise(self, kind: FranchiseKind, on: date) -> MoneyEntry:
        """A franchise médicale (CSS L160-13 III); not applied to consultations."""
        series: MoneySeries = getattr(self.franchises, kind.value)
        return value_at(series, on, f"franchises.{kind.value}")

    def franchise_annual_ceiling(self, on: date) -> MoneyEntry:
        return value_at(self.franchises.annual_ceiling, on, "franchises.annual_ceiling")

    def forfait_journalier_amount(self, on: date, *, psychiatrie: bool = False) -> MoneyEntry:
        """The forfait journalier hospitalier (CSS L174-4), general or in psychiatry."""
        name = "psychiatrie" if psychiatrie else "general"
        series: MoneySeries = getattr(self.forfait_journalier, name)
        return value_at(series, on, f"forfait_journalier.{name}")

    # -- ages ---------------------------------------------------------------------------

    def pf_minor_age(self, on: date) -> AgeEntry:
        """Under this age on 1 January of the year of care, no participation (R160-20)."""
        series = self.age_thresholds.participation_minor_under
        return value_at(series, on, "age_thresholds.participation_minor_under")

    def no_majoration_age(self, on: date) -> AgeEntry:
        """Under this age on the date of care, no out-of-parcours majoration (L162-5-3)."""
        series = self.age_thresholds.no_majoration_under
        return value_at(series, on, "age_thresholds.no_majoration_under")

    # -- AMO rates and C2S ----------------------------------------------------------------

    def rate_table_for(self, regime: str) -> str:
        """The name of the rate table a régime uses (``general``, ``alsace_moselle``...)."""
        table = self.regimes.get(regime)
        if table is None:
            raise TariffNotFound(f"regimes.{regime}")
        return table

    def amo_rate(self, regime: str, on: date, *, hors_parcours: bool = False) -> RateEntry:
        """The AMO rate for doctors' fees of ``regime`` on ``on``."""
        table_name = self.rate_table_for(regime)
        table = self.amo_rates[table_name]
        name = "hors_parcours" if hors_parcours else "parcours"
        series: RateSeries = getattr(table, name)
        return value_at(series, on, f"amo_rates.{table_name}.{name}")

    def c2s_participation_bands(self, regime: str, on: date) -> BandsEntry:
        """The C2S monthly participation bands that apply to ``regime`` on ``on``."""
        table_name = self.rate_table_for(regime)
        key = f"c2s_participation.{table_name}"
        series = self.c2s_participation.get(table_name)
        if series is None:
            raise TariffNotFound(key, on, None)
        return value_at(series, on, key)


# --- loading -----------------------------------------------------------------------------


def parse_tariffs(text: str, origin: str = "<tariffs>") -> Tariffs:
    """Validate the YAML ``text`` of a tariff file. ``origin`` names it in errors."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise TariffDataError(f"{origin}: not valid YAML: {error}") from error
    try:
        return Tariffs.model_validate(raw)
    except ValidationError as error:
        raise TariffDataError(f"{origin}: invalid tariff data:\n{error}") from error


def load_tariffs(path: Path) -> Tariffs:
    """Read and validate the tariff file at ``path``."""
    return parse_tariffs(path.read_text(encoding="utf-8"), origin=str(path))


@functools.cache
def default_tariffs() -> Tariffs:
    """The tariffs packaged with simsec (read once)."""
    text = resources.files(PACKAGE).joinpath(RESOURCE).read_text(encoding="utf-8")
    return parse_tariffs(text, origin=f"{PACKAGE}/{RESOURCE}")
