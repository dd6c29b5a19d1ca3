"""French messages for the NIR/NIA and RPPS codes of ``simsec.rules.nir`` and ``.rpps``.

Each template is marked with ``N_`` for extraction and translated with ``_`` when shown;
its ``{placeholders}`` are the issue's parameters (sex codes and dates are rendered in
words first).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final

from simsec.i18n import N_, _, format_date
from simsec.rules.nir import MakeNirError, MakeNirErrorCode, NirIssue, NirIssueCode, Severity
from simsec.rules.rpps import RppsIssue, RppsIssueCode

__all__ = [
    "issue_line",
    "make_nir_error_message",
    "nir_issue_message",
    "rpps_issue_message",
    "sex_label",
]

NIR_TEMPLATES: Final[Mapping[NirIssueCode, str]] = {
    NirIssueCode.LENGTH: N_("Longueur incorrecte : {length} caractères au lieu de 15."),
    NirIssueCode.CHARACTERS: N_(
        "Caractère « {character} » interdit en position {position} : chiffres seulement, "
        "sauf 2A ou 2B (Corse) en positions 6 et 7."
    ),
    NirIssueCode.SEX_DIGIT: N_(
        "Premier chiffre « {digit} » invalide : 1 (homme) ou 2 (femme) attendu."
    ),
    NirIssueCode.MONTH: N_(
        "Mois de naissance « {month} » invalide : 01 à 12, ou mois fictif (20, 30 à 42, "
        "50 et plus)."
    ),
    NirIssueCode.DEPARTMENT: N_("Département de naissance « {department} » inconnu."),
    NirIssueCode.COUNTRY: N_(
        "Code pays « {country} » invalide pour une naissance à l'étranger : 99 suivi d'un "
        "code pays INSEE (100 à 599)."
    ),
    NirIssueCode.COMMUNE: N_(
        "Code commune « {commune} » invalide dans le département {department}."
    ),
    NirIssueCode.ORDER: N_("Numéro d'ordre « {order} » invalide : 001 à 999."),
    NirIssueCode.KEY: N_("Clé de contrôle incorrecte : attendue {expected}, lue {found}."),
    NirIssueCode.TEMPORARY_NUMBER: N_(
        "Premier chiffre « {digit} » : numéro temporaire (non vérifié)."
    ),
    NirIssueCode.FICTITIOUS_MONTH: N_(
        "Mois fictif « {month} » (mois de naissance inconnu) : le mois n'est pas contrôlé."
    ),
    NirIssueCode.SEX_MISMATCH: N_(
        "Sexe incohérent : le NIR indique {nir_sex}, l'identité indique {sex}."
    ),
    NirIssueCode.YEAR_MISMATCH: N_(
        "Année de naissance incohérente : le NIR indique « {nir_year} », la date de "
        "naissance est en {birth_year}."
    ),
    NirIssueCode.MONTH_MISMATCH: N_(
        "Mois de naissance incohérent : le NIR indique « {nir_month} », la date de "
        "naissance « {birth_month} »."
    ),
    NirIssueCode.PLACE_MISMATCH: N_(
        "Lieu de naissance incohérent : le NIR indique « {nir_place} », le lieu de "
        "naissance est « {birth_place} »."
    ),
    NirIssueCode.CORSICA_SPLIT_BEFORE_1976: N_(
        "Code « {department} » impossible pour une naissance avant le 1er janvier 1976 : "
        "la Corse s'écrivait alors 20."
    ),
    NirIssueCode.CORSICA_20_SINCE_1976: N_(
        "Code « 20 » impossible pour une naissance depuis le 1er janvier 1976 : la Corse "
        "s'écrit 2A ou 2B."
    ),
    NirIssueCode.FORMER_TERRITORY_AFTER_INDEPENDENCE: N_(
        "Code « {department} » ({country}) réservé aux naissances avant le "
        "{independence} ; ensuite, le lieu s'écrit 99 suivi du code pays."
    ),
    NirIssueCode.SEX_NOT_CHECKABLE: N_(
        "Sexe indéterminé : la cohérence du sexe avec le NIR ne peut pas être contrôlée."
    ),
}

MAKE_NIR_TEMPLATES: Final[Mapping[MakeNirErrorCode, str]] = {
    MakeNirErrorCode.SEX: N_(
        "Sexe « {sex} » : un NIR ne peut être généré que pour le sexe M ou F."
    ),
    MakeNirErrorCode.ORDER: N_("Numéro d'ordre {order} invalide : de 1 à 999."),
    MakeNirErrorCode.BIRTH_PLACE: N_(
        "Lieu de naissance « {birth_place} » invalide : code INSEE de commune (75056, "
        "2A004, 97411…) ou 99 suivi d'un code pays (99350…)."
    ),
    MakeNirErrorCode.INCOHERENT: N_(
        "Le code de lieu « {place_code} » ne convient pas au lieu « {birth_place} » et à "
        "la date de naissance {birth_date}."
    ),
}

RPPS_TEMPLATES: Final[Mapping[RppsIssueCode, str]] = {
    RppsIssueCode.LENGTH: N_("Numéro RPPS : {length} chiffres au lieu de 11."),
    RppsIssueCode.CHARACTERS: N_("Numéro RPPS : chiffres seulement."),
    RppsIssueCode.KEY: N_(
        "Numéro RPPS : clé de Luhn incorrecte, attendue {expected}, lue {found}."
    ),
}

_SEX_LABELS: Final[Mapping[str, str]] = {
    "M": N_("homme"),
    "F": N_("femme"),
    "I": N_("indéterminé"),
}

_COUNTRY_NAMES: Final[Mapping[str, str]] = {
    "99352": N_("Algérie"),
    "99350": N_("Maroc"),
    "99351": N_("Tunisie"),
}


def sex_label(code: str) -> str:
    """``M`` → « homme », ``F`` → « femme », ``I`` → « indéterminé » (else the code)."""
    label = _SEX_LABELS.get(code)
    return _(label) if label else code


def _display_params(params: Mapping[str, str]) -> dict[str, str]:
    shown = dict(params)
    for key in ("sex", "nir_sex"):
        if key in shown:
            shown[key] = sex_label(shown[key])
    if "country" in shown and shown["country"] in _COUNTRY_NAMES:
        shown["country"] = _(_COUNTRY_NAMES[shown["country"]])
    for key in ("independence", "birth_date"):
        if key in shown:
            shown[key] = format_date(date.fromisoformat(shown[key]), "long")
    return shown


def nir_issue_message(issue: NirIssue) -> str:
    """The French (or translated) sentence for a NIR issue."""
    return _(NIR_TEMPLATES[issue.code]).format(**_display_params(issue.params))


def issue_line(issue: NirIssue) -> str:
    """« Erreur : … » or « Avertissement : … »."""
    if issue.severity is Severity.WARNING:
        return _("Avertissement : {message}").format(message=nir_issue_message(issue))
    return _("Erreur : {message}").format(message=nir_issue_message(issue))


def make_nir_error_message(error: MakeNirError) -> str:
    """The French sentence for a refusal of ``make_nir``."""
    return _(MAKE_NIR_TEMPLATES[error.code]).format(**_display_params(error.params))


def rpps_issue_message(issue: RppsIssue) -> str:
    """The French sentence for an RPPS issue."""
    return _(RPPS_TEMPLATES[issue.code]).format(**issue.params)
