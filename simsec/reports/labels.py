"""Labels and formats of the assessor's documents (report, cohort table).

The keys are the stable names of the two public formats (SCENARIO_FORMAT.md § Actions,
§ events; RUNLOG_FORMAT.md § Records); the values are French msgids marked with ``N_``
and translated when shown (:func:`label`), so that the report reads in the jury's
language while the codes stay those of the log. An unknown name (an action added by a
later version, a damaged record) is shown as it is written.

Times are scenario times (RUNLOG_FORMAT.md ``t``); points and percentages are formatted
for the current language with Babel (:mod:`simsec.i18n`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final

from simsec.i18n import N_, _, format_number
from simsec.rules.documents import DocumentKind
from simsec.scenario.scoring import json_number
from simsec.texts.desk import QUESTION_LABELS
from simsec.texts.documents import kind_label

__all__ = [
    "ACTION_LABELS",
    "END_REASON_LABELS",
    "EVENT_LABELS",
    "FIELD_LABELS",
    "GUIDANCE_LABELS",
    "HOLDER_LABELS",
    "IDENTITY_STATUS_LABELS",
    "OUTCOME_LABELS",
    "QUESTION_LABELS",
    "RECORD_LABELS",
    "SERVICE_LABELS",
    "clock",
    "delay",
    "label",
    "percent",
    "points",
    "result_label",
    "result_mark",
    "score_fraction",
    "value_label",
    "wall_clock",
]

#: The action catalogue (SCENARIO_FORMAT.md § Actions), as an assessor reads it.
ACTION_LABELS: Final[Mapping[str, str]] = {
    "attend": N_("Prendre en charge une personne"),
    "ask": N_("Poser une question"),
    "request_document": N_("Demander un document"),
    "say": N_("Dire"),
    "end_interaction": N_("Terminer l'échange"),
    "send_message": N_("Envoyer un message"),
    "search_patients": N_("Rechercher un patient"),
    "create_patient": N_("Créer un dossier patient"),
    "update_patient": N_("Modifier l'identité"),
    "check_identity_document": N_("Contrôler une pièce d'identité"),
    "call_insi": N_("Interroger INSi"),
    "flag_identity": N_("Poser un attribut d'identité"),
    "report_identity_issue": N_("Signaler un doublon ou une collision"),
    "attach_document": N_("Joindre un document au dossier"),
    "read_vitale": N_("Lire la carte Vitale"),
    "check_rights": N_("Consulter les droits (ADRi)"),
    "set_coverage": N_("Enregistrer la couverture"),
    "bill": N_("Facturer"),
    "record_payment": N_("Encaisser un paiement"),
    "find_slots": N_("Chercher des créneaux"),
    "book_appointment": N_("Prendre un rendez-vous"),
    "move_appointment": N_("Déplacer un rendez-vous"),
    "cancel_appointment": N_("Annuler un rendez-vous"),
    "mark_arrived": N_("Noter l'arrivée"),
    "mark_no_show": N_("Noter un rendez-vous non honoré"),
    "add_to_waitlist": N_("Inscrire en liste d'attente"),
    "add_absence": N_("Enregistrer une absence"),
    "schedule_meeting": N_("Planifier une réunion"),
    "open_admission": N_("Ouvrir une admission"),
    "record_admission_document": N_("Enregistrer une pièce d'admission"),
    "set_contact_person": N_("Désigner une personne de confiance ou à prévenir"),
    "close_admission": N_("Clore l'admission"),
    "register_access_request": N_("Enregistrer une demande d'accès au dossier"),
    "record_request_document": N_("Enregistrer une pièce de la demande"),
    "request_missing_documents": N_("Demander les pièces manquantes"),
    "mark_request_complete": N_("Déclarer la demande complète"),
    "prepare_communication": N_("Préparer la communication"),
    "send_communication": N_("Communiquer le dossier"),
    "refuse_access_request": N_("Refuser la demande d'accès"),
    "close_access_request": N_("Clore la demande d'accès"),
    "write_letter": N_("Rédiger un courrier"),
    "edit_letter": N_("Modifier un brouillon de courrier"),
    "discard_letter": N_("Abandonner un brouillon de courrier"),
    "send_letter": N_("Envoyer un courrier"),
    "submit_transcription": N_("Remettre une transcription"),
    "submit_answer": N_("Répondre à une question"),
    "wait": N_("Attendre"),
}

#: Timeline event kinds (SCENARIO_FORMAT.md § events).
EVENT_LABELS: Final[Mapping[str, str]] = {
    "visitor": N_("Visiteur au guichet"),
    "call": N_("Appel téléphonique"),
    "message": N_("Message"),
    "fault": N_("Incident de téléservice"),
    "note": N_("Consigne"),
    "dictation": N_("Dictée"),
    "question": N_("Question"),
}

#: Record kinds (RUNLOG_FORMAT.md § Records).
RECORD_LABELS: Final[Mapping[str, str]] = {
    "header": N_("En-tête"),
    "event": N_("Événement"),
    "action": N_("Action"),
    "view": N_("Consultation"),
    "grade": N_("Évaluateur"),
    "end": N_("Fin"),
}

END_REASON_LABELS: Final[Mapping[str, str]] = {
    "completed": N_("terminée par le stagiaire"),
    "time_up": N_("temps écoulé"),
    "abandoned": N_("abandonnée"),
}

GUIDANCE_LABELS: Final[Mapping[str, str]] = {
    "guided": N_("guidé (avertissements affichés)"),
    "realistic": N_("réaliste (sans avertissement)"),
}

#: ``end_interaction`` outcomes (SCENARIO_FORMAT.md § Actions, desk).
OUTCOME_LABELS: Final[Mapping[str, str]] = {
    "oriented": N_("orienté"),
    "transferred": N_("appel transféré"),
    "message_taken": N_("message pris"),
    "appointment_given": N_("rendez-vous donné"),
    "refused": N_("demande refusée"),
    "done": N_("terminé"),
}

#: RNIV identity statuses (SCENARIO_FORMAT.md § fixtures, ``identity_status``).
IDENTITY_STATUS_LABELS: Final[Mapping[str, str]] = {
    "provisoire": N_("provisoire"),
    "recuperee": N_("récupérée"),
    "validee": N_("validée"),
    "qualifiee": N_("qualifiée"),
}

#: Whose an admission document is (``record_admission_document.holder``).
HOLDER_LABELS: Final[Mapping[str, str]] = {
    "patient": N_("le patient"),
    "accompagnant": N_("l'accompagnant"),
}

#: Teleservices a fault may affect (SCENARIO_FORMAT.md § events, ``fault``).
SERVICE_LABELS: Final[Mapping[str, str]] = {"insi": N_("INSi"), "adri": N_("ADRi")}

#: Field names of the actions' ``with``, for the journal.
FIELD_LABELS: Final[Mapping[str, str]] = {
    "person": N_("personne"),
    "question": N_("question"),
    "keyword": N_("mot-clé"),
    "kind": N_("type"),
    "holder": N_("pièce de"),
    "text": N_("texte"),
    "outcome": N_("issue"),
    "note": N_("note"),
    "to": N_("destinataire"),
    "subject": N_("objet"),
    "body": N_("texte"),
    "patient": N_("patient"),
    "patients": N_("patients"),
    "document": N_("document"),
    "mode": N_("mode"),
    "attribute": N_("attribut"),
    "on": N_("le"),
    "set": N_("modifications"),
    "appointment": N_("rendez-vous"),
    "admission": N_("admission"),
    "practitioner": N_("praticien"),
    "type": N_("type"),
    "start": N_("début"),
    "reason": N_("motif"),
    "by": N_("à l'initiative de"),
    "request": N_("demande"),
    "requester": N_("demandeur"),
    "received_on": N_("reçue le"),
    "channel": N_("canal"),
    "items": N_("éléments"),
    "delivery": N_("remise"),
    "kinds": N_("pièces"),
    "motive": N_("motif"),
    "template": N_("modèle"),
    "letter": N_("courrier"),
    "task": N_("tâche"),
    "value": N_("réponse"),
    "until": N_("jusqu'à"),
    "for": N_("durée"),
    "invoice": N_("facture"),
    "amount": N_("montant"),
    "method": N_("moyen de paiement"),
    "acts": N_("actes"),
    "tiers_payant": N_("tiers payant"),
    "birth_name": N_("nom de naissance"),
    "used_name": N_("nom utilisé"),
    "first_name": N_("prénom"),
    "first_names": N_("prénoms"),
    "birth_date": N_("date de naissance"),
    "birth_place": N_("lieu de naissance"),
    "sex": N_("sexe"),
    "ins": N_("INS"),
    "nir": N_("NIR"),
    "phone": N_("téléphone"),
    "email": N_("courriel"),
    "address": N_("adresse"),
    "title": N_("intitulé"),
    "participants": N_("participants"),
    "minutes": N_("durée (min)"),
    "room": N_("salle"),
    "date": N_("date"),
    "service": N_("service"),
    "role": N_("rôle"),
    "name": N_("nom"),
    "relationship": N_("lien"),
    "after": N_("après"),
    "before": N_("avant"),
    "count": N_("nombre"),
    "from": N_("du"),
    "amo": N_("AMO"),
    "amc": N_("AMC"),
    "fields": N_("champs"),
    "key": N_("clé"),
    "identity_status": N_("statut de l'identité"),
    "status": N_("statut"),
}


_DOCUMENT_KINDS: Final = frozenset(str(kind) for kind in DocumentKind)


def label(table: Mapping[str, str], name: object) -> str:
    """The translated label of ``name`` in ``table``, or ``name`` as written."""
    text = str(name) if name is not None else ""
    msgid = table.get(text)
    return _(msgid) if msgid is not None else text


def value_label(field: str, value: object) -> str | None:
    """A readable label for some coded values (a question, a document kind, an outcome);
    None when the value is shown as it is."""
    if not isinstance(value, str):
        return None
    if field == "question" and value in QUESTION_LABELS:
        return _(QUESTION_LABELS[value])
    if field in ("kind", "kinds") and value in _DOCUMENT_KINDS:
        return kind_label(value)
    if field == "holder" and value in HOLDER_LABELS:
        return _(HOLDER_LABELS[value])
    if field == "outcome" and value in OUTCOME_LABELS:
        return _(OUTCOME_LABELS[value])
    if field == "identity_status" and value in IDENTITY_STATUS_LABELS:
        return _(IDENTITY_STATUS_LABELS[value])
    return None


def clock(moment: datetime | None, day: date | None = None) -> str:
    """A scenario time as ``08:45:30``; with the date (``03/03 08:45:30``) when it is not
    ``day`` (a scenario that runs past midnight)."""
    if moment is None:
        return "—"
    if day is not None and moment.date() != day:
        return moment.strftime("%d/%m %H:%M:%S")
    return moment.strftime("%H:%M:%S")


def wall_clock(moment: datetime | None) -> str:
    """A wall-clock time (UTC) to the millisecond: ``07:45:10.123``."""
    if moment is None:
        return "—"
    return moment.strftime("%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def delay(span: timedelta | None) -> str:
    """A duration as people say it: ``30 s``, ``1 min 30 s``, ``1 h 05 min``."""
    if span is None:
        return "—"
    seconds = int(span.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours} h {minutes:02d} min"
    if minutes:
        return f"{sign}{minutes} min {secs:02d} s" if secs else f"{sign}{minutes} min"
    return f"{sign}{secs} s"


def points(value: Decimal | None) -> str:
    """Points in the current language (``1,5`` in French); ``—`` when there are none."""
    number = json_number(value)
    if number is None:
        return "—"
    return format_number(number)


def percent(value: int | None) -> str:
    """A percentage in the current language (``85 %``); ``—`` when unknown."""
    if value is None:
        return "—"
    return _("{n} %").format(n=value)


def result_label(passed: bool | None, manual: bool, graded: bool) -> str:
    """How a criterion reads in the grid."""
    if manual:
        return _("noté par l'évaluateur") if graded else _("à noter par l'évaluateur")
    if passed is None:
        return _("non évalué")
    return _("acquis") if passed else _("non acquis")


def result_mark(passed: bool | None, manual: bool, graded: bool) -> str:
    """A sign for the result: ✔ acquired, ✘ not acquired, ✎ graded, ○ to grade (signs
    that common fonts have, so that they print)."""
    if manual:
        return "✎" if graded else "○"
    if passed is None:
        return "—"
    return "✔" if passed else "✘"


def score_fraction(points_: Decimal | None, maximum: Decimal | None) -> str:
    """``3 / 4`` in the current language (``—`` for the points not given yet)."""
    return f"{points(points_)} / {points(maximum)}"
