"""Documents presented at the desk: trust level for identity validation, validity at a
date, MRZ formats, and the assessment of a set of documents for validating an identity.

Sources (details and [à vérifier] items in ``simsec/data/documents.yaml``):

* RNIV volet 1 (principes communs), §3.3: high-trust identification devices (passport;
  CNI of France, the EU, Switzerland, Liechtenstein, Norway, Iceland, the Vatican, Monaco,
  San Marino, Andorra; titre de séjour issued in France). The carte Vitale and the
  permis de conduire never validate an identity.
* RNIV volet 1 §3.3.3 (January 2024 update; identito-na.fr, sante-ara.fr): without a
  high-trust document, a **minor** is validated with a livret de famille or birth extract
  together with a high-trust device of a parent, or of the guardian with the court
  decision; an **EHPAD resident** admitted directly, with a livret de famille or birth
  extract together with a carte Vitale with photo.
* FR Core value set ``fr-core-vs-mode-validation-identity-ins`` for the validation modes.
* Décret n° 2013-1188 du 18 décembre 2013: 15-year validity of some French CNI.
* Expired documents: the RNIV leaves the tolerance to the structure; its default is the
  ``expired_document_tolerance_years`` of ``simsec/data/identity.yaml`` [à vérifier].

Pure functions: dates are arguments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml

from simsec.rules.identity import Severity, load_conventions
from simsec.rules.mrz import MrzFormat

__all__ = [
    "DocumentFinding",
    "DocumentFindingCode",
    "DocumentKind",
    "DocumentRules",
    "Holder",
    "IdentityDocumentAssessment",
    "KindInfo",
    "PresentedDocument",
    "TrustLevel",
    "Validity",
    "ValidityStatus",
    "assess_identity_documents",
    "carries_mrz",
    "effective_expiry",
    "kind_info",
    "load_document_rules",
    "mrz_format_for",
    "trust_level",
    "validity",
]


class DocumentKind(StrEnum):
    """The document kinds of the scenario format (SCENARIO_FORMAT.md, ``people``)."""

    CNI = "cni"
    PASSEPORT = "passeport"
    TITRE_SEJOUR = "titre_sejour"
    PERMIS_CONDUIRE = "permis_conduire"
    CARTE_VITALE = "carte_vitale"
    ATTESTATION_DROITS = "attestation_droits"
    CARTE_MUTUELLE = "carte_mutuelle"
    ATTESTATION_C2S = "attestation_c2s"
    ATTESTATION_AME = "attestation_ame"
    CEAM = "ceam"
    LIVRET_FAMILLE = "livret_famille"
    ACTE_NAISSANCE = "acte_naissance"
    ACTE_DECES = "acte_deces"
    ACTE_NOTORIETE = "acte_notoriete"
    JUGEMENT_TUTELLE = "jugement_tutelle"
    FEUILLE_AT = "feuille_at"
    ORDONNANCE = "ordonnance"
    LETTRE_MEDECIN = "lettre_medecin"
    JUSTIFICATIF_DOMICILE = "justificatif_domicile"
    AUTORISATION_OPERER = "autorisation_operer"
    DEMANDE_ECRITE = "demande_ecrite"
    # proofs of a request for access to the medical record (simsec/data/access.yaml)
    JUGEMENT_CURATELLE = "jugement_curatelle"
    JUGEMENT_HABILITATION_FAMILIALE = "jugement_habilitation_familiale"
    CONSENTEMENT_ECRIT = "consentement_ecrit"
    CERTIFICAT_HEREDITE = "certificat_heredite"
    CERTIFICAT_CONCUBINAGE = "certificat_concubinage"
    ATTESTATION_VIE_COMMUNE = "attestation_vie_commune"
    ATTESTATION_PACS = "attestation_pacs"
    DESIGNATION_MEDECIN = "designation_medecin"
    CARTE_CPS = "carte_cps"
    ATTESTATION_RPPS = "attestation_rpps"


class TrustLevel(StrEnum):
    """Trust level of a document for validating an identity (RNIV volet 1 §3.3)."""

    HIGH = "high"  # validates on its own
    CONDITIONAL = "conditional"  # only with another document (RNIV volet 1 §3.3.3)
    INSUFFICIENT = "insufficient"  # never validates


class Holder(StrEnum):
    """Whose identity a presented document proves (scenario ``people.role``).

    A livret de famille or a birth extract is about the patient: its holder is
    ``patient`` even when a parent brings it.
    """

    PATIENT = "patient"
    PARENT = "parent"
    TUTEUR = "tuteur"
    OTHER = "autre"


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class KindInfo:
    """What the data file says of one document kind."""

    kind: DocumentKind
    trust: TrustLevel
    validation_mode: str | None
    mrz_formats: tuple[MrzFormat, ...]
    mrz_document_code: str | None
    expired_accepted: bool


@dataclass(frozen=True, slots=True, eq=False)
class DocumentRules:
    """The document table in force at a date (``simsec/data/documents.yaml``)."""

    valid_from: date
    kinds: Mapping[DocumentKind, KindInfo]
    ehpad_validation_modes: Mapping[DocumentKind, str]
    cni_states: frozenset[str]
    titre_sejour_states: frozenset[str]
    cni_td1_from: date
    cni_extension_from: date
    cni_extension_to: date
    cni_extension_adult_age: int
    cni_extension_years: int


def _kind_info(kind: DocumentKind, entry: Mapping[str, Any]) -> KindInfo:
    return KindInfo(
        kind=kind,
        trust=TrustLevel(entry["trust"]),
        validation_mode=entry.get("validation_mode"),
        mrz_formats=tuple(MrzFormat(f) for f in entry.get("mrz", ())),
        mrz_document_code=entry.get("mrz_document_code"),
        expired_accepted=bool(entry.get("expired_accepted", False)),
    )


def _rules_from(entry: Mapping[str, Any]) -> DocumentRules:
    kinds = {DocumentKind(k): _kind_info(DocumentKind(k), v) for k, v in entry["kinds"].items()}
    missing = set(DocumentKind) - set(kinds)
    if missing:
        raise ValueError(f"documents.yaml: no entry for {sorted(missing)}")
    extension = entry["cni_extension"]
    return DocumentRules(
        valid_from=entry["valid_from"],
        kinds=kinds,
        ehpad_validation_modes={
            DocumentKind(k): str(v) for k, v in entry["ehpad_validation_modes"].items()
        },
        cni_states=frozenset(entry["cni_states"]),
        titre_sejour_states=frozenset(entry["titre_sejour_states"]),
        cni_td1_from=entry["cni_td1_from"],
        cni_extension_from=extension["issued_from"],
        cni_extension_to=extension["issued_to"],
        cni_extension_adult_age=int(extension["adult_age"]),
        cni_extension_years=int(extension["extra_years"]),
    )


@cache
def _all_rules() -> tuple[DocumentRules, ...]:
    text = resources.files("simsec.data").joinpath("documents.yaml").read_text("utf-8")
    versions = (_rules_from(entry) for entry in yaml.safe_load(text)["versions"])
    return tuple(sorted(versions, key=lambda r: r.valid_from))


def load_document_rules(on: date | None = None) -> DocumentRules:
    """The document table in force on ``on`` (the latest when ``on`` is None)."""
    versions = _all_rules()
    if on is None:
        return versions[-1]
    in_force = [r for r in versions if r.valid_from <= on]
    return in_force[-1] if in_force else versions[0]


def kind_info(kind: DocumentKind | str, on: date | None = None) -> KindInfo:
    return load_document_rules(on).kinds[DocumentKind(kind)]


# --------------------------------------------------------------------------- trust, MRZ


def trust_level(
    kind: DocumentKind | str, issuing_state: str | None = None, on: date | None = None
) -> TrustLevel:
    """The trust level of ``kind`` for validating an identity (RNIV volet 1 §3.3).

    ``issuing_state`` (ISO 3166-1 alpha-3, France when None) matters for two kinds: a
    CNI is high trust only from the listed European states, a titre de séjour only when
    issued in France.
    """
    rules = load_document_rules(on)
    info = rules.kinds[DocumentKind(kind)]
    state = (issuing_state or "FRA").upper()
    if info.kind is DocumentKind.CNI and state not in rules.cni_states:
        return TrustLevel.INSUFFICIENT
    if info.kind is DocumentKind.TITRE_SEJOUR and state not in rules.titre_sejour_states:
        return TrustLevel.INSUFFICIENT
    return info.trust


def carries_mrz(kind: DocumentKind | str) -> bool:
    """Whether documents of ``kind`` carry an MRZ (ICAO 9303, or the old French CNI)."""
    return bool(kind_info(kind).mrz_formats)


def mrz_format_for(kind: DocumentKind | str, issued: date | None = None) -> MrzFormat | None:
    """The MRZ format of a document of ``kind`` issued on ``issued``.

    A French CNI issued before ``cni_td1_from`` has the old 2 x 36 MRZ, the new card a
    TD1 MRZ (data). Without an issue date, the current format.
    """
    rules = load_document_rules(issued)
    info = rules.kinds[DocumentKind(kind)]
    if not info.mrz_formats:
        return None
    if info.kind is DocumentKind.CNI:
        old = issued is not None and issued < rules.cni_td1_from
        return MrzFormat.FR_CNI_1988 if old else MrzFormat.TD1
    return info.mrz_formats[0]


# --------------------------------------------------------------------------- validity


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year + years, day=28)


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def effective_expiry(
    kind: DocumentKind | str,
    expires: date | None,
    *,
    issued: date | None = None,
    holder_birth_date: date | None = None,
) -> date | None:
    """The real end of validity: the printed date, extended for some French CNI.

    Décret n° 2013-1188 du 18 décembre 2013: a CNI issued from 2 January 2004 to
    31 December 2013 to an adult is valid 15 years, 5 more than printed. Without the
    issue date or the holder's birth date the printed date is kept.
    """
    if expires is None:
        return None
    if DocumentKind(kind) is not DocumentKind.CNI or issued is None or holder_birth_date is None:
        return expires
    rules = load_document_rules(issued)
    in_window = rules.cni_extension_from <= issued <= rules.cni_extension_to
    if in_window and _age(holder_birth_date, issued) >= rules.cni_extension_adult_age:
        return _add_years(expires, rules.cni_extension_years)
    return expires


class ValidityStatus(StrEnum):
    VALID = "valid"
    NO_EXPIRY = "no_expiry"  # the document has no end of validity (livret de famille...)
    NOT_YET_ISSUED = "not_yet_issued"  # issued after the date of the check: inconsistent
    EXPIRED_TOLERATED = "expired_tolerated"  # expired, within the structure's tolerance
    EXPIRED_TOO_LONG = "expired_too_long"  # expired for more than the tolerance
    EXPIRED = "expired"  # expired, and this kind is not accepted once expired


@dataclass(frozen=True, slots=True)
class Validity:
    """The validity of a document at a date."""

    status: ValidityStatus
    effective_expiry: date | None
    tolerance_years: int
    days_expired: int = 0

    @property
    def acceptable(self) -> bool:
        """The document may still prove identity (a warning when expired but tolerated)."""
        return self.status in (
            ValidityStatus.VALID,
            ValidityStatus.NO_EXPIRY,
            ValidityStatus.EXPIRED_TOLERATED,
        )


def validity(
    kind: DocumentKind | str,
    *,
    on: date,
    expires: date | None,
    issued: date | None = None,
    holder_birth_date: date | None = None,
    tolerance_years: int | None = None,
) -> Validity:
    """Whether a document of ``kind`` is valid on ``on``.

    A document is valid up to and including its (effective) expiry date. An expired CNI,
    passport or titre de séjour may still prove identity (it proves identity, not
    nationality) for ``tolerance_years`` after its expiry; the RNIV leaves this limit to
    the structure, so it is a parameter whose default is data (identity.yaml,
    ``expired_document_tolerance_years``, [à vérifier]).
    """
    years = (
        load_conventions(on).expired_document_tolerance_years
        if tolerance_years is None
        else tolerance_years
    )
    if issued is not None and issued > on:
        return Validity(ValidityStatus.NOT_YET_ISSUED, expires, years)
    end = effective_expiry(kind, expires, issued=issued, holder_birth_date=holder_birth_date)
    if end is None:
        return Validity(ValidityStatus.NO_EXPIRY, None, years)
    if on <= end:
        return Validity(ValidityStatus.VALID, end, years)
    days = (on - end).days
    if not kind_info(kind, on).expired_accepted:
        return Validity(ValidityStatus.EXPIRED, end, years, days)
    if on <= _add_years(end, years):
        return Validity(ValidityStatus.EXPIRED_TOLERATED, end, years, days)
    return Validity(ValidityStatus.EXPIRED_TOO_LONG, end, years, days)


# --------------------------------------------------------------------------- assessment


@dataclass(frozen=True, slots=True)
class PresentedDocument:
    """A document shown at the desk, as far as identity validation is concerned.

    ``mrz_ok``: the result of the MRZ check (None when not checked or no MRZ).
    ``has_photo``: for the carte Vitale (the EHPAD rule needs one with a photo).
    """

    kind: DocumentKind
    holder: Holder = Holder.PATIENT
    expires: date | None = None
    issued: date | None = None
    issuing_state: str | None = None
    holder_birth_date: date | None = None
    has_photo: bool = True
    mrz_ok: bool | None = None
    key: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", DocumentKind(self.kind))
        object.__setattr__(self, "holder", Holder(self.holder))


class DocumentFindingCode(StrEnum):
    """Stable codes of the findings on presented documents (texts: simsec.texts.documents)."""

    ACCEPTED_HIGH_TRUST = "accepted_high_trust"
    ACCEPTED_MINOR_WITH_PARENT = "accepted_minor_with_parent"
    ACCEPTED_MINOR_WITH_GUARDIAN = "accepted_minor_with_guardian"
    ACCEPTED_EHPAD_WITH_VITALE = "accepted_ehpad_with_vitale"
    INSUFFICIENT_TRUST = "insufficient_trust"
    STATE_NOT_ACCEPTED = "state_not_accepted"
    EXPIRED_TOLERATED = "expired_tolerated"
    EXPIRED_TOO_LONG = "expired_too_long"
    EXPIRED = "expired"
    NOT_YET_ISSUED = "not_yet_issued"
    MRZ_INVALID = "mrz_invalid"
    NOT_THE_PATIENTS_DOCUMENT = "not_the_patients_document"
    NEEDS_PARENT_DOCUMENT = "needs_parent_document"
    NEEDS_COURT_DECISION = "needs_court_decision"
    NEEDS_BIRTH_RECORD = "needs_birth_record"
    NEEDS_VITALE_WITH_PHOTO = "needs_vitale_with_photo"
    CONDITIONAL_NOT_APPLICABLE = "conditional_not_applicable"
    NO_DOCUMENT = "no_document"


@dataclass(frozen=True, slots=True)
class DocumentFinding:
    code: DocumentFindingCode
    severity: Severity
    kind: DocumentKind | None = None
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class IdentityDocumentAssessment:
    """Whether the documents presented validate the patient's identity, and why.

    ``validation_mode`` is the FR Core code to store with the status (CN, PA, CS, LE, AN,
    LECV, ANCV); ``basis`` the documents it rests on.
    """

    accepted: bool
    validation_mode: str | None
    basis: tuple[PresentedDocument, ...]
    findings: tuple[DocumentFinding, ...]


def _finding(
    code: DocumentFindingCode,
    severity: Severity,
    doc: PresentedDocument | None = None,
    **params: str,
) -> DocumentFinding:
    return DocumentFinding(code, severity, doc.kind if doc else None, params)


def _usable_high_trust(
    doc: PresentedDocument, on: date, tolerance: int | None
) -> tuple[bool, list[DocumentFinding]]:
    """Whether ``doc`` is a high-trust device usable on ``on``, and the findings on it."""
    rules = load_document_rules(on)
    info = rules.kinds[doc.kind]
    level = trust_level(doc.kind, doc.issuing_state, on)
    if level is not TrustLevel.HIGH:
        if info.trust is TrustLevel.HIGH:  # high trust kind, refused for its issuing state
            state = (doc.issuing_state or "").upper()
            return False, [
                _finding(DocumentFindingCode.STATE_NOT_ACCEPTED, Severity.ERROR, doc, state=state)
            ]
        return False, []
    findings: list[DocumentFinding] = []
    v = validity(
        doc.kind,
        on=on,
        expires=doc.expires,
        issued=doc.issued,
        holder_birth_date=doc.holder_birth_date,
        tolerance_years=tolerance,
    )
    expiry = v.effective_expiry.isoformat() if v.effective_expiry else ""
    if v.status is ValidityStatus.EXPIRED_TOLERATED:
        findings.append(
            _finding(
                DocumentFindingCode.EXPIRED_TOLERATED,
                Severity.WARNING,
                doc,
                expires=expiry,
                years=str(v.tolerance_years),
            )
        )
    elif v.status is ValidityStatus.EXPIRED_TOO_LONG:
        findings.append(
            _finding(
                DocumentFindingCode.EXPIRED_TOO_LONG,
                Severity.ERROR,
                doc,
                expires=expiry,
                years=str(v.tolerance_years),
            )
        )
    elif v.status is ValidityStatus.EXPIRED:
        findings.append(_finding(DocumentFindingCode.EXPIRED, Severity.ERROR, doc, expires=expiry))
    elif v.status is ValidityStatus.NOT_YET_ISSUED:
        issued = doc.issued.isoformat() if doc.issued else ""
        findings.append(
            _finding(DocumentFindingCode.NOT_YET_ISSUED, Severity.ERROR, doc, issued=issued)
        )
    if doc.mrz_ok is False:
        findings.append(_finding(DocumentFindingCode.MRZ_INVALID, Severity.ERROR, doc))
    return v.acceptable and doc.mrz_ok is not False, findings


def assess_identity_documents(
    documents: Sequence[PresentedDocument],
    *,
    on: date,
    patient_minor: bool = False,
    ehpad_direct_admission: bool = False,
    tolerance_years: int | None = None,
) -> IdentityDocumentAssessment:
    """Whether ``documents`` (shown together) validate the patient's identity on ``on``.

    In order (RNIV volet 1 §3.3 and §3.3.3):

    1. a high-trust device of the patient, valid or expired within the tolerance, with
       no bad MRZ: accepted (CN, PA or CS);
    2. a minor: a livret de famille or birth extract together with a usable high-trust
       device of a parent (LE or AN), or of the guardian with the court decision
       (``jugement_tutelle``);
    3. an EHPAD resident admitted directly: a livret de famille or birth extract together
       with the patient's carte Vitale with photo (LECV or ANCV);
    4. otherwise refused, with findings that explain why.
    """
    rules = load_document_rules(on)
    checked = [(doc, *_usable_high_trust(doc, on, tolerance_years)) for doc in documents]
    findings = [f for _, _, doc_findings in checked for f in doc_findings]

    def high(holder: Holder) -> list[PresentedDocument]:
        return [doc for doc, ok, _ in checked if ok and doc.holder is holder]

    def accept(
        code: DocumentFindingCode, mode: str | None, *basis: PresentedDocument
    ) -> IdentityDocumentAssessment:
        kept = [f for doc, _, fs in checked if any(doc is b for b in basis) for f in fs]
        head = _finding(code, Severity.INFO, basis[0])
        return IdentityDocumentAssessment(True, mode, basis, (head, *kept))

    own = high(Holder.PATIENT)
    if own:
        mode = rules.kinds[own[0].kind].validation_mode
        return accept(DocumentFindingCode.ACCEPTED_HIGH_TRUST, mode, own[0])

    records = [d for d in documents if rules.kinds[d.kind].trust is TrustLevel.CONDITIONAL]
    if patient_minor and records:
        record = records[0]
        mode = rules.kinds[record.kind].validation_mode
        parents, guardians = high(Holder.PARENT), high(Holder.TUTEUR)
        decisions = [d for d in documents if d.kind is DocumentKind.JUGEMENT_TUTELLE]
        if parents:
            return accept(DocumentFindingCode.ACCEPTED_MINOR_WITH_PARENT, mode, record, parents[0])
        if guardians and decisions:
            return accept(
                DocumentFindingCode.ACCEPTED_MINOR_WITH_GUARDIAN,
                mode,
                record,
                guardians[0],
                decisions[0],
            )
        code = (
            DocumentFindingCode.NEEDS_COURT_DECISION
            if guardians
            else DocumentFindingCode.NEEDS_PARENT_DOCUMENT
        )
        findings.append(_finding(code, Severity.ERROR, record))

    if ehpad_direct_admission and records:
        record = records[0]
        vitales = [
            d
            for d in documents
            if d.kind is DocumentKind.CARTE_VITALE and d.holder is Holder.PATIENT and d.has_photo
        ]
        if vitales:
            mode = rules.ehpad_validation_modes.get(record.kind)
            return accept(DocumentFindingCode.ACCEPTED_EHPAD_WITH_VITALE, mode, record, vitales[0])
        findings.append(
            _finding(DocumentFindingCode.NEEDS_VITALE_WITH_PHOTO, Severity.ERROR, record)
        )

    others = [doc for doc, ok, _ in checked if ok and doc.holder is not Holder.PATIENT]
    findings.extend(
        _refusal_findings(documents, others, rules, patient_minor, ehpad_direct_admission)
    )
    return IdentityDocumentAssessment(False, None, (), tuple(findings))


def _refusal_findings(
    documents: Sequence[PresentedDocument],
    others_high: Sequence[PresentedDocument],
    rules: DocumentRules,
    patient_minor: bool,
    ehpad: bool,
) -> list[DocumentFinding]:
    """Why each document, alone, does not validate the identity."""
    if not documents:
        return [_finding(DocumentFindingCode.NO_DOCUMENT, Severity.ERROR)]
    has_record = any(rules.kinds[d.kind].trust is TrustLevel.CONDITIONAL for d in documents)
    findings: list[DocumentFinding] = []
    for doc in documents:
        trust = rules.kinds[doc.kind].trust
        if trust is TrustLevel.INSUFFICIENT and doc.kind is not DocumentKind.JUGEMENT_TUTELLE:
            findings.append(_finding(DocumentFindingCode.INSUFFICIENT_TRUST, Severity.ERROR, doc))
        elif trust is TrustLevel.CONDITIONAL and not (patient_minor or ehpad):
            findings.append(
                _finding(DocumentFindingCode.CONDITIONAL_NOT_APPLICABLE, Severity.ERROR, doc)
            )
    for doc in others_high:
        if not patient_minor:
            findings.append(
                _finding(DocumentFindingCode.NOT_THE_PATIENTS_DOCUMENT, Severity.ERROR, doc)
            )
        elif not has_record:
            findings.append(_finding(DocumentFindingCode.NEEDS_BIRTH_RECORD, Severity.ERROR, doc))
    return findings
