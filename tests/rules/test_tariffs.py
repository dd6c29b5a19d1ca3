"""The dated tariff data: validation of the file and the value in force at a date."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from simsec.rules.tariffs import (
    FranchiseKind,
    MoneyEntry,
    TariffDataError,
    TariffNotFound,
    Tariffs,
    Zone,
    default_tariffs,
    load_tariffs,
    parse_tariffs,
    value_at,
)


def _raw() -> dict[str, Any]:
    text = resources.files("simsec.data").joinpath("tariffs.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _parse(data: dict[str, Any]) -> Tariffs:
    return parse_tariffs(yaml.safe_dump(data, allow_unicode=True))


@pytest.fixture(scope="module")
def tariffs() -> Tariffs:
    return default_tariffs()


# --- values in force at a date -----------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "on", "expected"),
    [
        ("G", date(2023, 11, 30), "25.00"),
        ("G", date(2023, 12, 1), "26.50"),
        ("G", date(2024, 12, 21), "26.50"),
        ("G", date(2024, 12, 22), "30.00"),
        ("G", date(2026, 6, 1), "30.00"),
        ("GS", date(2024, 1, 10), "26.50"),
        ("VG", date(2025, 2, 1), "30.00"),
        ("C", date(2025, 2, 1), "23.00"),
        ("C", date(2015, 2, 1), "23.00"),
    ],
)
def test_act_tariff_in_force(tariffs: Tariffs, code: str, on: date, expected: str) -> None:
    assert tariffs.act(code, on).value == Decimal(expected)


def test_the_drom_tariff_of_g_is_a_separate_zone_entry(tariffs: Tariffs) -> None:
    assert tariffs.act("G", date(2025, 1, 6), Zone.DROM).value == Decimal("35.60")
    assert tariffs.act("G", date(2025, 1, 6), Zone.METROPOLE).value == Decimal("30.00")


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2005, 1, 1), "1.00"),
        (date(2023, 12, 15), "1.00"),
        (date(2024, 5, 14), "1.00"),
        (date(2024, 5, 15), "2.00"),
        (date(2026, 3, 1), "2.00"),
    ],
)
def test_participation_forfaitaire_by_date(tariffs: Tariffs, on: date, expected: str) -> None:
    assert tariffs.pf_amount(on).value == Decimal(expected)


def test_other_amounts(tariffs: Tariffs) -> None:
    on = date(2025, 6, 1)
    assert tariffs.pf_annual_ceiling(on).value == Decimal("50.00")
    assert tariffs.franchise(FranchiseKind.MEDICINE_BOX, on).value == Decimal("1.00")
    assert tariffs.franchise(FranchiseKind.PARAMEDICAL_ACT, on).value == Decimal("1.00")
    assert tariffs.franchise(FranchiseKind.TRANSPORT, on).value == Decimal("4.00")
    assert tariffs.franchise(FranchiseKind.TRANSPORT, date(2024, 3, 30)).value == Decimal("2.00")
    assert tariffs.franchise_annual_ceiling(on).value == Decimal("50.00")
    assert tariffs.forfait_journalier_amount(on).value == Decimal("20.00")
    assert tariffs.forfait_journalier_amount(on, psychiatrie=True).value == Decimal("15.00")


@pytest.mark.parametrize(
    ("regime", "hors_parcours", "expected"),
    [
        ("general", False, "0.70"),
        ("general", True, "0.30"),
        ("msa", False, "0.70"),
        ("ceam", False, "0.70"),
        ("alsace_moselle", False, "0.90"),
    ],
)
def test_amo_rates(tariffs: Tariffs, regime: str, hors_parcours: bool, expected: str) -> None:
    rate = tariffs.amo_rate(regime, date(2025, 1, 1), hors_parcours=hors_parcours)
    assert rate.value == Decimal(expected)


def test_age_thresholds(tariffs: Tariffs) -> None:
    assert tariffs.pf_minor_age(date(2025, 1, 1)).value == 18
    assert tariffs.no_majoration_age(date(2025, 1, 1)).value == 16


def test_an_age_must_be_an_integer() -> None:
    data = _raw()
    data["age_thresholds"]["no_majoration_under"][0]["value"] = "16"
    with pytest.raises(TariffDataError, match="no_majoration_under"):
        _parse(data)


def test_the_participation_applies_in_at_mp_by_default(tariffs: Tariffs) -> None:
    entry = tariffs.pf_applies_at_mp(date(2025, 1, 1))
    assert entry.value is True
    assert entry.mark == "B"


def test_c2s_participation_bands(tariffs: Tariffs) -> None:
    bands = tariffs.c2s_participation_bands("general", date(2025, 1, 1)).value
    assert [(b.from_age, b.amount) for b in bands] == [
        (0, Decimal("8.00")),
        (30, Decimal("14.00")),
        (50, Decimal("21.00")),
        (60, Decimal("25.00")),
        (70, Decimal("30.00")),
    ]
    local = tariffs.c2s_participation_bands("alsace_moselle", date(2025, 1, 1)).value
    assert local[0].amount == Decimal("2.80")


# --- errors ----------------------------------------------------------------------------


def test_a_date_before_any_value_is_a_clear_error(tariffs: Tariffs) -> None:
    with pytest.raises(TariffNotFound) as caught:
        tariffs.act("G", date(2016, 1, 1))
    error = caught.value
    assert error.key == "acts.G.metropole"
    assert error.first_valid_from == date(2017, 5, 1)
    assert "2016-01-01" in str(error)
    assert "2017-05-01" in str(error)
    with pytest.raises(TariffNotFound, match=r"participation_forfaitaire\.amount"):
        tariffs.pf_amount(date(2004, 12, 31))


def test_unknown_act_zone_or_regime_is_an_error(tariffs: Tariffs) -> None:
    with pytest.raises(TariffNotFound, match=r"acts\.XYZ"):
        tariffs.act("XYZ", date(2025, 1, 1))
    with pytest.raises(TariffNotFound) as caught:
        tariffs.act("VG", date(2025, 1, 1), Zone.DROM)
    assert caught.value.first_valid_from is None
    with pytest.raises(TariffNotFound, match="drom"):
        tariffs.act("G", date(2024, 12, 21), Zone.DROM)
    with pytest.raises(TariffNotFound, match=r"regimes\.martien"):
        tariffs.amo_rate("martien", date(2025, 1, 1))


def test_invalid_yaml_is_a_tariff_data_error() -> None:
    with pytest.raises(TariffDataError, match="not valid YAML"):
        parse_tariffs("acts: [unclosed", origin="broken.yaml")


def _first_g_entry(data: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = data["acts"]["G"]["zones"]["metropole"][0]
    return entry


def test_a_float_amount_is_rejected() -> None:
    data = _raw()
    _first_g_entry(data)["value"] = 25.0
    with pytest.raises(TariffDataError, match="quoted strings"):
        _parse(data)


@pytest.mark.parametrize("value", ["25.001", "-1.00", "abc"])
def test_an_amount_must_be_non_negative_cents(value: str) -> None:
    data = _raw()
    _first_g_entry(data)["value"] = value
    with pytest.raises(TariffDataError):
        _parse(data)


def test_a_rate_above_one_is_rejected() -> None:
    data = _raw()
    data["amo_rates"]["general"]["parcours"][0]["value"] = "70"
    with pytest.raises(TariffDataError, match="between 0 and 1"):
        _parse(data)


@pytest.mark.parametrize("missing", ["source", "mark", "valid_from"])
def test_each_value_needs_its_date_source_and_mark(missing: str) -> None:
    data = _raw()
    del _first_g_entry(data)[missing]
    with pytest.raises(TariffDataError, match=missing):
        _parse(data)


def test_a_bad_mark_is_rejected() -> None:
    data = _raw()
    _first_g_entry(data)["mark"] = "sure"
    with pytest.raises(TariffDataError, match="mark"):
        _parse(data)


def test_entries_must_be_in_date_order() -> None:
    data = _raw()
    series = data["acts"]["G"]["zones"]["metropole"]
    series.reverse()
    with pytest.raises(TariffDataError, match="increasing order"):
        _parse(data)
    data = _raw()
    series = data["acts"]["G"]["zones"]["metropole"]
    series.append(copy.deepcopy(series[-1]))
    with pytest.raises(TariffDataError, match="increasing order"):
        _parse(data)


def test_a_regime_must_use_a_known_rate_table() -> None:
    data = _raw()
    data["regimes"]["msa"] = "agricole"
    with pytest.raises(TariffDataError, match="agricole"):
        _parse(data)


def test_age_bands_must_start_at_zero_and_increase() -> None:
    data = _raw()
    data["c2s_participation"]["general"][0]["value"][0]["from_age"] = 1
    with pytest.raises(TariffDataError, match="age 0"):
        _parse(data)


def test_unknown_keys_are_rejected() -> None:
    data = _raw()
    data["participation_forfaitaire"]["amout"] = []
    with pytest.raises(TariffDataError, match="amout"):
        _parse(data)


def test_load_a_file_and_change_a_parameter(tmp_path: Path) -> None:
    data = _raw()
    data["participation_forfaitaire"]["applies_at_mp"][0]["value"] = False
    path = tmp_path / "tariffs.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = load_tariffs(path)
    assert loaded.pf_applies_at_mp(date(2025, 1, 1)).value is False
    assert loaded.act("G", date(2025, 1, 1)).value == Decimal("30.00")


def test_the_packaged_file_is_read_once() -> None:
    assert default_tariffs() is default_tariffs()


# --- the lookup itself -------------------------------------------------------------------


_SERIES = tuple(
    MoneyEntry(valid_from=d, value=Decimal(i), source="test", mark="B")
    for i, d in enumerate([date(2005, 1, 1), date(2011, 1, 1), date(2024, 5, 15)])
)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
def test_value_at_picks_the_latest_entry_not_after_the_date(on: date) -> None:
    started = [entry for entry in _SERIES if entry.valid_from <= on]
    if not started:
        with pytest.raises(TariffNotFound):
            value_at(_SERIES, on, "test")
        return
    entry = value_at(_SERIES, on, "test")
    assert entry == started[-1]
    later = [e for e in _SERIES if e.valid_from > entry.valid_from]
    assert all(e.valid_from > on for e in later)


def test_value_at_changes_exactly_on_valid_from() -> None:
    switch = _SERIES[2].valid_from
    assert value_at(_SERIES, switch - timedelta(days=1), "t").value == Decimal(1)
    assert value_at(_SERIES, switch, "t").value == Decimal(2)
