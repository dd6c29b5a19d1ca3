"""Coverage at the front desk: rights at a date, and the split of a fee.

Sources: Code de la sécurité sociale (CSS) L160-13 (ticket modérateur, participation
forfaitaire), L160-14 (exonérations, ALD), L160-9 (maternité), L160-15 and R160-20
(who is exempt from the participation), L162-5-3 (parcours de soins, médecin
traitant), L162-5-13 (no dépassement for C2S beneficiaries), L431-1 (AT/MP), L861-1
(C2S); Code de l'action sociale et des familles L251-2 (AME); ameli.fr pages on the
participation forfaitaire, the C2S, the AME, the ALD, maternité, AT/MP and tiers
payant. The project's checked summary is ``reference.md`` section 4; the marks
[V]/[P]/[B] below are its marks. The rules are [V] as marked; the article numbers
are [B] except L160-15 and R160-20, read for this module.

Amounts and rates are read from the dated tariff data (:mod:`simsec.rules.tariffs`),
never written here. Money is :class:`~decimal.Decimal`, rounded to the cent with
``ROUND_HALF_UP`` only where a rate multiplies an amount; every other line is a
difference of exact cents, so the lines of a split always add up to the fee.

The terms of a split, for honoraires ``F`` and a tariff ``T`` (couverture.md):

- base de remboursement ``BR = min(T, F)``; dépassement ``D = F - BR``;
- ``AMO brute = rate x BR`` (the AMO share before the participation);
- ``part AMO = AMO brute - PF`` (participation forfaitaire, when one is charged);
- ticket modérateur ``TM = BR - normal rate x BR`` (the rate within the parcours);
- majoration ``= normal rate x BR - rate x BR`` (outside the parcours; a contrat
  responsable may not cover it);
- ``part AMC`` = what the contract (or the C2S) covers of TM, majoration and D, never
  the PF;
- reste à charge ``= F - part AMO - part AMC`` (it includes the PF).

Everything here is pure: dates are arguments, nothing reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from simsec.rules.tariffs import Tariffs, Zone

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
FULL_RATE = Decimal(1)


# --- vocabularies ----------------------------------------------------------------------


class Regime(StrEnum):
    """AMO régimes (reference.md 4.1). ``ceam``: a European card holder on a stay."""

    GENERAL = "general"
    MSA = "msa"
    ALSACE_MOSELLE = "alsace_moselle"
    CNMSS = "cnmss"
    ENIM = "enim"
    SNCF = "sncf"
    RATP = "ratp"
    CAMIEG = "camieg"
    BANQUE_DE_FRANCE = "banque_de_france"
    AUTRE = "autre"
    CEAM = "ceam"


class Exemption(StrEnum):
    """What the rights record says about the ticket modérateur and participations.

    A person may have several at once (C2S and ALD is common): the rules take a set.
    ``none`` is the empty set (see :func:`exemption_set`).
    """

    NONE = "none"
    ALD = "ald"
    MATERNITE = "maternite"
    AT_MP = "at_mp"
    C2S = "c2s"
    AME = "ame"


class Parcours(StrEnum):
    """The consultation with respect to the parcours de soins coordonnés (L162-5-3).

    ``in``: the médecin traitant, or referred by them; ``out``: neither, and no case
    below applies; ``direct_access`` (gynaecology, ophthalmology, stomatology,
    psychiatry 16-25), ``emergency`` and ``away_from_home``: no majoration [V].
    """

    IN = "in"
    OUT = "out"
    DIRECT_ACCESS = "direct_access"
    EMERGENCY = "emergency"
    AWAY_FROM_HOME = "away_from_home"


class Secteur(StrEnum):
    """The practitioner's conventional sector (version 1 of simsec bills secteur 1)."""

    SECTEUR_1 = "secteur_1"
    SECTEUR_2_OPTAM = "secteur_2_optam"
    SECTEUR_2 = "secteur_2"


class TiersPayant(StrEnum):
    """Who is paid directly by the insurers instead of the patient (dispense d'avance)."""

    NONE = "none"
    AMO = "amo"
    AMO_AMC = "amo_amc"


_TIERS_PAYANT_ORDER = {TiersPayant.NONE: 0, TiersPayant.AMO: 1, TiersPayant.AMO_AMC: 2}


