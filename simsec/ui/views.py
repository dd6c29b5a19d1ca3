"""What the widgets show: plain DTOs, and the desk journal built from the run's records.

ARCHITECTURE.md, habit 4: widgets get DTOs, never ORM rows. Everything the desk shows
(who is waiting, what they said, the documents they handed over, the messages received,
the instructions and the teleservice faults) is derived from the run-log records alone
(``event`` and ``action`` records, RUNLOG_FORMAT.md), by :class:`DeskJournal`. A live run
and a resumed one therefore show the same desk: the resumed one reads its records back
from the log.

No textual import here: these are data, testable without a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from simsec.i18n import _, format_date, upper_first
from simsec.scenario.matchers import fold
from simsec.ui.labels import (
    CHANNEL_LABELS,
    EVENT_LABELS,
    FIELD_LABELS,
    OUTCOME_LABELS,
    QUESTION_LABELS,
    SERVICE_LABELS,
    label,
)

__all__ = [
    "ActionFeedback",
    "ConversationLine",
    "DeskJournal",
    "DocumentCard",
    "FaultView",
    "FiredNotice",
    "InboxMessage",
    "InterruptedRun",
    "NoteView",
    "PersonDesk",
    "ScenarioCard",
    "ShellState",
    "TaskView",
    "card_mrz",
    "document_card",
    "format_clock",
]

#: Document kinds whose card shows an MRZ (SCENARIO_FORMAT.md: ``mrz`` only for these).
MRZ_KINDS: Final = frozenset({"cni", "passeport", "titre_sejour"})


def format_clock(value: datetime) -> str:
    """A scenario time on the clock: ``08:45:30``."""
    return value.strftime("%H:%M:%S")


def _hhmm(value: datetime) -> str:
    return value.strftime("%H:%M")


def _parse_t(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


# ----------------------------------------------------------------------------- DTOs


@dataclass(frozen=True, slots=True)
class FiredNotice:
    """A scenario event that just fired, as a notification."""

    id: str
    kind: str
    at: datetime
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class ActionFeedback:
    """One action as the UI reports it: accepted or refused (with its French message),
    and the warnings to show (guided mode only; none in realistic mode)."""

    do: str
    ok: bool
    result: Mapping[str, Any]
    code: str | None = None
    message: str | None = None
    warnings: tuple[str, ...] = ()
    fired: tuple[FiredNotice, ...] = ()
    """Events the action set off (``when`` events due at once)."""


@dataclass(frozen=True, slots=True)
class TaskView:
    id: str
    text: str
    opened_at: datetime
    done: bool


@dataclass(frozen=True, slots=True)
class FaultView:
    service: str
    mode: str
    until: datetime | None

    def text(self) -> str:
        service = label(SERVICE_LABELS, self.service)
        mode = label(SERVICE_LABELS, self.mode)
        if self.until is None:
            return f"{service} {mode}"
        return _("{service} {mode} jusqu'à {time}").format(
            service=service, mode=mode, time=_hhmm(self.until)
        )


@dataclass(frozen=True, slots=True)
class ShellState:
    """What the workspace's top bar shows."""

    structure: str
    trainee: str
    scenario_title: str
    now: datetime
    start: datetime
    end: datetime
    guided: bool
    tasks: tuple[TaskView, ...]
    waiting_visitors: int
    ringing_calls: int
    unread_messages: int
    faults: tuple[FaultView, ...]
    attending: str | None
    ended: bool
    speed: float

    @property
    def remaining(self) -> timedelta:
        return max(self.end - self.now, timedelta(0))


@dataclass(frozen=True, slots=True)
class ConversationLine:
    """A line of the desk conversation: ``person``, ``trainee`` or ``system``."""

    t: datetime
    speaker: str
    text: str


@dataclass(frozen=True, slots=True)
class DocumentCard:
    """A document handed over at the desk, ready to draw as a card."""

    key: str
    kind: str
    title: str
    fields: tuple[tuple[str, str], ...]
    expires: date | None
    expired: bool
    mrz: tuple[str, ...]
    holder_person: str


