"""French texts for the codes of :mod:`simsec.rules.coverage` and :mod:`simsec.rules.tariffs`.

The strings are marked with ``N_`` where they are defined and translated with ``_``
when asked for, so that the current language applies.
"""

from __future__ import annotations

from simsec.i18n import N_, _, format_date
from simsec.rules.coverage import (
    AmcStatus,
    Exemption,
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
)
from simsec.rules.tariffs import TariffNotFound

REGIMES: dict[Regime, str] = {
    Regime.GENERAL: N_("Régime général (CPAM)"),
    Regime.MSA: N_("Mutualité sociale agricole (MSA)"),
    Regime.ALSACE_MOSELLE: N_("Régime local d'Alsace-Moselle"),
    Regime.CNMSS: N_("Caisse nationale militaire de sécurité sociale (CNMSS)"),
    Regime.ENIM: N_("Établissement national des invalides de la marine (ENIM)"),
    Regime.SNCF: N_("Régime spécial de la SNCF"),
    Regime.RATP: N_("Régime spécial de la RATP"),
    Regime.CAMIEG: N_("Industries électriques et gazières (CAMIEG)"),
    Regime.BANQUE_DE_FRANCE: N_("Régime de la Banque de France"),
    Regime.AUTRE: N_("Autre régime"),
    Regime.CEAM: N_("Assuré européen (carte européenne d'assurance maladie)"),
}

EXEMPTIONS: dict[Exemption, str] = {
    Exemption.NONE: N_("Aucune exonération"),
    Exemption.ALD: N_("Affection de longue durée (ALD)"),
    Exemption.MATERNITE: N_("Maternité"),
    Exemption.AT_MP: N_("Accident du travail ou maladie professionnelle"),
    Exemption.C2S: N_("Complémentaire santé solidaire (C2S)"),
    Exemption.AME: N_("Aide médicale de l'État (AME)"),
}

PARCOURS: dict[Parcours, str] = {
    Parcours.IN: N_("Dans le parcours de soins"),
    Parcours.OUT: N_("Hors parcours de soins"),
    Parcours.DIRECT_ACCESS: N_("Accès direct autorisé"),
    Parcours.EMERGENCY: N_("Urgence"),
    Parcours.AWAY_FROM_HOME: N_("Hors résidence habituelle"),
}

SECTEURS: dict[Secteur, str] = {
    Secteur.SECTEUR_1: N_("Secteur 1"),
    Secteur.SECTEUR_2_OPTAM: N_("Secteur 2 avec OPTAM"),
    Secteur.SECTEUR_2: N_("Secteur 2 sans OPTAM"),
}

TIERS_PAYANT: dict[TiersPayant, str] = {
    TiersPayant.NONE: N_("Sans tiers payant"),
    TiersPayant.AMO: N_("Tiers payant sur la part obligatoire"),
    TiersPayant.AMO_AMC: N_("Tiers payant intégral (obligatoire et complémentaire)"),
}

PAYERS: dict[Payer, str] = {
    Payer.AMO: N_("Assurance maladie obligatoire"),
    Payer.ETAT: N_("État (AME)"),
    Payer.AMC: N_("Complémentaire santé"),
    Payer.C2S: N_("Complémentaire santé solidaire"),
    Payer.PATIENT: N_("Patient"),
}

LINES: dict[LineCode, str] = {
    LineCode.AMO: N_("Part obligatoire (AMO)"),
    LineCode.AMC: N_("Part complémentaire (AMC)"),
    LineCode.PARTICIPATION: N_("Participation forfaitaire"),
    LineCode.TICKET_MODERATEUR: N_("Ticket modérateur non couvert"),
    LineCode.MAJORATION: N_("Majoration hors parcours de soins"),
    LineCode.DEPASSEMENT: N_("Dépassement d'honoraires non couvert"),
}