class Payer(StrEnum):
    """Who pays a line of the split."""

    AMO = "amo"
    ETAT = "etat"  # AME: the State pays, through the CPAM
    AMC = "amc"
    C2S = "c2s"
    PATIENT = "patient"


class LineCode(StrEnum):
    """The lines of a split, in display order. They add up to the fee."""

    AMO = "amo"
    AMC = "amc"
    PARTICIPATION = "participation"
    TICKET_MODERATEUR = "ticket_moderateur"
    MAJORATION = "majoration"
    DEPASSEMENT = "depassement"


class NoteCode(StrEnum):
    """Why a split looks the way it does (texts in :mod:`simsec.texts.coverage`)."""

    PARTICIPATION_EXEMPT_MINOR = "participation_exempt_minor"
    PARTICIPATION_EXEMPT_MATERNITE = "participation_exempt_maternite"
    PARTICIPATION_EXEMPT_C2S = "participation_exempt_c2s"
    PARTICIPATION_EXEMPT_AME = "participation_exempt_ame"
    PARTICIPATION_EXEMPT_AT_MP = "participation_exempt_at_mp"
    PARTICIPATION_CEILING_REACHED = "participation_ceiling_reached"
    PARTICIPATION_LIMITED_TO_REIMBURSEMENT = "participation_limited_to_reimbursement"
    OUT_OF_PARCOURS_MAJORATION = "out_of_parcours_majoration"
    NO_MAJORATION_UNDER_16 = "no_majoration_under_16"
    EXEMPTION_CARE_NOT_LINKED = "exemption_care_not_linked"
    AMC_NOT_VALID = "amc_not_valid"
    AMC_IGNORED_C2S = "amc_ignored_c2s"
    FEE_BELOW_TARIFF = "fee_below_tariff"
    DEPASSEMENT_SECTEUR_1 = "depassement_secteur_1"
    DEPASSEMENT_NOT_ALLOWED_C2S = "depassement_not_allowed_c2s"
    DEPASSEMENT_NOT_COVERED_AME = "depassement_not_covered_ame"


class RightsStatus(StrEnum):
    OPEN = "open"
    NOT_YET_OPEN = "not_yet_open"
    EXPIRED = "expired"
    MISSING = "missing"


class AmcStatus(StrEnum):
    VALID = "valid"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    MISSING = "missing"


class Proof(StrEnum):
    """Documents or services that prove coverage at the desk (couverture.md)."""

    CARTE_VITALE = "carte_vitale"
    ATTESTATION_DROITS = "attestation_droits"
    ADRI = "adri"
    CARTE_AME = "carte_ame"
    ATTESTATION_AME = "attestation_ame"
    CEAM = "ceam"
    CERTIFICAT_PROVISOIRE_CEAM = "certificat_provisoire_ceam"
    PIECE_IDENTITE = "piece_identite"
    FEUILLE_ACCIDENT = "feuille_accident"


class TiersPayantIssue(StrEnum):
    """Why a tiers payant option does not fit the case."""

    BELOW_COMPULSORY = "below_compulsory"
    AMC_UNAVAILABLE = "amc_unavailable"


# --- coverage records ------------------------------------------------------------------


@dataclass(frozen=True)
class AmoRights:
    """The AMO rights of a person (carte Vitale, attestation or ADRi).

    ``rights_from`` / ``rights_until`` are inclusive; ``None`` means no bound known.
    For a CEAM holder (``regime=ceam``) they are the card's validity dates.
    """

    regime: Regime
    caisse: str = ""
    rights_from: date | None = None
    rights_until: date | None = None
    exemption: Exemption = Exemption.NONE
    c2s: bool = False
    ame: bool = False

    @property
    def exemptions(self) -> frozenset[Exemption]:
        """``exemption`` with the C2S and AME flags, as a set."""
        kinds = {self.exemption}
        if self.c2s:
            kinds.add(Exemption.C2S)
        if self.ame:
            kinds.add(Exemption.AME)
        return exemption_set(kinds)