@dataclass
class PersonDesk:
    """A visitor or caller of the run, as the desk knows them."""

    key: str
    channel: str
    arrived: datetime
    name: str | None
    says: str | None = None
    present: bool = True
    attended: bool = False
    outcome: str | None = None
    answers: dict[str, str] = field(default_factory=dict)
    lines: list[ConversationLine] = field(default_factory=list)
    documents: list[DocumentCard] = field(default_factory=list)

    def display_name(self) -> str:
        """The name the desk may use: the scenario's ``name`` (a caller who introduced
        themselves), else what the person answered, else « Visiteur » / « Appelant »."""
        if self.name:
            return self.name
        surname = self.answers.get("used_name") or self.answers.get("birth_name")
        first = self.answers.get("used_first_name") or self.answers.get("first_names")
        if surname:
            return f"{surname} {first}".strip() if first else surname
        generic = _("Appelant") if self.channel == "call" else _("Visiteur")
        return f"{generic} ({_hhmm(self.arrived)})"

    @property
    def channel_label(self) -> str:
        return label(CHANNEL_LABELS, self.channel)


@dataclass(frozen=True, slots=True)
class InboxMessage:
    t: datetime
    sender: str
    subject: str
    body: str
    patient: str | None


@dataclass(frozen=True, slots=True)
class NoteView:
    """An instruction, a dictation or a question of the scenario."""

    id: str
    kind: str
    t: datetime
    text: str
    sender: str | None


@dataclass(frozen=True, slots=True)
class ScenarioCard:
    """A scenario of the home list (or a file that could not be read, with ``error``)."""

    path: Path
    id: str
    title: str
    summary: str
    competencies: tuple[str, ...]
    difficulty: int
    duration: timedelta
    guidance: str
    debrief: bool
    error: str | None = None

    def matches(self, text: str) -> bool:
        """The home filter: every word found in the title, id, summary or competences."""
        haystack = " ".join(
            (self.title, self.id, self.summary, " ".join(self.competencies), str(self.path.name))
        )
        folded = fold(haystack)
        return all(word in folded for word in fold(text).split())


@dataclass(frozen=True, slots=True)
class InterruptedRun:
    """A run log without an ``end`` record: a run that can be resumed."""

    path: Path
    scenario_id: str
    trainee: str
    started: str
    last_t: str
    records: int


# ----------------------------------------------------------------------------- cards


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def card_mrz(kind: str, fields: Mapping[str, Any]) -> tuple[str, ...]:
    """The MRZ printed on an identity document (ICAO 9303 parts 3-5; the old French CNI
    2 x 36 format), built from the card's own fields; ``mrz: bad_check_digit`` gives a
    wrong composite check digit (SCENARIO_FORMAT.md § people). Empty when the document
    has no MRZ or its fields cannot give one (the identity check then reports it).

    It draws the same MRZ as the identity service's check (same rules, same fields).
    """
    state = fields.get("mrz")
    if kind not in MRZ_KINDS or state is None:
        return ()
    from simsec.rules import documents as docrules
    from simsec.rules import mrz

    birth = _day(fields.get("birth_date"))
    mrz_format = docrules.mrz_format_for(kind, _day(fields.get("issued")))
    if mrz_format is None or birth is None:
        return ()
    first_names = fields.get("first_names") or []
    nationality = str(fields.get("nationality") or "").upper()
    country = str(fields.get("country") or "").upper()
    nationality = nationality if len(nationality) == 3 and nationality.isalpha() else "FRA"
    issuing = country if len(country) == 3 and country.isalpha() else nationality
    try:
        text = mrz.generate(
            mrz_format,
            surname=str(fields.get("birth_name") or ""),
            given_names=[str(name) for name in first_names],
            document_number=str(fields.get("number") or fields.get("key") or ""),
            birth_date=birth,
            sex=str(fields["sex"]) if fields.get("sex") else None,
            expiry_date=_day(fields.get("expires")),
            nationality=nationality,
            issuing_state=issuing,
            document_code=docrules.kind_info(kind).mrz_document_code,
            wrong_check_digit=mrz.CheckField.COMPOSITE if state == "bad_check_digit" else None,
        )
    except ValueError:
        return ()
    return tuple(text.splitlines())


def _field_text(name: str, value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, Mapping):
        parts = [str(v) for k, v in value.items() if v not in (None, "", False) and k != "line"]
        line = value.get("line")
        return ", ".join(([str(line)] if line else []) + parts)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    day = _day(value) if name in _DATE_FIELDS else None
    if day is not None:
        return format_date(day, "short")
    return str(value)


