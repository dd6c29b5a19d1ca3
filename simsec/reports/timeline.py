"""The run as it happened, in words: the journal, the events the trainee saw, the
response times to visitors and callers, and the actions the rules refused.

The issue "Assessor and trainer tools": the report must show exactly what the trainee saw
and did and when. Each ``event`` record says what was shown (``shown``: who arrives and
what they say, a message, a fault), each ``action`` record what the trainee did
(``with``) and how the rules answered (``result``), each ``view`` what they opened
(RUNLOG_FORMAT.md § Records). Response times are measured in scenario time, from a
visitor's or caller's event to the first accepted ``attend`` of that person (PRODUCT.md
§2.1: several people may be pending at once, the trainee must prioritise).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from simsec.i18n import _
from simsec.reports.labels import (
    ACTION_LABELS,
    END_REASON_LABELS,
    EVENT_LABELS,
    FIELD_LABELS,
    RECORD_LABELS,
    SERVICE_LABELS,
    label,
    value_label,
)
from simsec.runlog.records import Record, RecordKind
from simsec.scenario.model import Scenario

__all__ = [
    "EventRow",
    "JournalEntry",
    "Names",
    "Refusal",
    "Response",
    "counts",
    "events",
    "journal_entry",
    "parse_t",
    "refusals",
    "responses",
    "text_of",
    "wall_time",
]

#: The desk's people arrive with these event kinds (SCENARIO_FORMAT.md § events).
DESK_EVENTS: Final = ("visitor", "call")
#: Result fields worth a mention in the journal (what the trainee saw as the answer).
_RESULT_FIELDS: Final = ("answer", "count", "key", "identity_status", "status")


@dataclass(frozen=True, slots=True)
class Response:
    """A visitor or a caller, and how long they waited to be attended."""

    event_id: str
    kind: str
    person: str
    person_label: str
    seq: int
    arrived: datetime
    attended: datetime | None
    attended_seq: int | None
    ended: datetime | None
    outcome: str | None

    @property
    def delay(self) -> timedelta | None:
        return None if self.attended is None else self.attended - self.arrived


@dataclass(frozen=True, slots=True)
class EventRow:
    """A timeline event as the trainee saw it."""

    seq: int
    t: datetime | None
    kind: str
    kind_label: str
    text: str


@dataclass(frozen=True, slots=True)
class Refusal:
    """An action the rules refused (logged, changed nothing)."""

    seq: int
    t: datetime | None
    do: str
    do_label: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One record of the log, in words."""

    seq: int
    t: datetime | None
    wall: datetime | None
    kind: str
    kind_label: str
    title: str
    detail: str
    ok: bool | None = None


