"""French messages and labels for ``simsec.rules.documents`` and ``simsec.rules.mrz``.

Each template is marked with ``N_`` for extraction and translated with ``_`` when shown;
its ``{placeholders}`` are the finding's parameters (ISO dates are rendered in words).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final

from simsec.i18n import N_, _, format_date, ngettext
from simsec.rules.documents import (
    DocumentFinding,
    DocumentFindingCode,
    DocumentKind,
    TrustLevel,
    Validity,
    ValidityStatus,
)
from simsec.rules.mrz import CheckField, CheckResult, MrzError, MrzErrorCode, MrzResult

__all__ = [
    "CHECK_FIELD_LABELS",
    "FINDING_TEMPLATES",
    "KIND_LABELS",
    "MRZ_ERROR_TEMPLATES",
    "TRUST_LABELS",
    "check_message",
    "finding_message",
    "kind_label",
    "mrz_error_message",
    "mrz_summary",
    "trust_label",
    "validity_message",
]

KIND_LABELS: Final[Mapping[DocumentKind, str]] = {
    DocumentKind.CNI: N_("carte nationale d'identité"),
    DocumentKind.PASSEPORT: N_("passeport"),
    DocumentKind.TITRE_SEJOUR: N_("titre de séjour"),
    DocumentKind.PERMIS_CONDUIRE: N_("permis de conduire"),
    DocumentKind.CARTE_VITALE: N_("carte Vitale"),
    DocumentKind.ATTESTATION_DROITS: N_("attestation de droits à l'assurance maladie"),
    DocumentKind.CARTE_MUTUELLE: N_("carte de mutuelle"),
    DocumentKind.ATTESTATION_C2S: N_("attestation de complémentaire santé solidaire"),
    DocumentKind.ATTESTATION_AME: N_("attestation d'aide médicale de l'État"),
    DocumentKind.CEAM: N_("carte européenne d'assurance maladie"),
    DocumentKind.LIVRET_FAMILLE: N_("livret de famille"),
    DocumentKind.ACTE_NAISSANCE: N_("extrait d'acte de naissance"),
    DocumentKind.ACTE_DECES: N_("acte de décès"),
    DocumentKind.ACTE_NOTORIETE: N_("acte de notoriété"),
    DocumentKind.JUGEMENT_TUTELLE: N_("jugement de tutelle"),
    DocumentKind.FEUILLE_AT: N_("feuille d'accident du travail"),
    DocumentKind.ORDONNANCE: N_("ordonnance"),
    DocumentKind.LETTRE_MEDECIN: N_("lettre du médecin"),
    DocumentKind.JUSTIFICATIF_DOMICILE: N_("justificatif de domicile"),
    DocumentKind.AUTORISATION_OPERER: N_("autorisation d'opérer"),
    DocumentKind.DEMANDE_ECRITE: N_("demande écrite"),
    DocumentKind.JUGEMENT_CURATELLE: N_("jugement de curatelle"),
    DocumentKind.JUGEMENT_HABILITATION_FAMILIALE: N_("jugement d'habilitation familiale"),
    DocumentKind.CONSENTEMENT_ECRIT: N_("consentement écrit du majeur protégé"),
    DocumentKind.CERTIFICAT_HEREDITE: N_("certificat d'hérédité"),
    DocumentKind.CERTIFICAT_CONCUBINAGE: N_("certificat de concubinage"),
    DocumentKind.ATTESTATION_VIE_COMMUNE: N_("attestation de vie commune"),
    DocumentKind.ATTESTATION_PACS: N_("attestation d'enregistrement du PACS"),
    DocumentKind.DESIGNATION_MEDECIN: N_("désignation du médecin"),
    DocumentKind.CARTE_CPS: N_("carte de professionnel de santé (CPS)"),
    DocumentKind.ATTESTATION_RPPS: N_("attestation d'inscription au RPPS"),
}

TRUST_LABELS: Final[Mapping[TrustLevel, str]] = {
    TrustLevel.HIGH: N_("haut niveau de confiance"),
    TrustLevel.CONDITIONAL: N_("recevable seulement avec un autre document"),
    TrustLevel.INSUFFICIENT: N_("insuffisant pour valider une identité"),
}

FINDING_TEMPLATES: Final[Mapping[DocumentFindingCode, str]] = {
    DocumentFindingCode.ACCEPTED_HIGH_TRUST: N_(
        "{kind} : dispositif d'identification à haut niveau de confiance, l'identité peut "
        "être validée."
    ),
    DocumentFindingCode.ACCEPTED_MINOR_WITH_PARENT: N_(
        "Patient mineur : {kind} présenté avec la pièce d'identité d'un parent, l'identité "
        "peut être validée (RNIV volet 1 §3.3.3)."
    ),
    DocumentFindingCode.ACCEPTED_MINOR_WITH_GUARDIAN: N_(
        "Patient mineur : {kind} présenté avec la pièce d'identité du tuteur et la décision "
        "de justice, l'identité peut être validée (RNIV volet 1 §3.3.3)."
    ),
    DocumentFindingCode.ACCEPTED_EHPAD_WITH_VITALE: N_(
        "Admission directe en EHPAD : {kind} présenté avec la carte Vitale avec photo, "
        "l'identité peut être validée (RNIV volet 1 §3.3.3)."
    ),
    DocumentFindingCode.INSUFFICIENT_TRUST: N_(
        "{kind} : ce document ne permet pas de valider une identité."
    ),
    DocumentFindingCode.STATE_NOT_ACCEPTED: N_(
        "{kind} délivré par « {state} » : ce pays ne figure pas parmi ceux dont le document "
        "est de haut niveau de confiance."
    ),
    DocumentFindingCode.EXPIRED_TOLERATED: N_(
        "{kind} expiré depuis le {expires} : accepté, la tolérance de la structure est de "
        "{years} ans après l'expiration."
    ),
    DocumentFindingCode.EXPIRED_TOO_LONG: N_(
        "{kind} expiré depuis le {expires}, plus de {years} ans : il n'est plus accepté."
    ),
    DocumentFindingCode.EXPIRED: N_("{kind} expiré depuis le {expires} : il n'est pas accepté."),
    DocumentFindingCode.NOT_YET_ISSUED: N_(
        "{kind} délivré le {issued}, après la date du contrôle : document incohérent."
    ),
    DocumentFindingCode.MRZ_INVALID: N_(
        "{kind} : la bande de lecture optique (MRZ) a une clé de contrôle fausse. Signe "
        "possible de falsification : ne validez pas l'identité et signalez-le."
    ),
    DocumentFindingCode.NOT_THE_PATIENTS_DOCUMENT: N_(
        "{kind} : ce document est celui d'une autre personne, pas du patient."
    ),
    DocumentFindingCode.NEEDS_PARENT_DOCUMENT: N_(
        "Patient mineur : le {kind} doit être accompagné de la pièce d'identité à haut "
        "niveau de confiance d'un parent."
    ),
    DocumentFindingCode.NEEDS_COURT_DECISION: N_(
        "Patient mineur présenté par son tuteur : la décision de justice est aussi nécessaire."
    ),
    DocumentFindingCode.NEEDS_BIRTH_RECORD: N_(
        "{kind} d'un parent : pour un mineur sans pièce d'identité, il faut aussi le livret "
        "de famille ou un extrait d'acte de naissance de l'enfant."
    ),
    DocumentFindingCode.NEEDS_VITALE_WITH_PHOTO: N_(
        "Admission directe en EHPAD : le {kind} doit être accompagné de la carte Vitale "
        "avec photo du résident."
    ),
    DocumentFindingCode.CONDITIONAL_NOT_APPLICABLE: N_(
        "{kind} : il ne valide une identité que pour un mineur (avec la pièce d'un parent) "
        "ou un résident admis directement en EHPAD (avec sa carte Vitale avec photo)."
    ),
    DocumentFindingCode.NO_DOCUMENT: N_(
        "Aucun document présenté : l'identité ne peut pas être validée."
    ),
}

MRZ_ERROR_TEMPLATES: Final[Mapping[MrzErrorCode, str]] = {
    MrzErrorCode.EMPTY: N_("Bande MRZ vide."),
    MrzErrorCode.UNKNOWN_FORMAT: N_(
        "Format de bande MRZ inconnu ({shape} caractères) : 3 lignes de 30, 2 lignes de 44 "
        "ou 2 lignes de 36 attendues."
    ),
    MrzErrorCode.INVALID_CHARACTER: N_(
        "Caractères interdits dans la bande MRZ : « {characters} » (A à Z, 0 à 9 et < seulement)."
    ),
    MrzErrorCode.INVALID_DATE: N_("Date « {value} » illisible dans la bande MRZ ({field})."),
}

CHECK_FIELD_LABELS: Final[Mapping[CheckField, str]] = {
    CheckField.DOCUMENT_NUMBER: N_("numéro du document"),
    CheckField.BIRTH_DATE: N_("date de naissance"),
    CheckField.EXPIRY_DATE: N_("date d'expiration"),
    CheckField.OPTIONAL_DATA: N_("données complémentaires"),
    CheckField.COMPOSITE: N_("clé globale"),
}

_VALIDITY_TEMPLATES: Final[Mapping[ValidityStatus, str]] = {
    ValidityStatus.VALID: N_("Valide jusqu'au {expires}."),
    ValidityStatus.NO_EXPIRY: N_("Document sans date d'expiration."),
    ValidityStatus.NOT_YET_ISSUED: N_("Date de délivrance postérieure à la date du contrôle."),
    ValidityStatus.EXPIRED_TOLERATED: N_(
        "Expiré depuis le {expires}, dans la tolérance de {years} ans."
    ),
    ValidityStatus.EXPIRED_TOO_LONG: N_("Expiré depuis le {expires}, plus de {years} ans."),
    ValidityStatus.EXPIRED: N_("Expiré depuis le {expires}."),
}


def kind_label(kind: DocumentKind | str) -> str:
    return _(KIND_LABELS[DocumentKind(kind)])


def trust_label(level: TrustLevel | str) -> str:
    return _(TRUST_LABELS[TrustLevel(level)])


def _long_date(iso: str) -> str:
    return format_date(date.fromisoformat(iso), "long") if iso else "?"


def finding_message(finding: DocumentFinding) -> str:
    """The French text of a document finding."""
    values = dict(finding.params)
    label = kind_label(finding.kind) if finding.kind else _("document")
    values["kind"] = label
    for name in ("expires", "issued"):
        if name in values:
            values[name] = _long_date(values[name])
    text = _(FINDING_TEMPLATES[finding.code]).format(**values)
    return text[0].upper() + text[1:]


def validity_message(result: Validity) -> str:
    expires = result.effective_expiry.isoformat() if result.effective_expiry else ""
    return _(_VALIDITY_TEMPLATES[result.status]).format(
        expires=_long_date(expires), years=result.tolerance_years
    )


def mrz_error_message(error: MrzError) -> str:
    values = dict(error.params)
    if "field" in values:
        values["field"] = _(CHECK_FIELD_LABELS[CheckField(values["field"])])
    return _(MRZ_ERROR_TEMPLATES[error.code]).format(**values)


def check_message(check: CheckResult) -> str:
    """ "Clé du numéro du document : correcte" or "... : fausse (lue 3, attendue 4)"."""
    label = _(CHECK_FIELD_LABELS[check.field])
    if check.ok:
        return _("Clé de contrôle ({field}) : correcte.").format(field=label)
    return _("Clé de contrôle ({field}) : fausse (lue {found}, attendue {expected}).").format(
        field=label, found=check.found, expected=check.expected
    )


def mrz_summary(result: MrzResult) -> str:
    """One line summing up an MRZ check."""
    if result.errors:
        return mrz_error_message(result.errors[0])
    bad = len(result.bad_checks)
    if not bad:
        return _("Bande MRZ cohérente : toutes les clés de contrôle sont correctes.")
    return ngettext(
        "Bande MRZ incohérente : {count} clé de contrôle fausse.",
        "Bande MRZ incohérente : {count} clés de contrôle fausses.",
        bad,
    ).format(count=bad)
