"""Coverage rules: rights at a date, the split of a fee, tiers payant, C2S participation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simsec.rules.coverage import (
    AmcContract,
    AmcStatus,
    AmoRights,
    Exemption,
    FeeCase,
    LineCode,
    NoteCode,
    Parcours,
    Payer,
    Proof,
    Regime,
    RightsStatus,
    Secteur,
    TiersPayant,
    TiersPayantIssue,
    age_on,
    amc_valid,
    c2s_monthly_participation,
    check_amc,
    check_rights,
    check_tiers_payant,
    compulsory_tiers_payant,
    exempt_from_participation_as_minor,
    exemption_set,
    is_ceam,
    required_proofs,
    rights_open,
    split_fee,
    tariff_for_acts,
)
from simsec.rules.tariffs import FlagEntry, TariffNotFound, Zone, default_tariffs
from simsec.texts import coverage as texts

TARIFFS = default_tariffs()
ON_2025 = date(2025, 3, 3)
ADULT = date(1985, 4, 12)
CHILD_8 = date(2016, 6, 1)
ZERO = Decimal("0.00")
MUTUELLE = AmcContract(
    organisme="Mutuelle des Tilleuls",
    contract="MT-558812",
    valid_until=date(2026, 12, 31),
    tiers_payant=True,
)


def D(text: str) -> Decimal:
    return Decimal(text)


# --- the worked examples of couverture.md and reference.md 4.5 --------------------------


@dataclass(frozen=True)
class Example:
    """A worked example; ``expected`` lists, in euros: AMO, AMC, participation forfaitaire,
    reste à charge, then paid at the desk with tiers payant none, AMO, AMO + AMC."""

    name: str
    case: FeeCase
    expected: str


def _g(**fields: Any) -> FeeCase:
    """A G consultation on 2025-03-03 (G = 30.00 EUR, secteur 1)."""
    tariff = tariff_for_acts(TARIFFS, ["G"], ON_2025)
    assert tariff == D("30.00")
    return replace(FeeCase(on=ON_2025, birth_date=ADULT, tariff=tariff), **fields)


EXAMPLES = [
    Example(
        "1 adult, parcours, mutuelle",
        _g(amc=MUTUELLE),
        "19.00 9.00 2.00 2.00 30.00 9.00 0.00",
    ),
    Example("2 same, no mutuelle", _g(), "19.00 0.00 2.00 11.00 30.00 9.00 9.00"),
    Example(
        "3 outside the parcours, contrat responsable",
        _g(amc=MUTUELLE, parcours=Parcours.OUT),
        "7.00 9.00 2.00 14.00 30.00 21.00 12.00",
    ),
    Example(
        "4 ALD, linked care",
        _g(exemptions=frozenset({Exemption.ALD})),
        "28.00 0.00 2.00 2.00 30.00 0.00 0.00",
    ),
    Example(
        "5 maternité, 7th month",
        _g(exemptions=frozenset({Exemption.MATERNITE})),
        "30.00 0.00 0.00 0.00 30.00 0.00 0.00",
    ),
    Example(
        "6 C2S", _g(exemptions=frozenset({Exemption.C2S})), "21.00 9.00 0.00 0.00 30.00 9.00 0.00"
    ),
    Example(
        "7 child of 8, mutuelle",
        _g(birth_date=CHILD_8, amc=MUTUELLE),
        "21.00 9.00 0.00 0.00 30.00 9.00 0.00",
    ),
    Example(
        "8 AME", _g(exemptions=frozenset({Exemption.AME})), "30.00 0.00 0.00 0.00 30.00 0.00 0.00"
    ),
    Example(
        "4.5 secteur 2 non-OPTAM, fee 40, base 23, X = 0",
        FeeCase(
            on=ON_2025,
            birth_date=ADULT,
            tariff=tariff_for_acts(TARIFFS, ["C"], ON_2025),
            fee=D("40.00"),
            secteur=Secteur.SECTEUR_2,
            amc=MUTUELLE,
        ),
        "14.10 6.90 2.00 19.00 40.00 23.90 17.00",
    ),
    Example(
        "4.5 secteur 2 non-OPTAM, fee 40, base 23, X = 10",
        FeeCase(
            on=ON_2025,
            birth_date=ADULT,
            tariff=D("23.00"),
            fee=D("40.00"),
            secteur=Secteur.SECTEUR_2,
            amc=AmcContract(organisme="M", tiers_payant=True, depassement_cover=D("10.00")),
        ),
        "14.10 16.90 2.00 9.00 40.00 23.90 7.00",
    ),
]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_worked_examples_to_the_cent(example: Example) -> None:
    amo, amc, participation, reste, desk_none, desk_amo, desk_amo_amc = map(
        Decimal, example.expected.split()
    )
    split = split_fee(example.case, TARIFFS)
    assert split.amo == amo
    assert split.amc == amc
    assert split.participation == participation
    assert split.reste_a_charge == reste
    assert split.paid_at_desk(TiersPayant.NONE) == desk_none
    assert split.paid_at_desk(TiersPayant.AMO) == desk_amo
    assert split.paid_at_desk(TiersPayant.AMO_AMC) == desk_amo_amc
    assert sum(line.amount for line in split.lines()) == split.fee
    assert split.amo + split.amc + split.reste_a_charge == split.fee


def test_out_of_parcours_majoration_stays_with_the_patient() -> None:
    split = split_fee(_g(amc=MUTUELLE, parcours=Parcours.OUT), TARIFFS)
    assert split.amo_rate == D("0.30")
    assert split.majoration == D("12.00")
    assert split.ticket_moderateur == D("0.00")
    assert NoteCode.OUT_OF_PARCOURS_MAJORATION in split.notes


def test_payers_of_the_lines() -> None:
    ame = split_fee(_g(exemptions=frozenset({Exemption.AME})), TARIFFS)
    assert ame.amo_payer is Payer.ETAT
    c2s = split_fee(_g(exemptions=frozenset({Exemption.C2S})), TARIFFS)
    assert c2s.amc_payer is Payer.C2S
    lines = split_fee(_g(amc=MUTUELLE), TARIFFS).lines()
    assert [line.code for line in lines] == list(LineCode)
    assert [line.payer for line in lines] == [Payer.AMO, Payer.AMC] + [Payer.PATIENT] * 4


# --- amounts by date ------------------------------------------------------------------


def test_a_scenario_dated_2023_uses_26_50_and_pf_1() -> None:
    on = date(2023, 12, 15)
    tariff = tariff_for_acts(TARIFFS, ["G"], on)
    assert tariff == D("26.50")
    split = split_fee(FeeCase(on=on, birth_date=ADULT, tariff=tariff, amc=MUTUELLE), TARIFFS)
    assert split.participation == D("1.00")
    assert split.amo_gross == D("18.55")
    assert split.amo == D("17.55")
    assert split.amc == D("7.95")
    assert split.reste_a_charge == D("1.00")


def test_a_scenario_dated_2025_uses_30_and_pf_2() -> None:
    on = date(2025, 9, 1)
    tariff = tariff_for_acts(TARIFFS, ["G"], on)
    assert tariff == D("30.00")
    split = split_fee(FeeCase(on=on, birth_date=ADULT, tariff=tariff), TARIFFS)
    assert split.participation == D("2.00")
    assert split.amo == D("19.00")


def test_tariff_for_acts_sums_and_knows_zones() -> None:
    assert tariff_for_acts(TARIFFS, ["G", "VG"], ON_2025) == D("60.00")
    assert tariff_for_acts(TARIFFS, [], ON_2025) == D("0.00")
    assert tariff_for_acts(TARIFFS, ["G"], ON_2025, Zone.DROM) == D("35.60")
    with pytest.raises(TariffNotFound):
        tariff_for_acts(TARIFFS, ["G"], date(2010, 1, 1))


def test_a_split_before_the_first_rate_is_a_clear_error() -> None:
    case = FeeCase(on=date(2004, 6, 1), birth_date=ADULT, tariff=D("20.00"))
    with pytest.raises(TariffNotFound, match="first value is in force from 2005-01-01"):
        split_fee(case, TARIFFS)


# --- régimes, ages, parcours --------------------------------------------------------------


def test_alsace_moselle_rate() -> None:
    split = split_fee(_g(regime=Regime.ALSACE_MOSELLE, amc=MUTUELLE), TARIFFS)
    assert split.amo_gross == D("27.00")
    assert split.amo == D("25.00")
    assert split.amc == D("3.00")
    assert split.reste_a_charge == D("2.00")


def test_ceam_holder_is_billed_like_a_local() -> None:
    assert split_fee(_g(regime=Regime.CEAM), TARIFFS) == split_fee(_g(), TARIFFS)


def test_rounding_is_half_up_to_the_cent() -> None:
    # 0.70 x 23.15 = 16.205 -> 16.21 (half-even would give 16.20)
    split = split_fee(_g(tariff=D("23.15")), TARIFFS)
    assert split.amo_gross == D("16.21")
    assert split.ticket_moderateur == D("6.94")
    # 0.30 x 0.15 = 0.045 -> 0.05 (half-even would give 0.04)
    small = split_fee(_g(tariff=D("0.15"), parcours=Parcours.OUT), TARIFFS)
    assert small.amo_gross == D("0.05")


@pytest.mark.parametrize(
    ("birth_date", "on", "exempt"),
    [
        (date(2007, 6, 1), date(2025, 9, 1), True),  # 18 in June, 17 on 1 January
        (date(2007, 6, 1), date(2026, 1, 2), False),
        (date(2008, 1, 1), date(2026, 1, 1), False),  # 18 exactly on 1 January
        (date(2008, 1, 2), date(2026, 1, 1), True),
        (date(2025, 6, 1), date(2025, 7, 1), True),  # born during the year
    ],
)
def test_minor_exemption_uses_age_on_1_january(birth_date: date, on: date, exempt: bool) -> None:
    assert exempt_from_participation_as_minor(TARIFFS, birth_date, on) is exempt
    split = split_fee(FeeCase(on=on, birth_date=birth_date, tariff=D("30.00")), TARIFFS)
    assert (split.participation == 0) is exempt
    assert (NoteCode.PARTICIPATION_EXEMPT_MINOR in split.notes) is exempt


@pytest.mark.parametrize(
    ("birth_date", "rate", "note"),
    [
        (date(2010, 3, 4), "0.70", True),  # 14 years old: no majoration
        (date(2009, 3, 3), "0.30", False),  # 16 on the day of care
        (date(2009, 3, 4), "0.70", True),  # 16 tomorrow
    ],
)
def test_no_majoration_under_16(birth_date: date, rate: str, note: bool) -> None:
    split = split_fee(_g(birth_date=birth_date, parcours=Parcours.OUT), TARIFFS)
    assert split.amo_rate == D(rate)
    assert (NoteCode.NO_MAJORATION_UNDER_16 in split.notes) is note


@pytest.mark.parametrize(
    "parcours", [Parcours.IN, Parcours.DIRECT_ACCESS, Parcours.EMERGENCY, Parcours.AWAY_FROM_HOME]
)
def test_no_majoration_in_the_parcours_or_its_exceptions(parcours: Parcours) -> None:
    split = split_fee(_g(parcours=parcours), TARIFFS)
    assert split.amo_rate == D("0.70")
    assert split.majoration == 0


def test_age_on_handles_birthdays_and_29_february() -> None:
    assert age_on(date(2000, 2, 29), date(2025, 2, 28)) == 24
    assert age_on(date(2000, 2, 29), date(2025, 3, 1)) == 25
    assert age_on(date(2000, 5, 10), date(2000, 5, 10)) == 0
    with pytest.raises(ValueError, match="before the birth date"):
        age_on(date(2000, 5, 10), date(2000, 5, 9))


# --- exemptions ------------------------------------------------------------------------


def test_exemption_sets_from_the_rights() -> None:
    assert exemption_set(["none"]) == frozenset()
    assert exemption_set(["ald", Exemption.C2S]) == {Exemption.ALD, Exemption.C2S}
    rights = AmoRights(regime=Regime.GENERAL, exemption=Exemption.ALD, c2s=True)
    assert rights.exemptions == {Exemption.ALD, Exemption.C2S}
    assert AmoRights(regime=Regime.GENERAL, ame=True).exemptions == {Exemption.AME}
    assert AmoRights(regime=Regime.GENERAL).exemptions == frozenset()
    assert _g(exemptions=frozenset({Exemption.NONE})).exemptions == frozenset()


def test_c2s_with_ald_linked_care() -> None:
    both = frozenset({Exemption.C2S, Exemption.ALD})
    linked = split_fee(_g(exemptions=both), TARIFFS)
    assert (linked.amo, linked.amc, linked.participation) == (D("30.00"), D("0.00"), D("0.00"))
    assert linked.reste_a_charge == 0
    assert linked.compulsory_tiers_payant is TiersPayant.AMO_AMC
    unlinked = split_fee(_g(exemptions=both, care_linked=False), TARIFFS)
    assert (unlinked.amo, unlinked.amc, unlinked.participation) == (D("21.00"), D("9.00"), ZERO)
    assert unlinked.amc_payer is Payer.C2S
    assert unlinked.exemptions == {Exemption.C2S}


def test_maternite_with_ald_is_full_and_exempt() -> None:
    split = split_fee(_g(exemptions=frozenset({Exemption.MATERNITE, Exemption.ALD})), TARIFFS)
    assert (split.amo, split.participation, split.reste_a_charge) == (D("30.00"), ZERO, ZERO)


def test_ald_care_not_linked_is_billed_at_the_normal_rate() -> None:
    split = split_fee(_g(exemptions=frozenset({Exemption.ALD}), care_linked=False), TARIFFS)
    assert split.amo == D("19.00")
    assert split.exemptions == frozenset()
    assert split.compulsory_tiers_payant is TiersPayant.NONE
    assert NoteCode.EXEMPTION_CARE_NOT_LINKED in split.notes


def test_at_mp_linked_care_is_full_and_the_participation_is_a_parameter() -> None:
    charged = split_fee(_g(exemptions=frozenset({Exemption.AT_MP})), TARIFFS)
    assert charged.amo_gross == D("30.00")
    assert charged.participation == D("2.00")
    assert charged.compulsory_tiers_payant is TiersPayant.AMO

    flag = TARIFFS.participation_forfaitaire.applies_at_mp[0]
    exempt_flag = FlagEntry(valid_from=flag.valid_from, value=False, source="test", mark="B")
    section = TARIFFS.participation_forfaitaire.model_copy(update={"applies_at_mp": (exempt_flag,)})
    tariffs = TARIFFS.model_copy(update={"participation_forfaitaire": section})
    exempt = split_fee(_g(exemptions=frozenset({Exemption.AT_MP})), tariffs)
    assert exempt.participation == 0
    assert exempt.amo == D("30.00")
    assert NoteCode.PARTICIPATION_EXEMPT_AT_MP in exempt.notes


def test_annual_ceiling_of_participations() -> None:
    almost = split_fee(_g(participations_this_year=D("49.00")), TARIFFS)
    assert almost.participation == D("1.00")
    assert NoteCode.PARTICIPATION_CEILING_REACHED in almost.notes
    reached = split_fee(_g(participations_this_year=D("50.00")), TARIFFS)
    assert reached.participation == 0
    assert reached.amo == D("21.00")
    below = split_fee(_g(participations_this_year=D("48.00")), TARIFFS)
    assert below.participation == D("2.00")
    assert NoteCode.PARTICIPATION_CEILING_REACHED not in below.notes


def test_participation_never_exceeds_the_reimbursement() -> None:
    split = split_fee(_g(tariff=D("1.00")), TARIFFS)
    assert split.amo_gross == D("0.70")
    assert split.participation == D("0.70")
    assert split.amo == 0
    assert NoteCode.PARTICIPATION_LIMITED_TO_REIMBURSEMENT in split.notes


def test_c2s_replaces_the_recorded_contract_and_forbids_depassements() -> None:
    split = split_fee(
        _g(exemptions=frozenset({Exemption.C2S}), amc=MUTUELLE, fee=D("35.00")), TARIFFS
    )
    assert split.amc == D("9.00")
    assert split.depassement_patient == D("5.00")
    assert NoteCode.AMC_IGNORED_C2S in split.notes
    assert NoteCode.DEPASSEMENT_NOT_ALLOWED_C2S in split.notes
    assert NoteCode.DEPASSEMENT_SECTEUR_1 in split.notes


def test_ame_covers_only_the_tariff() -> None:
    split = split_fee(_g(exemptions=frozenset({Exemption.AME}), fee=D("35.00")), TARIFFS)
    assert split.amo == D("30.00")
    assert split.reste_a_charge == D("5.00")
    assert NoteCode.DEPASSEMENT_NOT_COVERED_AME in split.notes


def test_a_contract_not_valid_on_the_date_is_ignored() -> None:
    expired = AmcContract(organisme="M", valid_until=date(2024, 12, 31), tiers_payant=True)
    split = split_fee(_g(amc=expired), TARIFFS)
    assert split.amc == 0
    assert split.reste_a_charge == D("11.00")
    assert NoteCode.AMC_NOT_VALID in split.notes


def test_a_contract_that_does_not_cover_the_ticket_moderateur() -> None:
    bare = AmcContract(organisme="M", responsable=False, covers_ticket_moderateur=False)
    split = split_fee(_g(amc=bare), TARIFFS)
    assert split.amc == 0
    assert split.ticket_moderateur == D("9.00")


def test_only_a_non_responsable_contract_covers_the_majoration() -> None:
    with pytest.raises(ValueError, match="contrat responsable"):
        AmcContract(organisme="M", covers_majoration=True)
    generous = AmcContract(organisme="M", responsable=False, covers_majoration=True)
    split = split_fee(_g(amc=generous, parcours=Parcours.OUT), TARIFFS)
    assert split.amc == D("21.00")
    assert split.reste_a_charge == D("2.00")


def test_fee_below_the_tariff_limits_the_base() -> None:
    split = split_fee(_g(fee=D("20.00")), TARIFFS)
    assert split.base == D("20.00")
    assert split.amo_gross == D("14.00")
    assert split.depassement == 0
    assert NoteCode.FEE_BELOW_TARIFF in split.notes


@pytest.mark.parametrize(
    "fields",
    [
        {"tariff": D("30.001")},
        {"tariff": D("-1.00")},
        {"fee": D("NaN")},
        {"birth_date": date(2026, 1, 1)},
    ],
)
def test_invalid_cases_are_rejected(fields: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        _g(**fields)


# --- rights and contracts at a date -----------------------------------------------------


def test_rights_open_inclusive_bounds() -> None:
    amo = AmoRights(
        regime=Regime.GENERAL,
        caisse="CPAM du Rhône",
        rights_from=date(2026, 1, 1),
        rights_until=date(2027, 1, 31),
        exemption=Exemption.ALD,
    )
    assert check_rights(amo, date(2025, 12, 31)) is RightsStatus.NOT_YET_OPEN
    assert rights_open(amo, date(2026, 1, 1))
    assert rights_open(amo, date(2027, 1, 31))
    assert check_rights(amo, date(2027, 2, 1)) is RightsStatus.EXPIRED
    assert not rights_open(amo, date(2027, 2, 1))
    assert check_rights(None, date(2026, 1, 1)) is RightsStatus.MISSING
    open_ended = AmoRights(regime=Regime.MSA, rights_until=date(2026, 1, 31))
    assert rights_open(open_ended, date(1990, 1, 1))


def test_amc_valid_at_a_date() -> None:
    amc = AmcContract(organisme="M", valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31))
    assert check_amc(amc, date(2024, 12, 31)) is AmcStatus.NOT_YET_VALID
    assert amc_valid(amc, date(2025, 1, 1))
    assert amc_valid(amc, date(2025, 12, 31))
    assert check_amc(amc, date(2026, 1, 1)) is AmcStatus.EXPIRED
    assert check_amc(None, date(2026, 1, 1)) is AmcStatus.MISSING


def test_required_proofs() -> None:
    ceam = AmoRights(regime=Regime.CEAM, rights_until=date(2027, 1, 1))
    assert is_ceam(ceam)
    assert not is_ceam(None)
    assert [r.any_of for r in required_proofs(ceam)] == [
        (Proof.CEAM, Proof.CERTIFICAT_PROVISOIRE_CEAM),
        (Proof.PIECE_IDENTITE,),
    ]
    ame = required_proofs(AmoRights(regime=Regime.GENERAL, exemption=Exemption.AME))
    assert all(Proof.CARTE_VITALE not in r.any_of for r in ame)
    at_mp = AmoRights(regime=Regime.GENERAL, exemption=Exemption.AT_MP)
    assert (Proof.FEUILLE_ACCIDENT,) in [r.any_of for r in required_proofs(at_mp)]
    assert (Proof.FEUILLE_ACCIDENT,) not in [
        r.any_of for r in required_proofs(at_mp, care_linked=False)
    ]
    plain = required_proofs(AmoRights(regime=Regime.GENERAL))
    assert [r.any_of for r in plain] == [(Proof.CARTE_VITALE, Proof.ATTESTATION_DROITS, Proof.ADRI)]


# --- tiers payant -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exemption", "linked", "expected"),
    [
        (Exemption.NONE, True, TiersPayant.NONE),
        (Exemption.C2S, True, TiersPayant.AMO_AMC),
        (Exemption.AME, True, TiersPayant.AMO_AMC),
        (Exemption.ALD, True, TiersPayant.AMO),
        (Exemption.ALD, False, TiersPayant.NONE),
        (Exemption.MATERNITE, False, TiersPayant.AMO),
        (Exemption.AT_MP, True, TiersPayant.AMO),
        (Exemption.AT_MP, False, TiersPayant.NONE),
    ],
)
def test_compulsory_tiers_payant(exemption: Exemption, linked: bool, expected: TiersPayant) -> None:
    assert compulsory_tiers_payant({exemption}, care_linked=linked) is expected


def test_check_tiers_payant() -> None:
    assert check_tiers_payant(TiersPayant.AMO_AMC, _g(amc=MUTUELLE)) == ()
    assert check_tiers_payant(TiersPayant.AMO_AMC, _g()) == (TiersPayantIssue.AMC_UNAVAILABLE,)
    no_tp = AmcContract(organisme="M", tiers_payant=False)
    assert check_tiers_payant(TiersPayant.AMO_AMC, _g(amc=no_tp)) == (
        TiersPayantIssue.AMC_UNAVAILABLE,
    )
    c2s = _g(exemptions=frozenset({Exemption.C2S}))
    assert check_tiers_payant(TiersPayant.AMO_AMC, c2s) == ()
    assert check_tiers_payant(TiersPayant.AMO, c2s) == (TiersPayantIssue.BELOW_COMPULSORY,)
    assert check_tiers_payant(TiersPayant.NONE, _g(exemptions=frozenset({Exemption.ALD}))) == (
        TiersPayantIssue.BELOW_COMPULSORY,
    )
    assert check_tiers_payant(TiersPayant.NONE, _g()) == ()


# --- C2S participation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "regime", "expected"),
    [
        (date(1995, 1, 1), Regime.GENERAL, "14.00"),  # 30 on 1 January 2025
        (date(1995, 1, 2), Regime.GENERAL, "8.00"),  # 29 on 1 January, 30 the next day
        (date(1974, 6, 1), Regime.GENERAL, "21.00"),  # 50 on 1 January
        (date(1960, 6, 1), Regime.GENERAL, "25.00"),
        (date(1950, 6, 1), Regime.MSA, "30.00"),
        (date(1950, 6, 1), Regime.ALSACE_MOSELLE, "10.50"),
        (date(2025, 2, 1), Regime.GENERAL, "8.00"),  # born during the year
    ],
)
def test_c2s_monthly_participation(birth_date: date, regime: Regime, expected: str) -> None:
    amount = c2s_monthly_participation(TARIFFS, regime, birth_date, date(2025, 3, 1))
    assert amount == D(expected)


# --- data and texts cover every code ------------------------------------------------------


def test_every_regime_has_a_rate_table() -> None:
    for regime in Regime:
        assert TARIFFS.amo_rate(regime.value, ON_2025).value > 0


@pytest.mark.parametrize(
    ("mapping", "enum"),
    [
        (texts.REGIMES, Regime),
        (texts.EXEMPTIONS, Exemption),
        (texts.PARCOURS, Parcours),
        (texts.SECTEURS, Secteur),
        (texts.TIERS_PAYANT, TiersPayant),
        (texts.PAYERS, Payer),
        (texts.LINES, LineCode),
        (texts.NOTES, NoteCode),
        (texts.RIGHTS, RightsStatus),
        (texts.AMC, AmcStatus),
        (texts.PROOFS, Proof),
        (texts.TIERS_PAYANT_ISSUES, TiersPayantIssue),
    ],
)
def test_every_code_has_a_french_text(mapping: dict[StrEnum, str], enum: type[StrEnum]) -> None:
    assert set(mapping) == set(enum)
    assert all(text.strip() for text in mapping.values())


def test_text_functions_and_tariff_error_text() -> None:
    assert texts.line_label(LineCode.PARTICIPATION) == "Participation forfaitaire"
    assert texts.note_text(NoteCode.NO_MAJORATION_UNDER_16).startswith("Patient de moins de 16")
    with pytest.raises(TariffNotFound) as caught:
        TARIFFS.act("G", date(2016, 1, 1))
    text = texts.tariff_error_text(caught.value)
    assert "acts.G.metropole" in text
    assert "1 mai 2017" in text
    with pytest.raises(TariffNotFound) as unknown:
        TARIFFS.act("ZZ", ON_2025)
    assert texts.tariff_error_text(unknown.value) == (
        "Aucune valeur réglementaire connue pour « acts.ZZ.metropole »."
    )


# --- properties --------------------------------------------------------------------------

cents = st.integers(min_value=0, max_value=100_000).map(lambda c: Decimal(c).scaleb(-2))


@st.composite
def amc_contracts(draw: st.DrawFn) -> AmcContract | None:
    if draw(st.booleans()):
        return None
    responsable = draw(st.booleans())
    return AmcContract(
        organisme="M",
        valid_from=draw(st.none() | st.dates(date(2015, 1, 1), date(2027, 12, 31))),
        valid_until=draw(st.none() | st.dates(date(2015, 1, 1), date(2027, 12, 31))),
        tiers_payant=draw(st.booleans()),
        responsable=responsable,
        covers_ticket_moderateur=draw(st.booleans()),
        covers_majoration=False if responsable else draw(st.booleans()),
        depassement_cover=draw(cents),
    )


@st.composite
def fee_cases(draw: st.DrawFn) -> FeeCase:
    on = draw(st.dates(date(2017, 5, 1), date(2027, 12, 31)))
    birth_date = on - timedelta(days=draw(st.integers(0, 100 * 366)))
    tariff = draw(cents)
    fee = draw(st.none() | cents | cents.map(lambda extra: tariff + extra))
    return FeeCase(
        on=on,
        birth_date=birth_date,
        tariff=tariff,
        fee=fee,
        regime=draw(st.sampled_from(Regime)),
        exemptions=draw(st.frozensets(st.sampled_from(Exemption), max_size=3)),
        care_linked=draw(st.booleans()),
        parcours=draw(st.sampled_from(Parcours)),
        secteur=draw(st.sampled_from(Secteur)),
        amc=draw(amc_contracts()),
        participations_this_year=draw(st.integers(0, 6000).map(lambda c: Decimal(c).scaleb(-2))),
    )


@settings(max_examples=300)
@given(fee_cases())
def test_split_parts_are_cents_non_negative_and_sum_to_the_fee(case: FeeCase) -> None:
    split = split_fee(case, TARIFFS)
    lines = split.lines()
    for line in lines:
        assert line.amount >= 0, line
        assert line.amount == line.amount.quantize(Decimal("0.01")), line
    assert sum(line.amount for line in lines) == split.fee
    assert split.amo + split.amc + split.reste_a_charge == split.fee
    assert split.fee == (case.tariff if case.fee is None else case.fee)
    assert split.participation <= TARIFFS.pf_amount(case.on).value
    desk = split.desk_amounts()
    assert set(desk) == set(TiersPayant)
    for option, amount in desk.items():
        assert 0 <= amount <= split.fee, option
    assert desk[TiersPayant.AMO_AMC] <= desk[TiersPayant.AMO] <= desk[TiersPayant.NONE]


@given(fee_cases())
def test_full_cover_leaves_only_the_participation_and_depassement(case: FeeCase) -> None:
    split = split_fee(case, TARIFFS)
    if split.exemptions & {Exemption.MATERNITE, Exemption.AME}:
        assert split.participation == 0
        assert split.reste_a_charge == split.depassement_patient
    if split.exemptions & {Exemption.C2S, Exemption.AME} and split.majoration == 0:
        assert split.paid_at_desk(TiersPayant.AMO_AMC) == split.depassement_patient
    if split.exemptions & {Exemption.C2S}:
        assert split.participation == 0
