"""French messages and labels for the codes of ``simsec.rules.identity``.

Each template is marked with ``N_`` for extraction and translated with ``_`` when shown;
its ``{placeholders}`` are the finding's parameters (trait codes and ISO dates are
rendered in words first).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final

from simsec.i18n import N_, _, format_date, upper_first
from simsec.rules.identity import (
    DifferenceKind,
    IdentityAttribute,
    IdentityIssue,
    IdentityIssueCode,
    IdentityStatus,
    StatusChange,
    StatusChangeReason,
    TraitDifference,
    TraitName,
)

__all__ = [
    "ATTRIBUTE_LABELS",
    "DIFFERENCE_LABELS",
    "ISSUE_TEMPLATES",
    "STATUS_CHANGE_TEMPLATES",
    "STATUS_LABELS",
    "TRAIT_LABELS",
    "attribute_label",
    "difference_label",
    "difference_message",
    "issue_message",
    "status_change_message",
    "status_label",
    "trait_label",
]

TRAIT_LABELS: Final[Mapping[TraitName, str]] = {
    TraitName.BIRTH_NAME: N_("nom de naissance"),
    TraitName.FIRST_NAMES: N_("prénoms de naissance"),
    TraitName.BIRTH_DATE: N_("date de naissance"),
    TraitName.SEX: N_("sexe"),
    TraitName.BIRTH_PLACE: N_("lieu de naissance"),
    TraitName.USED_NAME: N_("nom utilisé"),
    TraitName.USED_FIRST_NAME: N_("prénom utilisé"),
}

ISSUE_TEMPLATES: Final[Mapping[IdentityIssueCode, str]] = {
    IdentityIssueCode.FORBIDDEN_CHARACTER: N_(
        "Caractère « {character} » interdit (position {position}) : lettres majuscules sans "
        "accent, trait d'union, apostrophe et espace seulement."
    ),
    IdentityIssueCode.MISPLACED_SEPARATOR: N_(
        "« {value} » : trait d'union ou apostrophe mal placé (en début ou en fin, ou doublé)."
    ),
    IdentityIssueCode.ABBREVIATION: N_(
        "« {abbreviation} » est une abréviation : écrire « {expansion} » en entier."
    ),
    IdentityIssueCode.NOT_NORMALISED: N_(
        "{trait} : « {value} » doit être saisi en majuscules sans accent : « {expected} »."
    ),
    IdentityIssueCode.MISSING_TRAIT: N_("Trait obligatoire manquant : {trait}."),
    IdentityIssueCode.BIRTH_DATE_IN_FUTURE: N_(
        "La date de naissance {value} est postérieure à aujourd'hui ({today})."
    ),
    IdentityIssueCode.BIRTH_DATE_IMPLAUSIBLE: N_(
        "Date de naissance {value} : le patient aurait {age} ans. Vérifiez la saisie."
    ),
    IdentityIssueCode.BIRTH_DATE_INVALID: N_(
        "Date de naissance « {value} » invalide : format JJ/MM/AAAA attendu."
    ),
    IdentityIssueCode.BIRTH_DATE_PARTLY_UNKNOWN: N_(
        "Jour ou mois de naissance inconnu : la date est enregistrée par convention au {stored}."
    ),
    IdentityIssueCode.INVALID_SEX: N_("Sexe « {value} » invalide : F, M ou I attendu."),
    IdentityIssueCode.SEX_NOT_IN_INSI: N_(
        "Sexe indéterminé (I) : le téléservice INSi ne connaît que F et M."
    ),
    IdentityIssueCode.INVALID_BIRTH_PLACE: N_(
        "Lieu de naissance « {value} » invalide : code INSEE de la commune (5 caractères) "
        "ou code du pays (99xxx) pour une naissance à l'étranger."
    ),
    IdentityIssueCode.STATUS_WITH_BLOCKING_ATTRIBUTE: N_(
        "Une identité {attribute} ne peut être que provisoire (statut indiqué : {status})."
    ),
}

DIFFERENCE_LABELS: Final[Mapping[DifferenceKind, str]] = {
    DifferenceKind.IDENTICAL: N_("identique"),
    DifferenceKind.ACCENTS_OR_CASE: N_("différence de majuscules, d'accents ou d'espaces"),
    DifferenceKind.SEPARATORS: N_("différence de trait d'union, d'apostrophe ou d'espace"),
    DifferenceKind.TYPO: N_("faute de frappe probable"),
    DifferenceKind.PHONETIC: N_("se prononce de la même façon"),
    DifferenceKind.FIRST_NAMES_ORDER: N_("mêmes prénoms dans un autre ordre"),
    DifferenceKind.COMPOUND_FIRST_NAME: N_("prénom composé écrit avec ou sans trait d'union"),
    DifferenceKind.FIRST_NAMES_PARTIAL: N_("une partie seulement des prénoms"),
    DifferenceKind.USED_NAME_AS_BIRTH_NAME: N_("nom utilisé saisi comme nom de naissance"),
    DifferenceKind.DAY_MONTH_SWAPPED: N_("jour et mois inversés"),
    DifferenceKind.MISSING: N_("renseigné d'un seul côté"),
    DifferenceKind.DIFFERENT: N_("différent"),
}

STATUS_LABELS: Final[Mapping[IdentityStatus, str]] = {
    IdentityStatus.PROVISOIRE: N_("Identité provisoire"),
    IdentityStatus.RECUPEREE: N_("Identité récupérée"),
    IdentityStatus.VALIDEE: N_("Identité validée"),
    IdentityStatus.QUALIFIEE: N_("Identité qualifiée"),
}

ATTRIBUTE_LABELS: Final[Mapping[IdentityAttribute, str]] = {
    IdentityAttribute.DOUTEUSE: N_("douteuse"),
    IdentityAttribute.FICTIVE: N_("fictive"),
    IdentityAttribute.HOMONYME: N_("homonyme"),
}

STATUS_CHANGE_TEMPLATES: Final[Mapping[StatusChangeReason, str]] = {
    StatusChangeReason.INSI_RETRIEVED: N_(
        "Identité récupérée par le téléservice INSi après comparaison des traits : {status}."
    ),
    StatusChangeReason.INSI_TRAITS_MISMATCH: N_(
        "Les traits renvoyés par INSi ne correspondent pas à ceux du patient : le résultat "
        "n'est pas accepté, le statut reste {status}."
    ),
    StatusChangeReason.DOCUMENT_CHECKED: N_(
        "Identité contrôlée sur un dispositif d'identification à haut niveau de confiance : "
        "{status}."
    ),
    StatusChangeReason.DOCUMENT_NOT_HIGH_TRUST: N_(
        "Ce document n'est pas un dispositif à haut niveau de confiance : il ne permet pas "
        "de valider l'identité, le statut reste {status}."
    ),
    StatusChangeReason.BLOCKED_BY_ATTRIBUTE: N_(
        "L'identité est {attribute} : elle reste provisoire tant que cet attribut est posé."
    ),
    StatusChangeReason.ATTRIBUTE_SET: N_("Attribut « {attribute} » posé : {status}."),
    StatusChangeReason.ATTRIBUTE_CLEARED: N_(
        "Attribut « {attribute} » retiré : {status}. Les vérifications sont à refaire."
    ),
    StatusChangeReason.STRICT_TRAIT_MODIFIED: N_(
        "Trait strict modifié ({trait}) : l'identité redevient provisoire, la récupération "
        "INSi et le contrôle du document sont à refaire."
    ),
    StatusChangeReason.INSI_TRAITS_APPLIED: N_(
        "Traits stricts remplacés par ceux d'INSi ({trait}) : {status}, le contrôle du "
        "document est à refaire."
    ),
    StatusChangeReason.COMPLEMENTARY_TRAIT_MODIFIED: N_(
        "Trait complémentaire modifié ({trait}) : le statut ne change pas ({status})."
    ),
    StatusChangeReason.INSI_WITHDRAWN: N_("La récupération INSi n'est plus valable : {status}."),
    StatusChangeReason.DOCUMENT_CHECK_WITHDRAWN: N_(
        "Le contrôle du document n'est plus valable : {status}."
    ),
}


def trait_label(trait: TraitName | str) -> str:
    return _(TRAIT_LABELS[TraitName(trait)])


def status_label(status: IdentityStatus | str) -> str:
    return _(STATUS_LABELS[IdentityStatus(status)])


def attribute_label(attribute: IdentityAttribute | str) -> str:
    return _(ATTRIBUTE_LABELS[IdentityAttribute(attribute)])


def difference_label(kind: DifferenceKind | str) -> str:
    return _(DIFFERENCE_LABELS[DifferenceKind(kind)])


def _rendered(params: Mapping[str, str]) -> dict[str, str]:
    """Parameters in words: trait, status and attribute codes, ISO dates."""
    values = dict(params)
    if "trait" in values:
        values["trait"] = trait_label(values["trait"])
    if "status" in values:
        values["status"] = status_label(values["status"])
    if "attribute" in values:
        values["attribute"] = attribute_label(values["attribute"])
    for name in ("today", "stored"):
        if name in values:
            values[name] = format_date(date.fromisoformat(values[name]), "long")
    return values


def issue_message(issue: IdentityIssue) -> str:
    """The French text of an identity finding."""
    values = _rendered(issue.params)
    if issue.code is IdentityIssueCode.NOT_NORMALISED and issue.trait is not None:
        values["trait"] = upper_first(trait_label(issue.trait))
    if issue.code in (
        IdentityIssueCode.BIRTH_DATE_IN_FUTURE,
        IdentityIssueCode.BIRTH_DATE_IMPLAUSIBLE,
    ):
        values["value"] = format_date(date.fromisoformat(values["value"]), "long")
    return _(ISSUE_TEMPLATES[issue.code]).format(**values)


def difference_message(difference: TraitDifference) -> str:
    """One line explaining a trait difference: "Prénoms de naissance : ... (MARIE / ...)"."""
    label = upper_first(trait_label(difference.trait))
    kind = difference_label(difference.kind)
    if difference.kind is DifferenceKind.IDENTICAL:
        return _("{trait} : {kind}.").format(trait=label, kind=kind)
    a = difference.a or "—"
    b = difference.b or "—"
    return _("{trait} : {kind} ({a} / {b}).").format(trait=label, kind=kind, a=a, b=b)


def status_change_message(change: StatusChange) -> str:
    """The French text explaining a status transition."""
    values = _rendered(change.params)
    values["status"] = status_label(change.after.status)
    return _(STATUS_CHANGE_TEMPLATES[change.reason]).format(**values)