@dataclass(frozen=True)
class AmcContract:
    """A complementary contract (mutuelle, insurer, institution de prévoyance).

    A contrat responsable covers at least the ticket modérateur and never the
    participation forfaitaire, the franchises nor the out-of-parcours majoration
    (CSS L871-1, R871-1; reference.md 4.2 [V] for PF and franchises, [B] for the
    majoration). ``depassement_cover`` is the most it pays of a dépassement per bill.
    No contract covers the participation forfaitaire here.
    """

    organisme: str
    contract: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    tiers_payant: bool = False
    responsable: bool = True
    covers_ticket_moderateur: bool = True
    covers_majoration: bool = False
    depassement_cover: Decimal = ZERO

    def __post_init__(self) -> None:
        if self.responsable and self.covers_majoration:
            raise ValueError("a contrat responsable cannot cover the out-of-parcours majoration")
        _require_cents("depassement_cover", self.depassement_cover)


@dataclass(frozen=True)
class ProofRequirement:
    """One requirement, met by any one of ``any_of``."""

    any_of: tuple[Proof, ...]


# --- rights at a date -------------------------------------------------------------------


def _period_status(start: date | None, end: date | None, on: date) -> int:
    """-1 before ``start``, 1 after ``end``, 0 within (bounds inclusive)."""
    if start is not None and on < start:
        return -1
    if end is not None and on > end:
        return 1
    return 0


def check_rights(amo: AmoRights | None, on: date) -> RightsStatus:
    """Whether the AMO rights are open on the date of care (reference.md 4.1)."""
    if amo is None:
        return RightsStatus.MISSING
    position = _period_status(amo.rights_from, amo.rights_until, on)
    if position < 0:
        return RightsStatus.NOT_YET_OPEN
    if position > 0:
        return RightsStatus.EXPIRED
    return RightsStatus.OPEN


def rights_open(amo: AmoRights | None, on: date) -> bool:
    """True when AMO rights are open on ``on``."""
    return check_rights(amo, on) is RightsStatus.OPEN


def check_amc(amc: AmcContract | None, on: date) -> AmcStatus:
    """Whether the complementary contract is valid on the date of care."""
    if amc is None:
        return AmcStatus.MISSING
    position = _period_status(amc.valid_from, amc.valid_until, on)
    if position < 0:
        return AmcStatus.NOT_YET_VALID
    if position > 0:
        return AmcStatus.EXPIRED
    return AmcStatus.VALID


def amc_valid(amc: AmcContract | None, on: date) -> bool:
    """True when the complementary contract is valid on ``on``."""
    return check_amc(amc, on) is AmcStatus.VALID


def is_ceam(amo: AmoRights | None) -> bool:
    """A European health insurance card holder on a temporary stay (service-public F34441).

    Covered like a locally insured person for care needed during the stay [V]; the
    participation forfaitaire applies as for a local [B].
    """
    return amo is not None and amo.regime is Regime.CEAM


def required_proofs(amo: AmoRights, *, care_linked: bool = True) -> tuple[ProofRequirement, ...]:
    """What the desk must see to bill on these rights (couverture.md, reference.md 4.3).

    - CEAM holder: the CEAM or its provisional certificate, and an identity document;
    - AME: the AME card or attestation (not a carte Vitale);
    - otherwise: the carte Vitale, a paper attestation de droits, or an ADRi answer;
    - AT/MP, for linked care: also the feuille d'accident du travail (S6201).
    """
    if amo.regime is Regime.CEAM:
        return (
            ProofRequirement((Proof.CEAM, Proof.CERTIFICAT_PROVISOIRE_CEAM)),
            ProofRequirement((Proof.PIECE_IDENTITE,)),
        )
    if Exemption.AME in amo.exemptions:
        return (ProofRequirement((Proof.CARTE_AME, Proof.ATTESTATION_AME)),)
    rights = ProofRequirement((Proof.CARTE_VITALE, Proof.ATTESTATION_DROITS, Proof.ADRI))
    if Exemption.AT_MP in amo.exemptions and care_linked:
        return (rights, ProofRequirement((Proof.FEUILLE_ACCIDENT,)))
    return (rights,)


# --- ages --------------------------------------------------------------------------------


def age_on(birth_date: date, on: date) -> int:
    """Age in full years on ``on`` (someone born on 29 February ages on 1 March)."""
    if on < birth_date:
        raise ValueError("the date of care is before the birth date")
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def age_on_first_january(birth_date: date, on: date) -> int:
    """Age on 1 January of the year of ``on`` (0 for someone born during that year)."""
    first_january = date(on.year, 1, 1)
    return 0 if first_january < birth_date else age_on(birth_date, first_january)


