"""French messages and labels for the codes of ``simsec.rules.access``.

Each template is marked with ``N_`` for extraction and translated with ``_`` when shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from simsec.i18n import N_, _, format_date
from simsec.rules.access import (
    AccessReason,
    Deadlines,
    Decision,
    Eligibility,
    HeirMotive,
    Proof,
    RequesterKind,
    RequestStatus,
)

__all__ = [
    "REASON_TEMPLATES",
    "deadlines_message",
    "decision_label",
    "eligibility_message",
    "missing_proofs_message",
    "motive_label",
    "proof_label",
    "reason_message",
    "requester_label",
    "status_label",
]

REASON_TEMPLATES: Final[Mapping[AccessReason, str]] = {
    AccessReason.UNAUTHORISED_REQUESTER: N_(
        "Ce demandeur n'a pas accès au dossier médical : secret professionnel "
        "(art. 226-13 du Code pénal, L1110-4 du CSP)."
    ),
    AccessReason.THIRD_PARTY_REQUESTER: N_(
        "Un tiers n'a aucun droit d'accès au dossier médical du patient, même s'il en est "
        "proche (voisin, employeur, assureur, conjoint d'un patient vivant sans mandat)."
    ),
    AccessReason.PATIENT_DECEASED: N_(
        "Le patient est décédé : seuls ses ayants droit, son concubin ou son partenaire de "
        "PACS peuvent demander le dossier (L1110-4)."
    ),
    AccessReason.MINOR_NOT_EMANCIPATED: N_(
        "Un mineur non émancipé n'exerce pas lui-même le droit d'accès : la demande est "
        "faite par les titulaires de l'autorité parentale (L1111-7)."
    ),
    AccessReason.PATIENT_NOT_MINOR: N_(
        "Le patient est majeur : ses parents n'ont pas accès à son dossier sans mandat."
    ),
    AccessReason.PATIENT_EMANCIPATED: N_(
        "Le patient est un mineur émancipé : il exerce lui-même le droit d'accès."
    ),
    AccessReason.MINOR_OPPOSED: N_(
        "Le mineur s'est opposé à ce que les titulaires de l'autorité parentale soient "
        "informés (L1111-5) : la demande ne peut pas être satisfaite."
    ),
    AccessReason.MANDATE_ENDED: N_(
        "Le patient est décédé : la mesure de protection a pris fin avec le décès."
    ),
    AccessReason.PATIENT_ALIVE: N_(
        "Le patient est vivant : un proche n'a pas accès à son dossier sans mandat."
    ),
    AccessReason.DECEASED_OPPOSED: N_(
        "Le patient s'est opposé de son vivant à la communication de son dossier à ses "
        "ayants droit (L1110-4)."
    ),
    AccessReason.MOTIVE_NOT_ADMISSIBLE: N_(
        "Motif non recevable : connaître les causes du décès, défendre la mémoire du "
        "défunt ou faire valoir ses droits (L1110-4)."
    ),
    AccessReason.PROOFS_MISSING: N_("Des justificatifs manquent : la demande est incomplète."),
    AccessReason.MOTIVE_MISSING: N_(
        "Le motif de la demande doit être indiqué par écrit (L1110-4)."
    ),
    AccessReason.CONSENT_REQUIRED: N_(
        "Le consentement exprès du majeur protégé est nécessaire (R1111-1)."
    ),
    AccessReason.DESIGNATION_MISSING: N_(
        "Le médecin doit produire sa désignation par la personne qui a droit au dossier."
    ),
    AccessReason.TOO_EARLY: N_(
        "Trop tôt : le dossier ne peut pas être communiqué avant {earliest_on} "
        "(délai de réflexion de 48 heures, L1111-7)."
    ),
    AccessReason.INVALID_TRANSITION: N_(
        "Impossible de passer la demande de « {current} » à « {target} »."
    ),
    AccessReason.ALREADY_IN_STATUS: N_("La demande est déjà au statut « {current} »."),
    AccessReason.THIRD_PARTY_INFORMATION: N_(
        "Pièce non communicable : information provenant d'un tiers ou le concernant (L1111-7)."
    ),
}

_REQUESTER_LABELS: Final[Mapping[RequesterKind, str]] = {
    RequesterKind.PATIENT: N_("le patient"),
    RequesterKind.PARENT: N_("titulaire de l'autorité parentale"),
    RequesterKind.TUTEUR: N_("tuteur (protection avec représentation)"),
    RequesterKind.CURATEUR: N_("curateur (protection avec assistance)"),
    RequesterKind.AYANT_DROIT: N_("ayant droit"),
    RequesterKind.CONCUBIN: N_("concubin"),
    RequesterKind.PARTENAIRE_PACS: N_("partenaire de PACS"),
    RequesterKind.MEDECIN: N_("médecin désigné"),
    RequesterKind.TIERS: N_("tiers"),
}

_MOTIVE_LABELS: Final[Mapping[HeirMotive, str]] = {
    HeirMotive.CAUSES_DECES: N_("connaître les causes de la mort"),
    HeirMotive.DEFENDRE_MEMOIRE: N_("défendre la mémoire du défunt"),
    HeirMotive.FAIRE_VALOIR_DROITS: N_("faire valoir ses droits"),
}

_PROOF_LABELS: Final[Mapping[Proof, str]] = {
    Proof.DEMANDE_ECRITE: N_("demande écrite"),
    Proof.IDENTITE: N_("pièce d'identité du demandeur"),
    Proof.AUTORITE_PARENTALE: N_(
        "justificatif de l'autorité parentale (livret de famille ou acte de naissance)"
    ),
    Proof.JUGEMENT_PROTECTION: N_(
        "jugement de la mesure de protection avec représentation (tutelle, habilitation familiale)"
    ),
    Proof.JUGEMENT_CURATELLE: N_("jugement de curatelle (mesure avec assistance)"),
    Proof.CONSENTEMENT_MAJEUR_PROTEGE: N_("consentement écrit du majeur protégé"),
    Proof.ACTE_DECES: N_("acte de décès"),
    Proof.QUALITE_AYANT_DROIT: N_(
        "justificatif de la qualité d'ayant droit (acte de notoriété, livret de famille, "
        "certificat d'hérédité)"
    ),
    Proof.QUALITE_CONCUBIN: N_("justificatif du concubinage"),
    Proof.QUALITE_PARTENAIRE_PACS: N_("justificatif du PACS"),
    Proof.MOTIF: N_("motif de la demande"),
    Proof.DESIGNATION_MEDECIN: N_("désignation du médecin par le demandeur"),
    Proof.QUALITE_MEDECIN: N_("justificatif de la qualité de médecin"),
}

_STATUS_LABELS: Final[Mapping[RequestStatus, str]] = {
    RequestStatus.RECUE: N_("reçue"),
    RequestStatus.INCOMPLETE: N_("incomplète"),
    RequestStatus.COMPLETE: N_("complète"),
    RequestStatus.EN_PREPARATION: N_("en préparation"),
    RequestStatus.ENVOYEE: N_("envoyée"),
    RequestStatus.CONSULTEE_SUR_PLACE: N_("consultée sur place"),
    RequestStatus.REFUSEE: N_("refusée"),
    RequestStatus.CLOTUREE: N_("clôturée"),
}

_DECISION_LABELS: Final[Mapping[Decision, str]] = {
    Decision.ALLOWED: N_("recevable"),
    Decision.REFUSED: N_("à refuser"),
    Decision.INCOMPLETE: N_("incomplète"),
}


def requester_label(kind: RequesterKind) -> str:
    return _(_REQUESTER_LABELS[kind])


def motive_label(motive: HeirMotive) -> str:
    return _(_MOTIVE_LABELS[motive])


def proof_label(proof: Proof) -> str:
    return _(_PROOF_LABELS[proof])


def status_label(status: RequestStatus) -> str:
    return _(_STATUS_LABELS[status])


def decision_label(decision: Decision) -> str:
    return _(_DECISION_LABELS[decision])


def reason_message(
    reason: AccessReason,
    *,
    current: RequestStatus | None = None,
    target: RequestStatus | None = None,
    limits: Deadlines | None = None,
) -> str:
    """The sentence for ``reason``; statuses and deadlines fill its placeholders."""
    return _(REASON_TEMPLATES[reason]).format(
        current=status_label(current) if current is not None else "",
        target=status_label(target) if target is not None else "",
        earliest_on=format_date(limits.earliest_on, "long") if limits is not None else "",
    )


def missing_proofs_message(missing: Iterable[Proof]) -> str:
    """« Pièces à fournir : a ; b. » (empty when nothing is missing)."""
    labels = [proof_label(p) for p in missing]
    if not labels:
        return ""
    return _("Pièces à fournir : {items}.").format(items=" ; ".join(labels))


def eligibility_message(result: Eligibility) -> str:
    """The decision, its reasons, and what to ask for, in a few sentences."""
    parts = [_("Demande {decision}.").format(decision=decision_label(result.decision))]
    parts.extend(reason_message(r) for r in result.reasons)
    if result.decision is Decision.REFUSED:
        parts.append(_("Refusez la demande par écrit, en indiquant le motif du refus."))
    if result.missing:
        parts.append(missing_proofs_message(result.missing))
    if result.limited_to_motive and result.decision is not Decision.REFUSED:
        parts.append(_("Seules les informations nécessaires au motif invoqué sont communiquées."))
    return " ".join(parts)


def deadlines_message(limits: Deadlines) -> str:
    """« Communication possible à partir du …, au plus tard le …. » (+ the long case)."""
    text = _("Communication possible à partir du {earliest_on}, au plus tard le {due_on}.").format(
        earliest_on=format_date(limits.earliest_on, "long"),
        due_on=format_date(limits.due_on, "long"),
    )
    if limits.long:
        text += " " + _(
            "Délai long : informations anciennes ou commission départementale des soins "
            "psychiatriques saisie (L1111-7)."
        )
    return text
