"""Every requester of the action catalogue, end to end in the rules: the right, the proofs
of ``access.yaml`` (and the French reason when one is missing), the heirs' motive, the
designated doctor who acts for someone, and the third party who has no right at all."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from simsec.actions.catalogue import DocumentKind, Requester, literal_values
from simsec.actions.catalogue import RequesterKind as CatalogueRequester
from simsec.rules.access import (
    HEIR_KINDS,
    AccessReason,
    Decision,
    PatientFacts,
    Proof,
    RequesterKind,
    eligibility,
    load_access_rules,
)
from simsec.rules.documents import DocumentKind as RuleDocumentKind
from simsec.texts.access import eligibility_message, reason_message, requester_label
from simsec.texts.documents import kind_label

K = RequesterKind
ADULT = PatientFacts()
MINOR = PatientFacts(minor=True)
DECEASED = PatientFacts(deceased=True)
DATA = Path(__file__).parents[2] / "simsec" / "data" / "access.yaml"

#: For each kind with a right: the patient it applies to, the documents that make the
#: request complete, the motive, and (proof removed, French words of the reason).
CASES: dict[RequesterKind, tuple[PatientFacts, list[str], str | None, tuple[Proof, str]]] = {
    K.PATIENT: (ADULT, ["demande_ecrite", "cni"], None, (Proof.IDENTITE, "pièce d'identité")),
    K.PARENT: (
        MINOR,
        ["demande_ecrite", "passeport", "livret_famille"],
        None,
        (Proof.AUTORITE_PARENTALE, "autorité parentale"),
    ),
    K.TUTEUR: (
        ADULT,
        ["demande_ecrite", "cni", "jugement_tutelle"],
        None,
        (Proof.JUGEMENT_PROTECTION, "jugement de la mesure de protection"),
    ),
    K.CURATEUR: (
        ADULT,
        ["demande_ecrite", "cni", "jugement_curatelle", "consentement_ecrit"],
        None,
        (Proof.CONSENTEMENT_MAJEUR_PROTEGE, "consentement exprès du majeur protégé"),
    ),
    K.AYANT_DROIT: (
        DECEASED,
        ["demande_ecrite", "cni", "acte_deces", "certificat_heredite"],
        "causes_deces",
        (Proof.QUALITE_AYANT_DROIT, "qualité d'ayant droit"),
    ),
    K.CONCUBIN: (
        DECEASED,
        ["demande_ecrite", "titre_sejour", "acte_deces", "certificat_concubinage"],
        "defendre_memoire",
        (Proof.QUALITE_CONCUBIN, "justificatif du concubinage"),
    ),
    K.PARTENAIRE_PACS: (
        DECEASED,
        ["demande_ecrite", "cni", "acte_deces", "attestation_pacs"],
        "faire_valoir_droits",
        (Proof.QUALITE_PARTENAIRE_PACS, "justificatif du PACS"),
    ),
}
DOCTOR = ["designation_medecin", "carte_cps"]


def _without(documents: list[str], proof: Proof) -> list[str]:
    kinds = set(load_access_rules().proofs[proof])
    return [d for d in documents if d not in kinds]


# ------------------------------------------------------------------------ vocabulary


def test_the_catalogue_knows_every_requester_and_every_proof_document() -> None:
    assert set(literal_values(CatalogueRequester)) == {k.value for k in RequesterKind}
    catalogue = set(literal_values(DocumentKind))
    data = load_access_rules()
    named = {kind for kinds in data.proofs.values() for kind in kinds}
    assert named <= catalogue, named - catalogue
    assert catalogue == {k.value for k in RuleDocumentKind}
    for kind in named:  # a French label, not the raw name
        assert kind_label(kind) and "_" not in kind_label(kind)
    assert kind_label("jugement_curatelle") == "jugement de curatelle"
    assert kind_label("attestation_pacs") == "attestation d'enregistrement du PACS"


def test_requester_on_behalf_of_is_optional_and_checked() -> None:
    assert Requester.model_validate({"kind": "tiers", "name": "M. X"}).on_behalf_of is None
    doctor = Requester.model_validate(
        {"kind": "medecin", "name": "Dr Y", "on_behalf_of": "curateur"}
    )
    assert doctor.on_behalf_of == "curateur"
    both = Requester.model_validate(  # a relationship may come with it
        {
            "kind": "medecin",
            "name": "Dr Y",
            "relationship": "médecin traitant",
            "on_behalf_of": "patient",
        }
    )
    assert (both.relationship, both.on_behalf_of) == ("médecin traitant", "patient")
    with pytest.raises(ValidationError):
        Requester.model_validate({"kind": "medecin", "name": "Dr Y", "on_behalf_of": "voisin"})
    with pytest.raises(ValidationError):
        Requester.model_validate({"kind": "voisin", "name": "M. X"})


def test_no_right_is_data(tmp_path: Path) -> None:
    assert load_access_rules().no_right == frozenset({K.TIERS})
    raw = yaml.safe_load(DATA.read_text("utf-8"))
    raw["no_right"] = ["tiers", "concubin"]
    path = tmp_path / "access.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ValidationError, match="no_right"):  # concubin still has proofs
        load_access_rules(path)
    del raw["required"]["concubin"]
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    rules = load_access_rules(path)
    result = eligibility(K.CONCUBIN, DECEASED, motive="causes_deces", rules=rules)
    assert result.decision is Decision.REFUSED
    assert AccessReason.THIRD_PARTY_REQUESTER in result.reasons
    raw["no_right"] = ["tiers", "medecin"]
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ValidationError, match="designated doctor"):
        load_access_rules(path)


# ------------------------------------------------------------------- each requester


@pytest.mark.parametrize("kind", list(CASES), ids=str)
def test_each_requester_complete_then_missing_a_proof(kind: RequesterKind) -> None:
    patient, documents, motive, (proof, words) = CASES[kind]
    allowed = eligibility(kind, patient, motive=motive, documents=documents)
    assert allowed.decision is Decision.ALLOWED, allowed
    assert set(allowed.required) == set(load_access_rules().required[kind])
    assert allowed.limited_to_motive == (kind in HEIR_KINDS)
    assert "recevable" in eligibility_message(allowed)

    missing = eligibility(kind, patient, motive=motive, documents=_without(documents, proof))
    assert missing.decision is Decision.INCOMPLETE
    assert missing.missing == (proof,)
    assert missing.reasons[0] is AccessReason.PROOFS_MISSING
    message = eligibility_message(missing)
    assert message.startswith("Demande incomplète.")
    assert words in message, message


@pytest.mark.parametrize("kind", sorted(HEIR_KINDS), ids=str)
def test_heirs_concubin_and_partner_need_a_motive(kind: RequesterKind) -> None:
    _patient, documents, _motive, _missing = CASES[kind]
    result = eligibility(kind, DECEASED, documents=documents)
    assert result.missing == (Proof.MOTIF,)
    assert AccessReason.MOTIVE_MISSING in result.reasons
    assert "motif de la demande" in eligibility_message(result)
    wrong = eligibility(kind, DECEASED, motive="curiosite", documents=documents)
    assert wrong.reasons == (AccessReason.MOTIVE_NOT_ADMISSIBLE,)
    alive = eligibility(kind, ADULT, motive="causes_deces", documents=documents)
    assert alive.reasons == (AccessReason.PATIENT_ALIVE,)


def test_a_curateurs_request_ends_with_the_death() -> None:
    _patient, documents, _motive, _missing = CASES[K.CURATEUR]
    result = eligibility(K.CURATEUR, DECEASED, documents=documents)
    assert result.reasons == (AccessReason.MANDATE_ENDED,)


@pytest.mark.parametrize("principal", list(CASES), ids=str)
def test_designated_doctor_brings_their_proofs_and_the_principals(
    principal: RequesterKind,
) -> None:
    patient, documents, motive, (proof, words) = CASES[principal]
    data = load_access_rules()
    result = eligibility(
        K.MEDECIN, patient, motive=motive, documents=[*DOCTOR, *documents], on_behalf_of=principal
    )
    assert result.decision is Decision.ALLOWED, result
    assert set(result.required) == set(data.required[K.MEDECIN]) | set(data.required[principal])
    assert result.limited_to_motive == (principal in HEIR_KINDS)

    own = eligibility(
        K.MEDECIN, patient, motive=motive, documents=documents, on_behalf_of=principal
    )
    assert own.missing == (Proof.DESIGNATION_MEDECIN, Proof.QUALITE_MEDECIN)
    assert AccessReason.DESIGNATION_MISSING in own.reasons
    assert "désignation" in eligibility_message(own)
    theirs = eligibility(
        K.MEDECIN,
        patient,
        motive=motive,
        documents=[*DOCTOR, *_without(documents, proof)],
        on_behalf_of=principal,
    )
    assert theirs.missing == (proof,)
    assert words in eligibility_message(theirs)


# ------------------------------------------------------------------------ third party


@pytest.mark.parametrize("patient", [ADULT, MINOR, DECEASED])
def test_a_third_party_has_no_right_and_is_refused_with_a_motive(patient: PatientFacts) -> None:
    every_document = [k for kinds in load_access_rules().proofs.values() for k in kinds]
    result = eligibility(K.TIERS, patient, motive="causes_deces", documents=every_document)
    assert result.decision is Decision.REFUSED and not result.allowed
    assert result.reasons == (
        AccessReason.THIRD_PARTY_REQUESTER,
        AccessReason.UNAUTHORISED_REQUESTER,
    )
    assert result.missing == () and result.required == ()
    message = eligibility_message(result)
    assert message.startswith("Demande à refuser.")
    assert "Un tiers n'a aucun droit d'accès au dossier médical" in message
    assert "secret professionnel" in message
    assert "Refusez la demande par écrit, en indiquant le motif du refus." in message
    assert requester_label(K.TIERS) == "tiers"


def test_the_third_party_reason_reads_as_a_motive() -> None:
    text = reason_message(AccessReason.THIRD_PARTY_REQUESTER)
    assert "tiers" in text and "aucun droit" in text and "{" not in text


def test_a_doctor_cannot_act_for_a_third_party() -> None:
    result = eligibility(K.MEDECIN, ADULT, documents=DOCTOR, on_behalf_of=K.TIERS)
    assert result.reasons == (AccessReason.UNAUTHORISED_REQUESTER,)


# ------------------------------------------------------------------ scenario format


def test_the_json_schema_offers_the_new_requesters_and_documents() -> None:
    from simsec.scenario.schema import schema_text

    text = schema_text()
    for value in ("curateur", "concubin", "partenaire_pacs", "tiers", "on_behalf_of"):
        assert f'"{value}"' in text
    for kind in ("jugement_curatelle", "consentement_ecrit", "carte_cps", "attestation_rpps"):
        assert f'"{kind}"' in text


def test_people_may_carry_the_new_proof_documents_with_their_fields() -> None:
    from simsec.scenario.loader import load_scenario_bytes

    shipped = Path(__file__).parents[2] / "scenarios" / "acces_dossier_ayant_droit.yaml"
    text = shipped.read_text("utf-8")
    anchor = "      - key: cni_marchand\n"
    assert anchor in text
    documents = (
        '      - {key: heredite, kind: certificat_heredite, heirs: ["Isabelle MARCHAND"],'
        ' author: "Mairie de Tours", issued: 2026-02-01, death_date: 2026-01-21}\n'
        '      - {key: pacs, kind: attestation_pacs, members: ["A", "B"], issued: 2020-01-01}\n'
        "      - {key: cps, kind: carte_cps, birth_name: NAUDIN, first_names: [PAUL],"
        ' number: "810001234567", expires: 2029-01-01}\n'
    )
    good = load_scenario_bytes(text.replace(anchor, documents + anchor).encode(), "ok.yaml")
    assert good.ok, [e.message for e in good.errors]
    bad_doc = "      - {key: consent, kind: consentement_ecrit, mrz: valid}\n"
    bad = load_scenario_bytes(text.replace(anchor, bad_doc + anchor).encode(), "bad.yaml")
    assert not bad.ok
    assert any("mrz" in e.message and "consentement_ecrit" in e.message for e in bad.errors)
