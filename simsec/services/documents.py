"""Documents the trainee produces: letters from templates, transcriptions, answers.

Letter templates are data (``simsec/data/letters.yaml``), filled from the record (the
patient, the next appointment, the latest access request) and from the action's
``fields``. Transcriptions and answers to statistics questions are stored as
``submission`` rows; the scenario's checks grade them.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any, Final, Literal

import yaml
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from simsec.actions.catalogue import (
    SendLetterFields,
    SubmitAnswerFields,
    SubmitTranscriptionFields,
    WriteLetterFields,
)
from simsec.db.models import (
    AccessRequest,
    Appointment,
    Letter,
    Patient,
    Practitioner,
    Structure,
    Submission,
)
from simsec.i18n import format_date
from simsec.services import lookup
from simsec.services.access import request_eligibility
from simsec.services.base import ServiceContext
from simsec.texts.access import proof_label

__all__ = [
    "LetterData",
    "LetterTemplate",
    "letter_values",
    "load_letters",
    "placeholders",
    "send_letter",
    "submit_answer",
    "submit_transcription",
    "write_letter",
]

_CIVILITE: Final = {"F": "Madame", "M": "Monsieur"}
_SALUTATION: Final = {"F": "Madame", "M": "Monsieur"}
_BOTH: Final = "Madame, Monsieur"
#: Letters are documents of the French workplace: dates are written in French.
_LETTER_LANG: Final = "fr"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LetterTemplate(_Frozen):
    label: str
    subject: str
    body: str


class LetterData(_Frozen):
    """The content of ``letters.yaml``, validated."""

    format: Literal["simsec/letters@1"]
    templates: dict[str, LetterTemplate]


@cache
def load_letters() -> LetterData:
    """The packaged letter templates (read once)."""
    text = resources.files("simsec.data").joinpath("letters.yaml").read_text("utf-8")
    return LetterData.model_validate(yaml.safe_load(text))


def placeholders(text: str) -> list[str]:
    """The ``{names}`` of a template, in order of first appearance."""
    names = [name for _, name, _, _ in string.Formatter().parse(text) if name]
    return list(dict.fromkeys(names))


def _long(value: Any) -> str:
    return format_date(value, "long", lang=_LETTER_LANG)


def _patient_values(patient: Patient) -> dict[str, str]:
    first = patient.used_first_name or (patient.first_names.split() or [""])[0]
    values = {
        "civilite": _CIVILITE.get(patient.sex or "", ""),
        "salutation": _SALUTATION.get(patient.sex or "", _BOTH),
        "prenom": first.title(),
        "nom": patient.used_name or patient.birth_name,
        "nom_naissance": patient.birth_name,
    }
    if patient.birth_date is not None:
        values["date_naissance"] = _long(patient.birth_date)
    return values


def _hour(hour: int, minute: int) -> str:
    """A time as written in a French letter: « 9 h », « 14 h 30 »."""
    return f"{hour} h" if minute == 0 else f"{hour} h {minute:02d}"


def _appointment_values(ctx: ServiceContext, patient: Patient) -> dict[str, str]:
    appointment = ctx.session.scalars(
        select(Appointment)
        .where(
            Appointment.patient_id == patient.id,
            Appointment.status == "booked",
            Appointment.start >= ctx.now,
        )
        .order_by(Appointment.start)
    ).first()
    if appointment is None:
        return {}
    practitioner = ctx.session.get_one(Practitioner, appointment.practitioner_id)
    return {
        "rdv_date": _long(appointment.start.date()),
        "rdv_heure": _hour(appointment.start.hour, appointment.start.minute),
        "praticien": f"le docteur {practitioner.first_name} {practitioner.last_name}",
    }


def _request_values(ctx: ServiceContext, patient: Patient) -> dict[str, str]:
    request = ctx.session.scalars(
        select(AccessRequest)
        .where(AccessRequest.patient_id == patient.id)
        .order_by(AccessRequest.received_on.desc(), AccessRequest.id.desc())
    ).first()
    if request is None:
        return {}
    values = {"demande_recue_le": _long(request.received_on)}
    if request.due_on is not None:
        values["date_limite"] = _long(request.due_on)
    missing = request_eligibility(ctx, request).missing
    if missing:
        values["pieces"] = " ; ".join(proof_label(p) for p in missing)
    return values


def letter_values(
    ctx: ServiceContext, to: str, patient: Patient | None, given: Mapping[str, str]
) -> dict[str, str]:
    """Everything the record can fill, then the action's ``fields`` (which win)."""
    values = {"date": _long(ctx.now.date()), "destinataire": to}
    structure = ctx.session.scalars(select(Structure).order_by(Structure.id)).first()
    if structure is not None:
        values["structure"] = structure.name
    if patient is not None:
        values.update(_patient_values(patient))
        values.update(_appointment_values(ctx, patient))
        values.update(_request_values(ctx, patient))
    values.update(given)
    return values