def exempt_from_participation_as_minor(tariffs: Tariffs, birth_date: date, on: date) -> bool:
    """No participation forfaitaire for minors (CSS L160-15) [V].

    R160-20: not charged for those who had not reached 18 on 1 January of the calendar
    year of care, so the exemption lasts until the end of the year of the 18th birthday.
    The age is dated data (``age_thresholds.participation_minor_under``).
    """
    return age_on_first_january(birth_date, on) < tariffs.pf_minor_age(on).value


def exemption_set(kinds: Iterable[Exemption | str] = ()) -> frozenset[Exemption]:
    """A normalised set of exemptions: ``none`` dropped, strings turned into members."""
    return frozenset(Exemption(kind) for kind in kinds) - {Exemption.NONE}


_LINKED_ONLY = frozenset({Exemption.ALD, Exemption.AT_MP})


def effective_exemptions(
    exemptions: Iterable[Exemption], *, care_linked: bool
) -> frozenset[Exemption]:
    """The exemptions that apply to this care.

    ALD and AT/MP exonerate only the care linked to the condition or the accident
    (CSS L160-14 3° and 4°; L431-1) [V]; maternité, C2S and AME cover all care.
    """
    applied = exemption_set(exemptions)
    return applied if care_linked else applied - _LINKED_ONLY


def effective_parcours(
    tariffs: Tariffs, parcours: Parcours, birth_date: date, on: date
) -> Parcours:
    """Outside the parcours counts as in it under 16 at the date of care (L162-5-3) [V].

    The age is dated data (``age_thresholds.no_majoration_under``).
    """
    if parcours is Parcours.OUT and age_on(birth_date, on) < tariffs.no_majoration_age(on).value:
        return Parcours.IN
    return parcours


def compulsory_tiers_payant(
    exemptions: Iterable[Exemption], *, care_linked: bool = True
) -> TiersPayant:
    """The tiers payant the patient is entitled to, whatever the practice's habits.

    - C2S and AME: intégral (AMO and complementary parts; for the AME the State pays
      all of the tariff) [V] ameli;
    - ALD (linked care), maternité, AT/MP (linked care): the AMO part [V] the ADRi list
      of regulatory tiers payant; [B] the legal detail;
    - otherwise: none is compulsory.
    """
    applied = effective_exemptions(exemptions, care_linked=care_linked)
    if applied & {Exemption.C2S, Exemption.AME}:
        return TiersPayant.AMO_AMC
    if applied & {Exemption.ALD, Exemption.MATERNITE, Exemption.AT_MP}:
        return TiersPayant.AMO
    return TiersPayant.NONE


# --- the split of a fee -----------------------------------------------------------------


def _require_cents(name: str, amount: Decimal) -> None:
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT):
        raise ValueError(f"{name} must be a non-negative amount in cents, got {amount}")


def _times_rate(rate: Decimal, amount: Decimal) -> Decimal:
    """``rate x amount`` rounded to the cent, halves away from zero."""
    return (rate * amount).quantize(CENT, rounding=ROUND_HALF_UP)


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT)


@dataclass(frozen=True)
class FeeCase:
    """One bill to split: the care, the person, their coverage, the date of care.

    ``tariff`` is the tariff of the acts (see :func:`tariff_for_acts`); ``fee`` the
    honoraires billed, by default the tariff (no dépassement). ``participations_this_year``
    is what the person already paid in participations forfaitaires this calendar year,
    when the desk knows it (for the annual ceiling). ``exemptions`` is a set (see
    :attr:`AmoRights.exemptions`); ``care_linked`` tells whether the care is linked to
    the ALD or the AT/MP of the rights.
    """

    on: date
    birth_date: date
    tariff: Decimal
    fee: Decimal | None = None
    regime: Regime = Regime.GENERAL
    exemptions: frozenset[Exemption] = frozenset()
    care_linked: bool = True
    parcours: Parcours = Parcours.IN
    secteur: Secteur = Secteur.SECTEUR_1
    amc: AmcContract | None = None
    participations_this_year: Decimal = ZERO

    def __post_init__(self) -> None:
        object.__setattr__(self, "exemptions", exemption_set(self.exemptions))
        _require_cents("tariff", self.tariff)
        if self.fee is not None:
            _require_cents("fee", self.fee)
        _require_cents("participations_this_year", self.participations_this_year)
        if self.on < self.birth_date:
            raise ValueError("the date of care is before the birth date")