NOTES: dict[NoteCode, str] = {
    NoteCode.PARTICIPATION_EXEMPT_MINOR: N_(
        "Pas de participation forfaitaire : le patient avait moins de 18 ans au 1er janvier."
    ),
    NoteCode.PARTICIPATION_EXEMPT_MATERNITE: N_(
        "Pas de participation forfaitaire : assurance maternité (à partir du 6e mois de "
        "grossesse et jusqu'au 12e jour après l'accouchement)."
    ),
    NoteCode.PARTICIPATION_EXEMPT_C2S: N_(
        "Pas de participation forfaitaire : bénéficiaire de la complémentaire santé solidaire."
    ),
    NoteCode.PARTICIPATION_EXEMPT_AME: N_(
        "Pas de participation forfaitaire : bénéficiaire de l'aide médicale de l'État."
    ),
    NoteCode.PARTICIPATION_EXEMPT_AT_MP: N_(
        "Pas de participation forfaitaire : soins liés à un accident du travail ou à une "
        "maladie professionnelle."
    ),
    NoteCode.PARTICIPATION_CEILING_REACHED: N_(
        "Participation forfaitaire réduite : le plafond annuel est atteint."
    ),
    NoteCode.PARTICIPATION_LIMITED_TO_REIMBURSEMENT: N_(
        "Participation forfaitaire limitée au remboursement de cet acte ; le reste sera "
        "retenu sur un remboursement ultérieur."
    ),
    NoteCode.OUT_OF_PARCOURS_MAJORATION: N_(
        "Hors parcours de soins : remboursement minoré, la majoration reste à la charge du "
        "patient (un contrat responsable ne la couvre pas)."
    ),
    NoteCode.NO_MAJORATION_UNDER_16: N_(
        "Patient de moins de 16 ans : pas de majoration hors parcours de soins."
    ),
    NoteCode.EXEMPTION_CARE_NOT_LINKED: N_(
        "Soins sans rapport avec l'ALD ou l'accident du travail : remboursement au taux habituel."
    ),
    NoteCode.AMC_NOT_VALID: N_(
        "La complémentaire santé n'est pas valide à la date des soins : elle n'est pas prise "
        "en compte."
    ),
    NoteCode.AMC_IGNORED_C2S: N_(
        "Bénéficiaire de la C2S : la C2S tient lieu de complémentaire, le contrat enregistré "
        "n'est pas utilisé."
    ),
    NoteCode.FEE_BELOW_TARIFF: N_(
        "Honoraires inférieurs au tarif : le remboursement est calculé sur les honoraires."
    ),
    NoteCode.DEPASSEMENT_SECTEUR_1: N_(
        "Dépassement en secteur 1 : seulement pour une exigence particulière du patient."
    ),
    NoteCode.DEPASSEMENT_NOT_ALLOWED_C2S: N_(
        "Aucun dépassement d'honoraires ne peut être facturé à un bénéficiaire de la C2S, "
        "sauf exigence particulière du patient."
    ),
    NoteCode.DEPASSEMENT_NOT_COVERED_AME: N_(
        "L'AME ne prend en charge que le tarif : le dépassement n'est pas couvert."
    ),
}

RIGHTS: dict[RightsStatus, str] = {
    RightsStatus.OPEN: N_("Droits ouverts à la date des soins."),
    RightsStatus.NOT_YET_OPEN: N_("Droits pas encore ouverts à la date des soins."),
    RightsStatus.EXPIRED: N_("Droits expirés à la date des soins."),
    RightsStatus.MISSING: N_("Aucun droit à l'assurance maladie enregistré."),
}

AMC: dict[AmcStatus, str] = {
    AmcStatus.VALID: N_("Complémentaire valide à la date des soins."),
    AmcStatus.NOT_YET_VALID: N_("Contrat complémentaire pas encore en vigueur."),
    AmcStatus.EXPIRED: N_("Contrat complémentaire expiré."),
    AmcStatus.MISSING: N_("Aucune complémentaire santé enregistrée."),
}

PROOFS: dict[Proof, str] = {
    Proof.CARTE_VITALE: N_("Carte Vitale"),
    Proof.ATTESTATION_DROITS: N_("Attestation de droits"),
    Proof.ADRI: N_("Consultation des droits en ligne (ADRi)"),
    Proof.CARTE_AME: N_("Carte d'admission à l'AME"),
    Proof.ATTESTATION_AME: N_("Attestation d'AME"),
    Proof.CEAM: N_("Carte européenne d'assurance maladie"),
    Proof.CERTIFICAT_PROVISOIRE_CEAM: N_("Certificat provisoire de remplacement de la CEAM"),
    Proof.PIECE_IDENTITE: N_("Pièce d'identité"),
    Proof.FEUILLE_ACCIDENT: N_("Feuille d'accident du travail ou de maladie professionnelle"),
}

TIERS_PAYANT_ISSUES: dict[TiersPayantIssue, str] = {
    TiersPayantIssue.BELOW_COMPULSORY: N_(
        "Ce patient a droit à un tiers payant plus étendu (C2S, AME, ALD, maternité ou "
        "accident du travail)."
    ),
    TiersPayantIssue.AMC_UNAVAILABLE: N_(
        "Tiers payant sur la part complémentaire impossible : pas de complémentaire valide "
        "pratiquant le tiers payant."
    ),
}


def regime_label(regime: Regime) -> str:
    return _(REGIMES[regime])


def exemption_label(exemption: Exemption) -> str:
    return _(EXEMPTIONS[exemption])


def parcours_label(parcours: Parcours) -> str:
    return _(PARCOURS[parcours])


def secteur_label(secteur: Secteur) -> str:
    return _(SECTEURS[secteur])


def tiers_payant_label(option: TiersPayant) -> str:
    return _(TIERS_PAYANT[option])


def payer_label(payer: Payer) -> str:
    return _(PAYERS[payer])


def line_label(code: LineCode) -> str:
    return _(LINES[code])


def note_text(code: NoteCode) -> str:
    return _(NOTES[code])


def rights_text(status: RightsStatus) -> str:
    return _(RIGHTS[status])


def amc_text(status: AmcStatus) -> str:
    return _(AMC[status])


def proof_label(proof: Proof) -> str:
    return _(PROOFS[proof])


def tiers_payant_issue_text(issue: TiersPayantIssue) -> str:
    return _(TIERS_PAYANT_ISSUES[issue])


def tariff_error_text(error: TariffNotFound) -> str:
    """A French sentence for a missing tariff value (shown instead of a traceback)."""
    if error.on is None or error.first_valid_from is None:
        return _("Aucune valeur réglementaire connue pour « {key} ».").format(key=error.key)
    return _(
        "Aucune valeur réglementaire pour « {key} » au {on} : la première valeur connue "
        "s'applique à partir du {first}."
    ).format(key=error.key, on=format_date(error.on), first=format_date(error.first_valid_from))
