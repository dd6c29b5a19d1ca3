"""French messages of the domain services: refusals (``RuleError`` codes) and warnings.

Each template is marked with ``N_`` for extraction and translated with ``_`` when shown.
Its ``{placeholders}`` are the parameters the service gives; dates and date-times are
rendered in words (:func:`render`) before formatting. The codes are stable: the run log
records them (``RUNLOG_FORMAT.md``, ``result.error.code``) and scenarios may match them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from simsec.i18n import N_, _, format_date, format_datetime

__all__ = [
    "APPOINTMENT_STATUS_LABELS",
    "ENTITY_LABELS",
    "NON_MEDICAL_SPECIALTIES",
    "REFUSAL_TEMPLATES",
    "WARNING_TEMPLATES",
    "appointment_status_label",
    "entity_label",
    "practitioner_name",
    "refusal_message",
    "render",
    "warning_message",
]

#: How each kind of entity is named in a message (« Patient « p_dupont » introuvable »).
ENTITY_LABELS: Final[Mapping[str, str]] = {
    "patient": N_("Patient"),
    "practitioner": N_("Praticien"),
    "person": N_("Personne"),
    "document": N_("Document"),
    "record": N_("Pièce du dossier médical"),
    "appointment": N_("Rendez-vous"),
    "admission": N_("Admission"),
    "request": N_("Demande d'accès au dossier"),
    "invoice": N_("Facture"),
    "letter": N_("Courrier"),
    "search": N_("Recherche"),
}

REFUSAL_TEMPLATES: Final[Mapping[str, str]] = {
    # references and the desk
    "not_found": N_("{entity} « {key} » introuvable."),
    "unresolved_reference": N_(
        "Référence « {key} » non résolue : choisissez un patient dans les résultats d'une "
        "recherche."
    ),
    "person_unknown": N_("Personne « {key} » inconnue dans ce scénario."),
    "person_not_present": N_(
        "{key} n'est pas à l'accueil ni au téléphone pour le moment : cette action attend "
        "sa venue ou son appel."
    ),
    "document_not_presented": N_(
        "Le document « {key} » n'a pas été présenté à l'accueil : il ne peut pas être utilisé."
    ),
    "document_not_requested": N_(
        "Le document « {key} » ({kind}) n'a pas encore été remis : demandez-le d'abord à la "
        "personne (« Demander un document »)."
    ),
    "document_wrong_kind": N_(
        "Le document « {key} » est un(e) {kind} : un(e) {expected} est attendu(e)."
    ),
    "empty_text": N_("Le champ « {field} » ne peut pas être vide."),
    # identity
    "invalid_traits": N_("Identité refusée : {details}"),
    "invalid_nir": N_("NIR refusé : {details}"),
    "incoherent_nir": N_("Le NIR ne correspond pas aux traits de l'identité : {details}"),
    "ins_traits_locked": N_(
        "Les traits stricts ({traits}) de cette identité ont été récupérés par le téléservice "
        "INSi : ce sont ceux de l'INS et ils ne se modifient pas à l'accueil (RNIV). En cas "
        "de doute, posez l'attribut « douteuse » et signalez-le à la cellule "
        "d'identitovigilance."
    ),
    "insi_unavailable": N_(
        "Le téléservice INSi est indisponible : appliquez la procédure dégradée (l'identité "
        "reste provisoire ou validée) et réessayez plus tard."
    ),
    "adri_unavailable": N_(
        "Le service ADRi est indisponible : vérifiez les droits sur la carte Vitale ou "
        "l'attestation papier, et réessayez plus tard."
    ),
    "insi_query_incomplete": N_(
        "INSi ne peut pas être interrogé sans {traits} : complétez l'identité d'abord."
    ),
    "no_vitale": N_("Aucune carte Vitale ne porte {patient} : interrogez INSi par les traits."),
    "flag_already_set": N_("L'attribut « {attribute} » est déjà posé sur cette identité."),
    "flag_not_set": N_("L'attribut « {attribute} » n'est pas posé sur cette identité."),
    "same_patient": N_(
        "Un signalement porte sur au moins deux dossiers différents ({key} est cité deux fois)."
    ),
    "already_attached": N_("Le document « {document} » est déjà joint au dossier de {patient}."),
    # coverage and billing
    "nothing_to_set": N_("Indiquez au moins la couverture obligatoire (AMO) ou complémentaire."),
    "invalid_period": N_("Période invalide : la fin ({end}) précède le début ({start})."),
    "appointment_not_billable": N_(
        "Le rendez-vous {key} est {status} : il ne peut pas être facturé."
    ),
    "already_billed": N_("{key} est déjà facturé (facture {invoice})."),
    "no_patient": N_("{key} n'est rattaché à aucun patient."),
    "birth_date_missing": N_(
        "La date de naissance de {patient} est inconnue : le calcul des parts est impossible."
    ),
    "unknown_act": N_("Acte refusé : {details}"),
    "tiers_payant_not_allowed": N_("Tiers payant refusé : {details}"),
    "rights_not_open": N_(
        "Les droits AMO enregistrés ne sont pas ouverts le {on} : le tiers payant est "
        "impossible. Vérifiez les droits (ADRi) et mettez la couverture à jour."
    ),
    "invalid_amount": N_("Montant invalide : {amount} €."),
    "overpayment": N_(
        "Paiement refusé : {amount} € dépasse le reste dû ({remaining} €) de la facture {key}."
    ),
    # agenda
    "agenda_locked": N_(
        "L'agenda de {key} est en cours de modification par un autre poste : réessayez."
    ),
    "start_in_past": N_("Le {start} est déjà passé : choisissez un horaire à venir."),
    "bad_hours": N_("Les horaires du praticien {key} sont mal renseignés : {details}"),
    "appointment_cancelled": N_("Le rendez-vous {key} est annulé."),
    "appointment_wrong_status": N_(
        "Le rendez-vous {key} est {status} : cette action n'est possible que pour un rendez-vous "
        "{expected}."
    ),
    "not_started": N_(
        "Le rendez-vous {key} commence le {start} : il est trop tôt pour noter une absence."
    ),
    "room_busy": N_("La salle « {room} » est déjà occupée par « {title} » de {start} à {end}."),
    # admission
    "admission_closed": N_("L'admission {key} est clôturée."),
    "admission_already_open": N_(
        "Une admission est déjà ouverte pour ce patient à cette date : {key}."
    ),
    "document_already_recorded": N_("« {kind} » est déjà enregistré pour {key}."),
    "minor_cannot_designate": N_(
        "Seule une personne majeure peut désigner une personne de confiance (CSP L1111-6) : "
        "le patient a {age} ans."
    ),
    # access to the medical record
    "date_in_future": N_("Le {on} est dans le futur (aujourd'hui : {today})."),
    "date_before_receipt": N_("Le {on} précède la réception de la demande ({received_on})."),
    "item_not_in_record": N_("La pièce « {key} » n'appartient pas au dossier de ce patient."),
    "item_not_requested": N_("La pièce « {key} » n'a pas été demandée."),
    "proofs_missing": N_("La demande est incomplète. {details}"),
    "request_not_eligible": N_("La demande ne peut pas être satisfaite : {details}"),
    "request_finished": N_("La demande {key} est {status} : elle n'attend plus de pièces."),
    "nothing_communicable": N_("Aucune des pièces choisies n'est communicable : {details}"),
    "nothing_prepared": N_("Aucune pièce n'a été préparée : préparez la communication d'abord."),
    "on_behalf_of_not_doctor": N_(
        "« Agit pour » (on_behalf_of) ne concerne que le médecin désigné : le demandeur est "
        "« {kind} »."
    ),
    # letters and submissions
    "unknown_template": N_("Modèle de courrier « {template} » inconnu."),
    "letter_field_missing": N_(
        "Le courrier « {template} » ne peut pas être rédigé : il manque {fields}."
    ),
    "letter_already_sent": N_("Le courrier {key} a déjà été envoyé."),
    "letter_sent_not_editable": N_(
        "Le courrier {key} a déjà été envoyé : il ne peut plus être modifié ni abandonné."
    ),
    "letter_discarded": N_(
        "Le courrier {key} a été abandonné : il ne peut plus être modifié ni envoyé."
    ),
    "letter_field_unknown": N_(
        "Le courrier {key} (modèle « {template} ») n'a pas de champ « {field} » : "
        "modifiables : {fields}."
    ),
    "letter_text_edited": N_(
        "Le courrier {key} a été retouché à la main (« {part} ») : modifiez directement "
        "« {part} » plutôt que le champ « {field} »."
    ),
    "letter_unchanged": N_("Le courrier {key} n'est pas modifié : rien ne change."),
    "letter_already_discarded": N_("Le courrier {key} est déjà abandonné."),
}

WARNING_TEMPLATES: Final[Mapping[str, str]] = {
    "identity_issue": N_("{details}"),
    "nir_warning": N_("NIR : {details}"),
    "status_change": N_("{details}"),
    "document_finding": N_("{details}"),
    "document_inconsistent": N_(
        "Le document ne correspond pas au dossier ({traits}) : ne validez pas l'identité, "
        "vérifiez la saisie ou signalez un doute."
    ),
    "document_not_validating": N_(
        "Ce contrôle ne valide pas l'identité : le statut reste {status}."
    ),
    "insi_slow": N_("Le téléservice INSi répond lentement."),
    "adri_slow": N_("Le service ADRi répond lentement."),
    "insi_not_found": N_(
        "INSi ne trouve aucune identité : vérifiez les traits sur la pièce d'identité."
    ),
    "insi_many": N_(
        "INSi trouve plusieurs identités : précisez la recherche (lieu de naissance, "
        "prénoms complets)."
    ),
    "insi_traits_differ": N_(
        "Les traits renvoyés par INSi diffèrent du dossier ({traits}) : le résultat n'est "
        "pas accepté. Vérifiez sur la pièce d'identité, corrigez si besoin, puis rappelez "
        "INSi."
    ),
    "insi_ins_elsewhere": N_(
        "Cet INS est déjà enregistré dans le dossier {keys} : doublon probable. Il n'est "
        "pas recopié ; signalez-le à la cellule d'identitovigilance."
    ),
    "patient_not_on_card": N_(
        "{patient} ne figure pas sur cette carte Vitale (assuré : {holder})."
    ),
    "coverage_differs": N_(
        "Les droits lus diffèrent de la couverture enregistrée ({fields}) : mettez-la à jour."
    ),
    "rights_not_open": N_("Les droits AMO ne sont pas ouverts le {on} ({status})."),
    "insurer_unknown": N_("Aucun droit trouvé pour {patient} auprès de l'assurance maladie."),
    "coverage_missing": N_(
        "Aucune couverture n'est enregistrée pour {patient} : la facture est calculée sans "
        "droits particuliers."
    ),
    "tiers_payant_below_compulsory": N_(
        "Ce patient a droit au tiers payant ({compulsory}) : l'appliquer est obligatoire."
    ),
    "coverage_note": N_("{details}"),
    "billed_before_arrival": N_("Le rendez-vous {key} est facturé sans être noté arrivé."),
    "arrival_other_day": N_("Le rendez-vous {key} est prévu le {start}, pas aujourd'hui."),
    "arrived_after_no_show": N_(
        "Le rendez-vous {key} était noté « absent » : il est corrigé en « arrivé »."
    ),
    "absence_hits": N_("Cette absence touche {count} rendez-vous à déplacer ou annuler : {keys}."),
    "waitlist_candidates": N_(
        "Des patients en liste d'attente peuvent prendre ce créneau : {keys}."
    ),
    "admission_missing": N_("Admission clôturée avec des pièces manquantes : {items}."),
    "confiance_offer": N_(
        "Proposez au patient de désigner une personne de confiance (CSP L1111-6), distincte "
        "de la personne à prévenir."
    ),
    "access_refusable": N_(
        "Cette demande doit être refusée, par écrit et avec un motif : {details}"
    ),
    "access_incomplete": N_("{details}"),
    "access_limited_to_motive": N_(
        "{who} : seules les informations nécessaires au motif invoqué sont communiquées (L1110-4)."
    ),
    "access_withheld": N_(
        "Pièces non communicables (information d'un tiers ou concernant un tiers, "
        "L1111-7) : {keys}."
    ),
    "access_overdue": N_("Communication après la date limite du {due_on}."),
    "access_mode_differs": N_(
        "Le mode de communication ({mode}) diffère de celui demandé ({delivery})."
    ),
    "access_refusing_eligible": N_(
        "Cette demande remplissait les conditions : un refus doit être motivé."
    ),
}


#: Appointment statuses in words (``appointment.status``).
APPOINTMENT_STATUS_LABELS: Final[Mapping[str, str]] = {
    "booked": N_("prévu"),
    "arrived": N_("arrivé"),
    "no_show": N_("absent"),
    "cancelled": N_("annulé"),
}


#: Specialties whose practitioners are not doctors (no « Dr » before their name).
NON_MEDICAL_SPECIALTIES: Final = frozenset({"soins_infirmiers", "kinesitherapie", "sage_femme"})


def practitioner_name(first_name: str | None, last_name: str, specialty: str | None) -> str:
    """How a practitioner is named in a message: « Dr Claire MARTIN », or « Léa RIVIERE »
    for a profession that is not a doctor (nurse, physiotherapist, midwife)."""
    name = " ".join(part for part in (first_name, last_name) if part)
    if specialty in NON_MEDICAL_SPECIALTIES:
        return name
    return _("Dr {name}").format(name=name)


def appointment_status_label(status: str) -> str:
    """« prévu », « arrivé », « absent », « annulé » (the code itself when unknown)."""
    label = APPOINTMENT_STATUS_LABELS.get(status)
    return _(label) if label else status


def _shown(value: Any) -> str:
    if isinstance(value, datetime):
        return format_datetime(value, "short")
    if isinstance(value, date):
        return format_date(value, "long")
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_shown(item) for item in value)
    return str(value)


def render(params: Mapping[str, Any]) -> dict[str, str]:
    """Parameters as display text: dates in words, amounts with a decimal comma, lists
    joined by commas."""
    return {key: _shown(value) for key, value in params.items()}


def entity_label(kind: str) -> str:
    """« Patient », « Rendez-vous »... (the kind itself when unknown)."""
    label = ENTITY_LABELS.get(kind)
    return _(label) if label else kind


def refusal_message(code: str, params: Mapping[str, Any]) -> str:
    """The French sentence of a refusal ``code``, filled with ``params``."""
    return _(REFUSAL_TEMPLATES[code]).format(**render(params))


def warning_message(code: str, params: Mapping[str, Any]) -> str:
    """The French sentence of a warning ``code``, filled with ``params``."""
    return _(WARNING_TEMPLATES[code]).format(**render(params))