@dataclass(frozen=True)
class FeeLine:
    """One labelled line of a split, for display (labels in simsec.texts.coverage)."""

    code: LineCode
    payer: Payer
    amount: Decimal


@dataclass(frozen=True)
class FeeSplit:
    """The split of one fee. Lines add up exactly to ``fee``; all amounts are cents.

    ``amo`` is the part AMO net of the participation forfaitaire; ``amo_gross`` is
    what the AMO pays the practice under tiers payant (the participation is then
    recovered later from the patient's reimbursements).
    """

    on: date
    fee: Decimal
    tariff: Decimal
    base: Decimal
    depassement: Decimal
    amo_rate: Decimal
    normal_rate: Decimal
    amo_gross: Decimal
    amo: Decimal
    amo_payer: Payer
    amc: Decimal
    amc_payer: Payer
    participation: Decimal
    ticket_moderateur: Decimal
    majoration: Decimal
    depassement_patient: Decimal
    exemptions: frozenset[Exemption]
    parcours: Parcours
    compulsory_tiers_payant: TiersPayant
    notes: tuple[NoteCode, ...] = field(default=())

    @property
    def reste_a_charge(self) -> Decimal:
        """What the patient finally bears: participation, uncovered TM, majoration, dépassement."""
        return (
            self.participation + self.ticket_moderateur + self.majoration + self.depassement_patient
        )

    def lines(self) -> tuple[FeeLine, ...]:
        """All the lines, in display order (zero lines included; the UI may hide them)."""
        return (
            FeeLine(LineCode.AMO, self.amo_payer, self.amo),
            FeeLine(LineCode.AMC, self.amc_payer, self.amc),
            FeeLine(LineCode.PARTICIPATION, Payer.PATIENT, self.participation),
            FeeLine(LineCode.TICKET_MODERATEUR, Payer.PATIENT, self.ticket_moderateur),
            FeeLine(LineCode.MAJORATION, Payer.PATIENT, self.majoration),
            FeeLine(LineCode.DEPASSEMENT, Payer.PATIENT, self.depassement_patient),
        )

    def paid_at_desk(self, tiers_payant: TiersPayant) -> Decimal:
        """What the patient pays at the desk (couverture.md, "The split of a fee").

        - none: the whole fee, reimbursed later;
        - AMO: the fee minus the AMO's share before the participation;
        - AMO + AMC: minus the complementary part too.
        With tiers payant the participation is recovered later, not paid at the desk.
        """
        if tiers_payant is TiersPayant.NONE:
            return self.fee
        if tiers_payant is TiersPayant.AMO:
            return self.fee - self.amo_gross
        return self.fee - self.amo_gross - self.amc

    def desk_amounts(self) -> Mapping[TiersPayant, Decimal]:
        """:meth:`paid_at_desk` for every tiers payant option."""
        return {option: self.paid_at_desk(option) for option in TiersPayant}


def tariff_for_acts(
    tariffs: Tariffs, acts: tuple[str, ...] | list[str], on: date, zone: Zone = Zone.METROPOLE
) -> Decimal:
    """The sum of the tariffs of ``acts`` (NGAP codes) on ``on`` in ``zone``.

    Raises :class:`simsec.rules.tariffs.TariffNotFound` for an unknown code or a date
    before its first tariff.
    """
    return sum((tariffs.act(code, on, zone).value for code in acts), start=ZERO)


#: Exemptions that lift the ticket modérateur: the AMO (or the State) pays 100 %
#: of the tariff (L160-14 for ALD, L160-9 for maternité, L431-1 for AT/MP, CASF L251-2
#: for the AME). An exonération is by definition the absence of ticket modérateur.
_FULL_COVER = frozenset({Exemption.ALD, Exemption.MATERNITE, Exemption.AT_MP, Exemption.AME})


def _rates(
    case: FeeCase, tariffs: Tariffs, exemptions: frozenset[Exemption], parcours: Parcours
) -> tuple[Decimal, Decimal]:
    """(rate applied, normal rate within the parcours) for this case."""
    if exemptions & _FULL_COVER:
        # The exonération covers the whole tariff; the AME has no médecin traitant rule
        # [V]; for ALD and AT/MP we do not model a reduced rate outside the parcours [B].
        return FULL_RATE, FULL_RATE
    normal = tariffs.amo_rate(case.regime.value, case.on).value
    if parcours is Parcours.OUT:
        return tariffs.amo_rate(case.regime.value, case.on, hors_parcours=True).value, normal
    return normal, normal


