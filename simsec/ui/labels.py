"""French labels of the desk vocabulary (questions, outcomes, roles, document fields...).

The keys are the stable names of the scenario format (SCENARIO_FORMAT.md § people, §
Actions); the values are gettext msgids marked with ``N_`` and translated when shown
(:func:`label`). Document kinds are labelled by :func:`simsec.texts.documents.kind_label`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from simsec.i18n import N_, _
from simsec.texts.desk import QUESTION_LABELS

__all__ = [
    "CHANNEL_LABELS",
    "DESK_DOCUMENT_KINDS",
    "EVENT_LABELS",
    "FIELD_LABELS",
    "OUTCOME_LABELS",
    "QUESTION_LABELS",
    "ROLE_LABELS",
    "SERVICE_LABELS",
    "label",
]

#: The documents the desk may ask for (every document kind), most asked first: the order
#: of the quick menu.
DESK_DOCUMENT_KINDS: Final[tuple[str, ...]] = (
    "cni",
    "passeport",
    "titre_sejour",
    "carte_vitale",
    "attestation_droits",
    "carte_mutuelle",
    "attestation_c2s",
    "attestation_ame",
    "ceam",
    "livret_famille",
    "acte_naissance",
    "jugement_tutelle",
    "feuille_at",
    "ordonnance",
    "lettre_medecin",
    "justificatif_domicile",
    "permis_conduire",
    "acte_deces",
    "acte_notoriete",
    "autorisation_operer",
    "demande_ecrite",
    # the proofs of a request for access to the record
    "jugement_curatelle",
    "jugement_habilitation_familiale",
    "consentement_ecrit",
    "certificat_heredite",
    "certificat_concubinage",
    "attestation_vie_commune",
    "attestation_pacs",
    "designation_medecin",
    "carte_cps",
    "attestation_rpps",
)

#: How an interaction ends (``end_interaction.outcome``).
OUTCOME_LABELS: Final[Mapping[str, str]] = {
    "done": N_("Demande traitée"),
    "oriented": N_("Orienté vers un service"),
    "appointment_given": N_("Rendez-vous donné"),
    "transferred": N_("Appel transféré"),
    "message_taken": N_("Message pris pour un praticien"),
    "refused": N_("Demande refusée"),
}

CHANNEL_LABELS: Final[Mapping[str, str]] = {
    "visitor": N_("Au guichet"),
    "call": N_("Au téléphone"),
}

ROLE_LABELS: Final[Mapping[str, str]] = {
    "patient": N_("patient"),
    "parent": N_("parent"),
    "tuteur": N_("tuteur"),
    "ayant_droit": N_("ayant droit"),
    "proche": N_("proche"),
    "professionnel": N_("professionnel"),
    "autre": N_("autre"),
}

EVENT_LABELS: Final[Mapping[str, str]] = {
    "visitor": N_("Un visiteur arrive au guichet"),
    "call": N_("Le téléphone sonne"),
    "message": N_("Nouveau message"),
    "fault": N_("Incident de téléservice"),
    "note": N_("Consigne"),
    "dictation": N_("Dictée à transcrire"),
    "question": N_("Question à traiter"),
}

SERVICE_LABELS: Final[Mapping[str, str]] = {
    "insi": N_("INSi"),
    "adri": N_("ADRi"),
    "unavailable": N_("indisponible"),
    "slow": N_("lent"),
}

#: The fields a document card shows, in this order.
FIELD_LABELS: Final[Mapping[str, str]] = {
    "birth_name": N_("Nom de naissance"),
    "used_name": N_("Nom d'usage"),
    "first_names": N_("Prénoms"),
    "sex": N_("Sexe"),
    "birth_date": N_("Né(e) le"),
    "birth_place": N_("Lieu de naissance"),
    "nationality": N_("Nationalité"),
    "number": N_("N° du document"),
    "nir": N_("N° de sécurité sociale"),
    "holder": N_("Titulaire"),
    "beneficiaries": N_("Bénéficiaires"),
    "amo": N_("Assurance maladie"),
    "amc": N_("Complémentaire"),
    "valid_from": N_("Valable du"),
    "valid_until": N_("Valable jusqu'au"),
    "participation": N_("Participation"),
    "country": N_("Pays"),
    "author": N_("Auteur"),
    "date": N_("Date"),
    "title": N_("Objet"),
    "text": N_("Texte"),
    "to": N_("Destinataire"),
    "death_date": N_("Date du décès"),
    "death_place": N_("Lieu du décès"),
    "heirs": N_("Héritiers"),
    "members": N_("Membres"),
    "parents": N_("Parents"),
    "measure": N_("Mesure"),
    "guardian": N_("Tuteur ou curateur"),
    "employer": N_("Employeur"),
    "accident_date": N_("Date de l'accident"),
    "address": N_("Adresse"),
    "signed_by": N_("Signé par"),
    "issued": N_("Délivré le"),
    "expires": N_("Expire le"),
}


def label(table: Mapping[str, str], key: str) -> str:
    """The label of ``key`` in ``table``, translated; the key itself when unknown."""
    msgid = table.get(key)
    return _(msgid) if msgid is not None else key