def write_letter(ctx: ServiceContext, fields: WriteLetterFields) -> dict[str, Any]:
    """Write a letter from a template, filled from the record and ``fields``.

    Refused when a placeholder cannot be filled (the result names it). The letter is a
    draft until ``send_letter``. Result: ``key``, ``template``, ``to``, ``patient``,
    ``subject``, ``body``.
    """
    template = load_letters().templates.get(fields.template)
    if template is None:
        raise lookup.refuse("unknown_template", template=fields.template)
    patient = lookup.patient(ctx.session, fields.patient) if fields.patient is not None else None
    values = letter_values(ctx, fields.to, patient, fields.fields)
    names = placeholders(template.subject + "\n" + template.body)
    missing = [name for name in names if not values.get(name)]
    if missing:
        raise lookup.refuse("letter_field_missing", template=fields.template, fields=missing)
    used = {name: values[name] for name in names}
    subject = template.subject.format_map(used)
    body = template.body.format_map(used)
    letter = Letter(
        key=ctx.keys.next_key(ctx.session, Letter, "letter"),
        template=fields.template,
        recipient=fields.to,
        patient_id=patient.id if patient else None,
        fields={"subject": subject, **used},
        body=body,
        status="draft",
        created_at=ctx.now,
    )
    ctx.session.add(letter)
    ctx.session.flush()
    return {
        "key": letter.key,
        "template": fields.template,
        "to": fields.to,
        "patient": patient.key if patient else None,
        "subject": subject,
        "body": body,
    }


def send_letter(ctx: ServiceContext, fields: SendLetterFields) -> dict[str, Any]:
    """Send a drafted letter. Result: ``key``, ``status``, ``sent_at``."""
    letter = lookup.letter(ctx.session, fields.letter)
    if letter.status == "sent":
        raise lookup.refuse("letter_already_sent", key=letter.key)
    letter.status = "sent"
    letter.sent_at = ctx.now
    return {"key": letter.key, "status": letter.status, "sent_at": lookup.iso(ctx.now)}


def _submit(ctx: ServiceContext, kind: str, target: str, value: str) -> Submission:
    submission = Submission(
        key=ctx.keys.next_key(ctx.session, Submission, "submission"),
        kind=kind,
        target=target,
        value=value,
        at=ctx.now,
    )
    ctx.session.add(submission)
    ctx.session.flush()
    return submission


def submit_transcription(ctx: ServiceContext, fields: SubmitTranscriptionFields) -> dict[str, Any]:
    """Hand in the transcription of a dictation task (graded by word error rate).
    Result: ``key``, ``task``, ``words``."""
    if not fields.text.strip():
        raise lookup.refuse("empty_text", field="text")
    submission = _submit(ctx, "transcription", fields.task, fields.text)
    return {"key": submission.key, "task": fields.task, "words": len(fields.text.split())}


def submit_answer(ctx: ServiceContext, fields: SubmitAnswerFields) -> dict[str, Any]:
    """Answer a statistics question (graded against the scenario's expected value).
    Result: ``key``, ``question``, ``value``."""
    if not fields.value.strip():
        raise lookup.refuse("empty_text", field="value")
    submission = _submit(ctx, "answer", fields.question, fields.value.strip())
    return {"key": submission.key, "question": fields.question, "value": submission.value}