_DATE_FIELDS: Final = frozenset(
    {"birth_date", "issued", "expires", "valid_from", "valid_until", "date", "death_date"}
    | {"accident_date"}
)


def document_card(view: Mapping[str, Any], *, person: str, today: date) -> DocumentCard:
    """A card from a document of an action result (``key``, ``kind`` and its fields)."""
    from simsec.texts.documents import kind_label

    kind = str(view.get("kind", ""))
    shown = [
        (label(FIELD_LABELS, name), _field_text(name, view[name]))
        for name in FIELD_LABELS
        if name in view and view[name] not in (None, "", [], {})
    ]
    expires = _day(view.get("expires") or view.get("valid_until"))
    return DocumentCard(
        key=str(view.get("key", "")),
        kind=kind,
        title=upper_first(kind_label(kind)) if kind else _("Document"),
        fields=tuple(shown),
        expires=expires,
        expired=expires is not None and expires < today,
        mrz=card_mrz(kind, view),
        holder_person=person,
    )


# ----------------------------------------------------------------------------- journal


class DeskJournal:
    """The desk's state, rebuilt from the run's records (``event`` and ``action``).

    Feed it every record in order (:meth:`absorb`); it keeps the people who came (in
    order of arrival), what was said, the documents handed over, the messages received,
    the instructions and the faults.
    """

    def __init__(self, names: Mapping[str, str | None] | None = None) -> None:
        self.names = dict(names or {})
        self.people: dict[str, PersonDesk] = {}
        self.attending: str | None = None
        self.held: list[str] = []
        """The people taken in charge whose exchange is still open, oldest first: a
        visitor asked to wait while the trainee takes a call stays at the counter, and the
        desk comes back to them when the call ends."""
        self.inbox: list[InboxMessage] = []
        self.notes: list[NoteView] = []
        self.faults: list[FaultView] = []
        self.read_messages = 0

    # ------------------------------------------------------------------ reading

    def waiting(self) -> list[PersonDesk]:
        """The people present now, calls first (a ringing phone cannot wait long), then
        visitors, each in order of arrival."""
        present = [p for p in self.people.values() if p.present]
        return sorted(present, key=lambda p: (p.channel != "call", p.arrived))

    def current(self) -> PersonDesk | None:
        return self.people.get(self.attending) if self.attending else None

    def on_hold(self, key: str) -> bool:
        """Whether ``key`` was taken in charge, is still there and waits for the desk to
        come back to them (their exchange is open but another person is attended)."""
        return key in self.held and key != self.attending

    def switch_to(self, key: str) -> bool:
        """Come back to a person on hold (no action: their exchange is still open)."""
        if key not in self.held:
            return False
        self.attending = key
        return True

    def documents(self) -> list[DocumentCard]:
        """Every document handed over during the run, in order."""
        return [card for person in self.people.values() for card in person.documents]

    @property
    def unread(self) -> int:
        return max(len(self.inbox) - self.read_messages, 0)

    def faults_at(self, now: datetime) -> list[FaultView]:
        return [f for f in self.faults if f.until is None or f.until > now]

    # ------------------------------------------------------------------ feeding

    def absorb_all(self, records: Iterable[Mapping[str, Any]]) -> list[FiredNotice]:
        notices: list[FiredNotice] = []
        for record in records:
            notice = self.absorb(record)
            if notice is not None:
                notices.append(notice)
        return notices

    def absorb(self, record: Mapping[str, Any]) -> FiredNotice | None:
        """Take one record into account; an event gives its notification."""
        kind = record.get("kind")
        if kind == "event":
            return self._event(record)
        if kind == "action":
            result = record.get("result") or {}
            if result.get("ok"):
                self._action(
                    _parse_t(record["t"]), str(record.get("do")), record.get("with") or {}, result
                )
        return None

    def _person(self, key: str) -> PersonDesk | None:
        return self.people.get(key)

    def _event(self, record: Mapping[str, Any]) -> FiredNotice:
        t = _parse_t(record["t"])
        kind = str(record.get("event_kind", ""))
        shown: Mapping[str, Any] = record.get("shown") or {}
        text = ""
        if kind in ("visitor", "call"):
            key = str(shown.get("person", ""))
            says = shown.get("says")
            person = PersonDesk(key, kind, t, self.names.get(key), says=says)
            previous = self.people.get(key)
            if previous is not None:  # comes back: keep what the desk already knows
                person.answers, person.lines = previous.answers, previous.lines
                person.documents = previous.documents
            self.people[key] = person
            if says:
                person.lines.append(ConversationLine(t, "person", str(says)))
            text = f"{person.display_name()}" + (f" : « {says} »" if says else "")
        elif kind == "message":
            message = InboxMessage(
                t,
                str(shown.get("from", "")),
                str(shown.get("subject", "")),
                str(shown.get("body", "")),
                shown.get("patient"),
            )
            self.inbox.append(message)
            text = f"{message.sender} : {message.subject}"
        elif kind == "fault":
            until = shown.get("until")
            fault = FaultView(
                str(shown.get("service", "")),
                str(shown.get("mode", "")),
                _parse_t(until) if until else None,
            )
            self.faults.append(fault)
            text = fault.text()
        elif kind in ("note", "dictation", "question"):
            note = NoteView(
                str(record.get("id", "")), kind, t, str(shown.get("text", "")), shown.get("from")
            )
            self.notes.append(note)
            text = note.text
        task = shown.get("task")
        if task:
            text = f"{text}\n{_('Tâche')} : {task}" if text else str(task)
        return FiredNotice(str(record.get("id", "")), kind, t, label(EVENT_LABELS, kind), text)

    def _action(
        self, t: datetime, do: str, with_: Mapping[str, Any], result: Mapping[str, Any]
    ) -> None:
        person = self._person(str(with_.get("person", "")))
        speaking = do in ("ask", "say", "request_document")
        if speaking and person is not None and person.key in self.held:
            self.attending = person.key  # speaking to someone on hold: back with them
        if do == "attend" and person is not None:
            self.attending = person.key
            person.attended = True
            if person.key in self.held:
                self.held.remove(person.key)
            self.held.append(person.key)
            self._documents(person, result, t)
        elif do == "ask" and person is not None:
            question = str(with_.get("question", ""))
            asked = label(QUESTION_LABELS, question)
            if question == "free" and with_.get("keyword"):
                asked = str(with_["keyword"])
            answer = str(result.get("answer", ""))
            person.lines.append(ConversationLine(t, "trainee", f"{asked} ?"))
            person.lines.append(ConversationLine(t, "person", answer))
            if result.get("scripted"):
                person.answers[question] = answer
        elif do == "request_document" and person is not None:
            from simsec.texts.documents import kind_label

            asked = _("Pouvez-vous me présenter : {kind} ?").format(
                kind=kind_label(str(with_.get("kind", "")))
            )
            person.lines.append(ConversationLine(t, "trainee", asked))
            if result.get("answer"):
                person.lines.append(ConversationLine(t, "person", str(result["answer"])))
            self._documents(person, result, t)
        elif do == "say" and person is not None:
            person.lines.append(ConversationLine(t, "trainee", str(with_.get("text", ""))))
        elif do == "end_interaction" and person is not None:
            person.present = False
            person.outcome = str(with_.get("outcome", ""))
            person.lines.append(
                ConversationLine(t, "system", label(OUTCOME_LABELS, person.outcome))
            )
            if person.key in self.held:
                self.held.remove(person.key)
            if self.attending == person.key:  # back to whoever is still on hold
                self.attending = self.held[-1] if self.held else None

    def _documents(self, person: PersonDesk, result: Mapping[str, Any], t: datetime) -> None:
        known = {card.key for card in person.documents}
        for view in result.get("documents") or []:
            if isinstance(view, Mapping) and view.get("key") not in known:
                card = document_card(view, person=person.key, today=t.date())
                person.documents.append(card)
                known.add(card.key)
                person.lines.append(
                    ConversationLine(
                        t, "system", _("Document remis : {title}").format(title=card.title)
                    )
                )


def tasks_view(tasks: Sequence[Any]) -> tuple[TaskView, ...]:
    """:class:`~simsec.scenario.timeline.Task` objects as DTOs."""
    return tuple(TaskView(t.id, t.text, t.opened_at, t.done) for t in tasks)
