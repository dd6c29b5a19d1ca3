"""The desk: attending visitors and callers, asking, requesting documents, messages.

The people come from the scenario (``ctx.stage``): a desk action on someone who has not
arrived (or not called) is refused. What the person answers comes from the scenario's
``answers``; an unscripted question gets "Je ne sais pas." in the person's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from sqlalchemy import select

from simsec.actions.catalogue import (
    AskFields,
    EndInteractionFields,
    PersonFields,
    RequestDocumentFields,
    SayFields,
    SendMessageFields,
)
from simsec.db.models import Interaction, Message
from simsec.services import lookup
from simsec.services.base import ServiceContext, StagePerson

__all__ = ["ask", "attend", "end_interaction", "request_document", "say", "send_message"]

#: What a person says to a question the scenario did not script, by their language.
DONT_KNOW: Final = {"fr": "Je ne sais pas.", "en": "I don't know."}
#: What a person says when asked for a document they do not carry or will not show.
NO_DOCUMENT: Final = {"fr": "Je ne l'ai pas sur moi.", "en": "I don't have it with me."}
#: The sender of the messages the desk writes.
DESK: Final = "accueil"


def _channel(ctx: ServiceContext, person: StagePerson) -> str:
    """``visitor`` or ``call``: asked to the stage when it can tell, ``visitor`` otherwise."""
    channel: Callable[[str], str | None] | None = getattr(ctx.stage, "channel", None)
    value = channel(person.key) if channel is not None else None
    return value if value in ("visitor", "call") else "visitor"


def _open_interaction(ctx: ServiceContext, person_key: str) -> Interaction | None:
    return ctx.session.scalars(
        select(Interaction)
        .where(Interaction.person_key == person_key, Interaction.ended_at.is_(None))
        .order_by(Interaction.id.desc())
    ).first()


def _start(ctx: ServiceContext, person: StagePerson) -> Interaction:
    interaction = Interaction(
        key=ctx.keys.next_key(ctx.session, Interaction, "interaction"),
        person_key=person.key,
        channel=_channel(ctx, person),
        started_at=ctx.now,
    )
    ctx.session.add(interaction)
    ctx.session.flush()
    return interaction


def attend(ctx: ServiceContext, fields: PersonFields) -> dict[str, Any]:
    """Take charge of a visitor or a caller: opens an interaction (or keeps the open one).

    Result: ``interaction`` (key), ``person``, ``role``, ``patient`` (the patient key the
    person is, if any), ``channel``, ``already`` (true when one was already open) and
    ``documents`` (those shown on arrival).
    """
    person = lookup.present_person(ctx, fields.person)
    existing = _open_interaction(ctx, person.key)
    interaction = existing or _start(ctx, person)
    shown = [lookup.document_view(d) for d in person.documents if d.shown == "on_arrival"]
    return {
        "interaction": interaction.key,
        "person": person.key,
        "role": person.role,
        "patient": person.patient,
        "channel": interaction.channel,
        "already": existing is not None,
        "documents": shown,
    }


def _answer(person: StagePerson, question: str, keyword: str | None) -> str | None:
    if question == "free":
        free = person.answers.get("free") or {}
        if keyword is None or not isinstance(free, dict):
            return None
        line = free.get(keyword)
        return None if line is None else str(line)
    value = person.answers.get(question)
    return None if value is None or value == "" else str(value)


def ask(ctx: ServiceContext, fields: AskFields) -> dict[str, Any]:
    """Ask a question of the catalogue. Result: ``question``, ``answer`` and ``scripted``."""
    person = lookup.present_person(ctx, fields.person)
    answer = _answer(person, fields.question, fields.keyword)
    return {
        "person": person.key,
        "question": fields.question,
        "answer": answer if answer is not None else DONT_KNOW.get(person.lang, DONT_KNOW["fr"]),
        "scripted": answer is not None,
    }


def request_document(ctx: ServiceContext, fields: RequestDocumentFields) -> dict[str, Any]:
    """Ask for a document of a kind. Result: ``shown`` (bool), ``documents`` (what the
    person hands over: key, kind and fields) and ``answer`` when they have none."""
    person = lookup.present_person(ctx, fields.person)
    documents = [d for d in person.documents if d.kind == fields.kind and d.shown != "never"]
    result: dict[str, Any] = {
        "person": person.key,
        "kind": fields.kind,
        "shown": bool(documents),
        "documents": [lookup.document_view(d) for d in documents],
    }
    if not documents:
        result["answer"] = NO_DOCUMENT.get(person.lang, NO_DOCUMENT["fr"])
    return result


def say(ctx: ServiceContext, fields: SayFields) -> dict[str, Any]:
    """Say something to the person (kept in the run log only). Result: ``person``."""
    person = lookup.present_person(ctx, fields.person)
    if not fields.text.strip():
        raise lookup.refuse("empty_text", field="text")
    return {"person": person.key}


def end_interaction(ctx: ServiceContext, fields: EndInteractionFields) -> dict[str, Any]:
    """End the interaction with its outcome. Result: ``interaction`` and ``outcome``.

    Ending with someone never attended records an interaction that starts and ends now.
    """
    person = lookup.present_person(ctx, fields.person)
    interaction = _open_interaction(ctx, person.key) or _start(ctx, person)
    interaction.ended_at = ctx.now
    interaction.outcome = fields.outcome
    interaction.note = fields.note
    return {"interaction": interaction.key, "person": person.key, "outcome": fields.outcome}


def send_message(ctx: ServiceContext, fields: SendMessageFields) -> dict[str, Any]:
    """Send an internal message (to a practitioner, a service or a person).

    Result: ``key`` of the message, ``to`` and ``patient``.
    """
    if not fields.subject.strip():
        raise lookup.refuse("empty_text", field="subject")
    patient = lookup.patient(ctx.session, fields.patient) if fields.patient is not None else None
    message = Message(
        key=ctx.keys.next_key(ctx.session, Message, "message"),
        direction="out",
        sender=DESK,
        recipient=fields.to,
        subject=fields.subject,
        body=fields.body,
        patient_id=patient.id if patient is not None else None,
        at=ctx.now,
        read=True,
    )
    ctx.session.add(message)
    ctx.session.flush()
    return {
        "key": message.key,
        "to": fields.to,
        "patient": patient.key if patient is not None else None,
    }