def parse_t(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def wall_time(value: Any) -> datetime | None:
    """A ``wall`` field (``...Z``, UTC) as a naive UTC datetime."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.removesuffix("Z"))
    except ValueError:
        return None
    return moment.replace(tzinfo=None)


def text_of(value: Any) -> str:
    """A field value in one line: text as is, lists joined, mappings as compact JSON."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return ", ".join(text_of(item) for item in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
    return str(value)


def field_text(name: str, value: Any) -> str:
    shown = value_label(name, value)
    if shown is None and isinstance(value, list) and name == "kinds":
        shown = ", ".join(value_label("kind", item) or text_of(item) for item in value)
    body = text_of(value) if shown is None else f"{shown} ({text_of(value)})"
    return f"{label(FIELD_LABELS, name)} : {body}"


def fields_text(fields: Any) -> str:
    if not isinstance(fields, Mapping) or not fields:
        return ""
    return " ; ".join(field_text(str(name), value) for name, value in fields.items())


def _first_name(names: Sequence[str] | None) -> str:
    return names[0].title() if names else ""


class Names:
    """Readable names of the scenario's people and practitioners (keys otherwise)."""

    def __init__(self, scenario: Scenario | None) -> None:
        self.people: dict[str, str] = {}
        self.practitioners: dict[str, str] = {}
        if scenario is None:
            return
        patients = {p.key: p for p in scenario.fixtures.patients}
        for doctor in scenario.fixtures.practitioners:
            name = " ".join(n for n in (doctor.first_name, doctor.last_name) if n)
            if name:
                self.practitioners[doctor.key] = _("Dr {name}").format(name=name)
        for person in scenario.people:
            if person.name:
                self.people[person.key] = person.name
                continue
            patient = patients.get(person.patient or "")
            if patient is not None and patient.birth_name:
                surname = patient.used_name or patient.birth_name
                first = patient.used_first_name or _first_name(patient.first_names)
                self.people[person.key] = f"{surname} {first}".strip()

    def person(self, key: str) -> str:
        return self.people.get(key, key)

    def sender(self, key: str) -> str:
        return self.practitioners.get(key) or self.people.get(key) or key


# ---------------------------------------------------------------------- the timeline


def event_text(shown: Mapping[str, Any], kind: str, names: Names) -> str:
    says = shown.get("says")
    task = shown.get("task")
    if kind in DESK_EVENTS:
        person = names.person(str(shown.get("person") or ""))
        text = f"{person} : « {says} »" if says else person
    elif kind == "message":
        text = _("De {sender} : {subject} — {body}").format(
            sender=names.sender(str(shown.get("from") or "")),
            subject=shown.get("subject") or "",
            body=shown.get("body") or "",
        )
    elif kind == "fault":
        service = label(SERVICE_LABELS, shown.get("service"))
        mode = shown.get("mode")
        state = _("indisponible") if mode == "unavailable" else _("lent")
        until = parse_t(shown.get("until"))
        text = (
            _("{service} {state} jusqu'à {until}").format(
                service=service, state=state, until=until.strftime("%H:%M")
            )
            if until is not None
            else _("{service} {state}").format(service=service, state=state)
        )
    elif kind == "dictation":
        sender = shown.get("from")
        text = (
            _("Dictée de {sender} : « {text} »").format(
                sender=names.sender(str(sender)), text=shown.get("text") or ""
            )
            if sender
            else f"« {shown.get('text') or ''} »"
        )
    elif "text" in shown:
        text = str(shown.get("text") or "")
    else:
        text = text_of(dict(shown))
    if task:
        text += " — " + _("tâche : {task}").format(task=task)
    return text


def _found_keys(result: Mapping[str, Any]) -> str:
    """The keys a search returned (the first five), as ``(p_dupont, patient#12)``."""
    found = result.get("results")
    if not isinstance(found, list):
        return ""
    keys = [str(item.get("key")) for item in found if isinstance(item, Mapping)]
    return f" ({', '.join(keys[:5])})" if keys else ""


def result_text(result: Mapping[str, Any]) -> tuple[bool | None, str]:
    """How the rules answered an action: accepted (with what the trainee saw: an answer,
    search results, a created key, a status, the documents shown) or refused (message and
    code). ``ok`` is None for a result without ``ok`` (a damaged record)."""
    ok = result.get("ok")
    if ok is False:
        error = result.get("error")
        error = error if isinstance(error, Mapping) else {}
        return False, _("refusée : {message} ({code})").format(
            message=error.get("message") or "", code=error.get("code") or "?"
        )
    if ok is not True:
        return None, ""
    parts = [_("acceptée")]
    for name in _RESULT_FIELDS:
        value = result.get(name)
        if value is None or value == "" or isinstance(value, list | dict):
            continue
        if name == "answer":
            parts.append(_("réponse : « {answer} »").format(answer=value))
        elif name == "count":
            parts.append(_("{n} résultat(s)").format(n=value) + _found_keys(result))
        else:
            shown = value_label(name, value) or str(value)
            parts.append(f"{label(FIELD_LABELS, name)} : {shown}")
    documents = result.get("documents")
    if isinstance(documents, list) and result.get("shown") is not None:
        keys = [str(d.get("key")) for d in documents if isinstance(d, Mapping)]
        parts.append(
            _("documents présentés : {keys}").format(keys=", ".join(keys))
            if keys
            else _("aucun document présenté")
        )
    return True, " ; ".join(parts)


def journal_entry(record: Record, names: Names) -> JournalEntry:
    """One record in words: what was shown (events), done (actions, with the rules'
    answer), opened (views), graded (grades)."""
    kind = record.kind
    t = record.scenario_time
    wall = wall_time(record.wall)
    kind_label = label(RECORD_LABELS, kind)
    if kind == RecordKind.EVENT:
        event_kind = str(record.get("event_kind") or "")
        shown = record.get("shown")
        return JournalEntry(
            record.seq,
            t,
            wall,
            kind,
            kind_label,
            label(EVENT_LABELS, event_kind) + f" ({record.get('id')})",
            event_text(shown if isinstance(shown, Mapping) else {}, event_kind, names),
        )
    if kind == RecordKind.ACTION:
        do = str(record.get("do") or "")
        result = record.get("result")
        ok, outcome = result_text(result if isinstance(result, Mapping) else {})
        detail = fields_text(record.get("with"))
        bound = record.get("as")
        if bound:
            detail = " ; ".join(p for p in (detail, _("nommé « {key} »").format(key=bound)) if p)
        if outcome:
            detail = f"{detail} → {outcome}" if detail else outcome
        return JournalEntry(
            record.seq, t, wall, kind, kind_label, f"{label(ACTION_LABELS, do)} ({do})", detail, ok
        )
    if kind == RecordKind.VIEW:
        detail = _("{entity} « {key} »").format(
            entity=record.get("entity") or "", key=record.get("key") or ""
        )
        return JournalEntry(record.seq, t, wall, kind, kind_label, _("Écran consulté"), detail)
    if kind == RecordKind.GRADE:
        comment = str(record.get("comment") or "")
        detail = _("{criterion} : {points} point(s)").format(
            criterion=record.get("criterion") or "—", points=text_of(record.get("points"))
        )
        if comment:
            detail += f" — « {comment} »"
        assessor = record.get("assessor")
        if assessor:
            detail += f" ({assessor})"
        return JournalEntry(
            record.seq, t, wall, kind, kind_label, _("Note de l'évaluateur"), detail
        )
    if kind == RecordKind.END:
        score = record.get("score")
        percent = score.get("percent") if isinstance(score, Mapping) else None
        detail = label(END_REASON_LABELS, record.get("reason"))
        if percent is not None:
            detail += " — " + _("score automatique enregistré : {n} %").format(n=percent)
        return JournalEntry(record.seq, t, wall, kind, kind_label, _("Fin de partie"), detail)
    if kind == RecordKind.HEADER:
        return JournalEntry(
            record.seq,
            t,
            wall,
            kind,
            kind_label,
            _("Début de partie"),
            _("stagiaire : {trainee}").format(trainee=record.get("trainee") or "—"),
        )
    return JournalEntry(record.seq, t, wall, kind, kind_label, kind, text_of(dict(record.body)))


def responses(records: Sequence[Record], names: Names) -> tuple[Response, ...]:
    """Each visitor and caller: arrival, first ``attend``, first ``end_interaction``."""
    out: list[Response] = []
    for index, record in enumerate(records):
        if record.kind != RecordKind.EVENT or record.get("event_kind") not in DESK_EVENTS:
            continue
        shown = record.get("shown")
        person = str(shown.get("person") or "") if isinstance(shown, Mapping) else ""
        arrived = record.scenario_time
        if arrived is None:
            continue
        attended: Record | None = None
        ended: Record | None = None
        for later in records[index + 1 :]:
            if later.kind != RecordKind.ACTION or not _is_ok(later):
                continue
            target = later.get("with")
            if not isinstance(target, Mapping) or target.get("person") != person:
                continue
            if attended is None and later.get("do") == "attend":
                attended = later
            elif attended is not None and later.get("do") == "end_interaction":
                ended = later
                break
        target = ended.get("with") if ended is not None else None
        out.append(
            Response(
                event_id=str(record.get("id") or ""),
                kind=str(record.get("event_kind")),
                person=person,
                person_label=names.person(person),
                seq=record.seq,
                arrived=arrived,
                attended=attended.scenario_time if attended is not None else None,
                attended_seq=attended.seq if attended is not None else None,
                ended=ended.scenario_time if ended is not None else None,
                outcome=str(target.get("outcome")) if isinstance(target, Mapping) else None,
            )
        )
    return tuple(out)


def _is_ok(record: Record) -> bool:
    result = record.get("result")
    return isinstance(result, Mapping) and result.get("ok") is True


def refusals(records: Sequence[Record]) -> tuple[Refusal, ...]:
    out: list[Refusal] = []
    for record in records:
        result = record.get("result")
        if record.kind != RecordKind.ACTION or not isinstance(result, Mapping):
            continue
        if result.get("ok") is not False:
            continue
        error = result.get("error")
        error = error if isinstance(error, Mapping) else {}
        do = str(record.get("do") or "")
        out.append(
            Refusal(
                record.seq,
                record.scenario_time,
                do,
                label(ACTION_LABELS, do),
                str(error.get("code") or ""),
                str(error.get("message") or ""),
            )
        )
    return tuple(out)


def events(records: Sequence[Record], names: Names) -> tuple[EventRow, ...]:
    out: list[EventRow] = []
    for record in records:
        if record.kind != RecordKind.EVENT:
            continue
        kind = str(record.get("event_kind") or "")
        shown = record.get("shown")
        out.append(
            EventRow(
                record.seq,
                record.scenario_time,
                kind,
                label(EVENT_LABELS, kind),
                event_text(shown if isinstance(shown, Mapping) else {}, kind, names),
            )
        )
    return tuple(out)


def counts(records: Sequence[Record], refusals: int) -> dict[str, int]:
    counts = {str(kind): 0 for kind in RecordKind}
    for record in records:
        counts[record.kind] = counts.get(record.kind, 0) + 1
    counts["refused"] = refusals
    return counts