def _participation(
    case: FeeCase, tariffs: Tariffs, exemptions: frozenset[Exemption]
) -> tuple[Decimal, NoteCode | None]:
    """The participation forfaitaire charged on this bill, and why it is reduced.

    One participation per bill (one consultation or séance) [B]. Exempt: maternité
    from the 6th month (as recorded in the rights), C2S (L160-15), AME (CASF L251-2),
    minors (L160-15, R160-20); AT/MP linked care depending on the dated parameter.
    ALD patients are charged [V]. The annual ceiling caps it (L160-13 II).
    """
    if Exemption.MATERNITE in exemptions:
        return ZERO, NoteCode.PARTICIPATION_EXEMPT_MATERNITE
    if Exemption.C2S in exemptions:
        return ZERO, NoteCode.PARTICIPATION_EXEMPT_C2S
    if Exemption.AME in exemptions:
        return ZERO, NoteCode.PARTICIPATION_EXEMPT_AME
    if exempt_from_participation_as_minor(tariffs, case.birth_date, case.on):
        return ZERO, NoteCode.PARTICIPATION_EXEMPT_MINOR
    if Exemption.AT_MP in exemptions and not tariffs.pf_applies_at_mp(case.on).value:
        return ZERO, NoteCode.PARTICIPATION_EXEMPT_AT_MP
    amount = tariffs.pf_amount(case.on).value
    remaining = max(ZERO, tariffs.pf_annual_ceiling(case.on).value - case.participations_this_year)
    if remaining < amount:
        return _cents(remaining), NoteCode.PARTICIPATION_CEILING_REACHED
    return amount, None


def split_fee(case: FeeCase, tariffs: Tariffs) -> FeeSplit:
    """Split the fee of ``case`` into AMO, AMC, participation and patient lines.

    Reproduces the worked examples of couverture.md and reference.md 4.5 to the cent.
    Raises :class:`simsec.rules.tariffs.TariffNotFound` when a rate or amount is not
    known on the date of care.
    """
    notes: list[NoteCode] = []
    fee = case.tariff if case.fee is None else case.fee
    # The AMO reimburses within the honoraires actually billed.
    base = min(case.tariff, fee)
    if case.tariff > fee:
        notes.append(NoteCode.FEE_BELOW_TARIFF)
    depassement = fee - base

    exemptions = effective_exemptions(case.exemptions, care_linked=case.care_linked)
    if exemptions != case.exemptions:
        notes.append(NoteCode.EXEMPTION_CARE_NOT_LINKED)
    parcours = effective_parcours(tariffs, case.parcours, case.birth_date, case.on)
    if parcours is not case.parcours:
        notes.append(NoteCode.NO_MAJORATION_UNDER_16)

    rate, normal_rate = _rates(case, tariffs, exemptions, parcours)
    amo_gross = _times_rate(rate, base)
    normal_share = _times_rate(normal_rate, base)
    ticket_moderateur = base - normal_share
    majoration = normal_share - amo_gross
    if majoration > 0:
        notes.append(NoteCode.OUT_OF_PARCOURS_MAJORATION)

    participation, pf_note = _participation(case, tariffs, exemptions)
    if pf_note is not None:
        notes.append(pf_note)
    if participation > amo_gross:
        # The AMO can only withhold it from what it pays; the rest is recovered later.
        participation = amo_gross
        notes.append(NoteCode.PARTICIPATION_LIMITED_TO_REIMBURSEMENT)
    amo = amo_gross - participation

    covered_tm, covered_majoration, covered_depassement, amc_payer = _complementary(
        case, exemptions, ticket_moderateur, majoration, depassement, notes
    )
    _depassement_notes(case, exemptions, depassement, notes)

    return FeeSplit(
        on=case.on,
        fee=fee,
        tariff=case.tariff,
        base=base,
        depassement=depassement,
        amo_rate=rate,
        normal_rate=normal_rate,
        amo_gross=amo_gross,
        amo=amo,
        amo_payer=Payer.ETAT if Exemption.AME in exemptions else Payer.AMO,
        amc=covered_tm + covered_majoration + covered_depassement,
        amc_payer=amc_payer,
        participation=participation,
        ticket_moderateur=ticket_moderateur - covered_tm,
        majoration=majoration - covered_majoration,
        depassement_patient=depassement - covered_depassement,
        exemptions=exemptions,
        parcours=parcours,
        compulsory_tiers_payant=compulsory_tiers_payant(exemptions),
        notes=tuple(notes),
    )


