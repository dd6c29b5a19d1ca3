"""Documents the trainee produces: letters from templates, transcriptions, answers.

Letter templates are data (``simsec/data/letters.yaml``), filled from the record (the
patient, the next appointment, the latest access request) and from the action's
``fields``. A letter is a draft (``draft``) until it is sent (``sent``); a draft can be
edited (``edit_letter``) or discarded (``dropped``: kept, for the log and the record, but
it can no longer be edited or sent). Transcriptions and answers to statistics questions
are stored as ``submission`` rows; the scenario's checks grade them.
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
    DiscardLetterFields,
    EditLetterFields,
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
    "DISCARDED",
    "DRAFT",
    "SENT",
    "LetterData",
    "LetterTemplate",
    "discard_letter",
    "edit_letter",
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
#: A letter's ``status`` (the column holds 8 characters: ``dropped`` says "discarded").
DRAFT: Final = "draft"
SENT: Final = "sent"
DISCARDED: Final = "dropped"
#: The texts of a letter that ``edit_letter`` may set directly, besides its placeholders.
_TEXTS: Final = ("subject", "body")


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
        status=DRAFT,
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
    if letter.status == SENT:
        raise lookup.refuse("letter_already_sent", key=letter.key)
    if letter.status == DISCARDED:
        raise lookup.refuse("letter_discarded", key=letter.key)
    letter.status = SENT
    letter.sent_at = ctx.now
    return {"key": letter.key, "status": letter.status, "sent_at": lookup.iso(ctx.now)}


def _draft(ctx: ServiceContext, ref: str) -> Letter:
    """The letter ``ref``, which must still be a draft."""
    letter = lookup.letter(ctx.session, ref)
    if letter.status == SENT:
        raise lookup.refuse("letter_sent_not_editable", key=letter.key)
    if letter.status == DISCARDED:
        raise lookup.refuse("letter_discarded", key=letter.key)
    return letter


def _edited_texts(
    letter: Letter,
    template: LetterTemplate | None,
    given: Mapping[str, str],
    old: Mapping[str, str],
    new: Mapping[str, str],
) -> dict[str, str]:
    """The subject and body after an edit.

    A text given in ``given`` is taken as is. Otherwise, when a placeholder it uses
    changes: a text still as the template wrote it is written again with the new values;
    a text retouched by hand is kept, and refused if the trainee asked for that change
    (it cannot be applied to free text).
    """
    current = {"subject": str((letter.fields or {}).get("subject", "")), "body": letter.body}
    texts: dict[str, str] = {}
    for part in _TEXTS:
        if part in given:
            texts[part] = given[part]
            continue
        texts[part] = current[part]
        if template is None:
            continue
        source: str = getattr(template, part)
        used = placeholders(source)
        if all(new[name] == old[name] for name in used):
            continue
        if current[part] == source.format_map(old):
            texts[part] = source.format_map(new)
            continue
        asked = [name for name in used if name in given and given[name] != old[name]]
        if asked:
            raise lookup.refuse("letter_text_edited", key=letter.key, part=part, field=asked[0])
    return texts


def edit_letter(ctx: ServiceContext, fields: EditLetterFields) -> dict[str, Any]:
    """Change a draft: its ``subject`` or ``body`` as typed, a placeholder of its template
    (the texts written from the template follow), or its recipient (``to``; the
    ``destinataire`` placeholder follows unless it was set apart). Refused for a sent or
    discarded letter, an unknown field, an empty text, or an edit that changes nothing.
    Result: ``key``, ``status``, ``to``, ``subject``, ``body``, ``changed`` (the names
    that changed, ``to`` first)."""
    letter = _draft(ctx, fields.letter)
    template = load_letters().templates.get(letter.template)
    names = placeholders(template.subject + "\n" + template.body) if template else []
    allowed = [*_TEXTS, *names]
    for name, text in fields.fields.items():
        if name not in allowed:
            raise lookup.refuse(
                "letter_field_unknown",
                key=letter.key,
                template=letter.template,
                field=name,
                fields=allowed,
            )
        if not text.strip():
            raise lookup.refuse("empty_text", field=name)
    to = letter.recipient if fields.to is None else fields.to.strip()
    if not to:
        raise lookup.refuse("empty_text", field="to")
    stored = dict(letter.fields or {})
    old = {name: str(stored.get(name, "")) for name in names}
    new = {**old, **{k: v for k, v in fields.fields.items() if k in names}}
    if (
        "destinataire" in names
        and "destinataire" not in fields.fields
        and old["destinataire"] == letter.recipient
    ):
        new["destinataire"] = to
    # the recipient's name follows ``to``: as if asked, so that a text edited by hand
    # is not left addressed to the former recipient without a word
    asked = (
        {**fields.fields, "destinataire": new["destinataire"]}
        if "destinataire" in new
        else dict(fields.fields)
    )
    texts = _edited_texts(letter, template, asked, old, new)
    before = {"to": letter.recipient, "subject": str(stored.get("subject", "")), **old}
    before["body"] = letter.body
    after = {"to": to, **texts, **new}
    changed = [name for name in ("to", *_TEXTS, *names) if after[name] != before[name]]
    if not changed:
        raise lookup.refuse("letter_unchanged", key=letter.key)
    letter.recipient = to
    letter.fields = {**stored, "subject": texts["subject"], **new}
    letter.body = texts["body"]
    return {
        "key": letter.key,
        "status": letter.status,
        "to": to,
        "subject": texts["subject"],
        "body": texts["body"],
        "changed": changed,
    }


def discard_letter(ctx: ServiceContext, fields: DiscardLetterFields) -> dict[str, Any]:
    """Discard a draft: it stays in the record (status ``dropped``) but can no longer be
    edited or sent. Result: ``key``, ``status``."""
    letter = lookup.letter(ctx.session, fields.letter)
    if letter.status == SENT:
        raise lookup.refuse("letter_sent_not_editable", key=letter.key)
    if letter.status == DISCARDED:
        raise lookup.refuse("letter_already_discarded", key=letter.key)
    letter.status = DISCARDED
    return {"key": letter.key, "status": letter.status}


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