def _complementary(
    case: FeeCase,
    exemptions: frozenset[Exemption],
    ticket_moderateur: Decimal,
    majoration: Decimal,
    depassement: Decimal,
    notes: list[NoteCode],
) -> tuple[Decimal, Decimal, Decimal, Payer]:
    """(TM, majoration, dépassement) covered by the complementary layer, and its payer.

    The C2S pays the ticket modérateur (L861-3) [V], not the out-of-parcours
    majoration [B], and no dépassement may be billed (L162-5-13). A contract pays
    what it covers, if it is valid on the date of care.
    """
    if Exemption.C2S in exemptions:
        if case.amc is not None:
            notes.append(NoteCode.AMC_IGNORED_C2S)
        return ticket_moderateur, ZERO, ZERO, Payer.C2S
    amc = case.amc
    if amc is None:
        return ZERO, ZERO, ZERO, Payer.AMC
    if not amc_valid(amc, case.on):
        notes.append(NoteCode.AMC_NOT_VALID)
        return ZERO, ZERO, ZERO, Payer.AMC
    if Exemption.AME in exemptions:
        # The State pays the tariff; an AMC contract is not expected, and the AME
        # covers no dépassement [V "100 % within the tariffs"].
        return ZERO, ZERO, ZERO, Payer.AMC
    covered_tm = ticket_moderateur if amc.covers_ticket_moderateur else ZERO
    covered_majoration = majoration if amc.covers_majoration else ZERO
    covered_depassement = min(depassement, amc.depassement_cover)
    return covered_tm, covered_majoration, covered_depassement, Payer.AMC


def _depassement_notes(
    case: FeeCase, exemptions: frozenset[Exemption], depassement: Decimal, notes: list[NoteCode]
) -> None:
    """Warn about a dépassement the case does not allow or cover."""
    if depassement <= 0:
        return
    if Exemption.C2S in exemptions:
        notes.append(NoteCode.DEPASSEMENT_NOT_ALLOWED_C2S)
    if Exemption.AME in exemptions:
        notes.append(NoteCode.DEPASSEMENT_NOT_COVERED_AME)
    if case.secteur is Secteur.SECTEUR_1:
        # Secteur 1 bills the tariff; only an exigence particulière (DE) allows more.
        notes.append(NoteCode.DEPASSEMENT_SECTEUR_1)


# --- tiers payant and C2S participation -------------------------------------------------


def check_tiers_payant(option: TiersPayant, case: FeeCase) -> tuple[TiersPayantIssue, ...]:
    """Problems with billing ``case`` with the tiers payant ``option``.

    - below what the patient is entitled to (:func:`compulsory_tiers_payant`);
    - AMO + AMC asked, but no complementary practises it on that date (the C2S and
      the AME always do: it is their tiers payant intégral).
    """
    issues: list[TiersPayantIssue] = []
    exemptions = effective_exemptions(case.exemptions, care_linked=case.care_linked)
    required = compulsory_tiers_payant(exemptions)
    if _TIERS_PAYANT_ORDER[option] < _TIERS_PAYANT_ORDER[required]:
        issues.append(TiersPayantIssue.BELOW_COMPULSORY)
    if option is TiersPayant.AMO_AMC and not exemptions & {Exemption.C2S, Exemption.AME}:
        amc = case.amc
        if amc is None or not amc.tiers_payant or not amc_valid(amc, case.on):
            issues.append(TiersPayantIssue.AMC_UNAVAILABLE)
    return tuple(issues)


def c2s_monthly_participation(
    tariffs: Tariffs, regime: Regime, birth_date: date, on: date
) -> Decimal:
    """The monthly C2S participation, by age on 1 January of the year (reference.md 4.3)."""
    age = age_on_first_january(birth_date, on)
    bands = tariffs.c2s_participation_bands(regime.value, on).value
    amount = bands[0].amount
    for band in bands:
        if age >= band.from_age:
            amount = band.amount
    return amount
