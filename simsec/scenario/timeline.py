"""Scenario time and the timeline: the clock, events, faults and tasks.

SCENARIO_FORMAT.md § events: each event happens at a time (``at``: an offset from the
start or a local date-time) or when a condition on the trainee's actions is first met
(``when``, an action matcher, optionally with ``delay``). A ``fault`` event makes INSi or
ADRi ``unavailable`` or ``slow`` ``for`` a while (default: until the end). An event with
``task`` opens a task in the trainee's task list.

ARCHITECTURE.md, Determinism: "A ``Clock`` object owns scenario time". Nothing here reads
the wall clock: the run moves the clock (an action at a given time, a ``wait``, the UI's
ticking), and the timeline says which events are due. Events due at the same moment fire
in the order of the file. An event due after the end of the scenario never fires.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from simsec.scenario.matchers import ActionFact, MatchContext, match_action
from simsec.scenario.model import (
    CallEvent,
    DictationEvent,
    Event,
    FaultEvent,
    MessageEvent,
    NoteEvent,
    QuestionEvent,
    Scenario,
    VisitorEvent,
)

__all__ = [
    "AVAILABLE",
    "Clock",
    "FaultWindow",
    "FiredEvent",
    "Task",
    "Timeline",
    "event_shown",
    "iso_t",
]

AVAILABLE: Final = "available"


def iso_t(value: datetime) -> str:
    """A scenario time as written in the run log: local ISO date-time, to the second."""
    return value.isoformat(timespec="seconds")


class Clock:
    """The scenario clock: starts at ``start``, ends at ``start + duration``, and only
    moves forward."""

    def __init__(self, start: datetime, duration: timedelta) -> None:
        self.start = start
        self.end = start + duration
        self._now = start

    @property
    def now(self) -> datetime:
        return self._now

    @property
    def elapsed(self) -> timedelta:
        return self._now - self.start

    @property
    def time_up(self) -> bool:
        return self._now >= self.end

    def at(self, value: timedelta | datetime) -> datetime:
        """A scenario time (offset or local date-time) as a date-time."""
        return self.start + value if isinstance(value, timedelta) else value

    def set(self, moment: datetime) -> None:
        """Move the clock to ``moment`` (never backwards: an earlier moment is ignored)."""
        if moment > self._now:
            self._now = moment


@dataclass(frozen=True, slots=True)
class FaultWindow:
    """A teleservice fault: ``service`` is ``mode`` from ``start`` until ``end``."""

    service: str
    mode: str
    start: datetime
    end: datetime

    def covers(self, service: str, at: datetime) -> bool:
        return self.service == service and self.start <= at < self.end


@dataclass
class Task:
    """A task of the trainee's list, opened by an event with ``task``."""

    id: str
    text: str
    opened_at: datetime
    person: str | None = None
    done_at: datetime | None = None

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True, slots=True)
class FiredEvent:
    """An event that fired, and when."""

    event: Event
    at: datetime

    @property
    def id(self) -> str:
        return self.event.id

    @property
    def kind(self) -> str:
        return self.event.kind

    def shown(self) -> dict[str, Any]:
        """What was shown to the trainee (the ``shown`` of the ``event`` record)."""
        return event_shown(self.event, self.at)


def event_shown(event: Event, at: datetime) -> dict[str, Any]:
    """What an event shows the trainee: the person and what they say, the message, the
    fault and its end, the note, dictation or question text, and the task."""
    shown: dict[str, Any] = {}
    if isinstance(event, VisitorEvent | CallEvent):
        shown["person"] = event.person
        if event.says is not None:
            shown["says"] = event.says
    elif isinstance(event, MessageEvent):
        shown.update({"from": event.from_, "subject": event.subject, "body": event.body})
        if event.patient is not None:
            shown["patient"] = event.patient
    elif isinstance(event, FaultEvent):
        shown.update({"service": event.service, "mode": event.mode})
        if event.for_ is not None:
            shown["until"] = iso_t(at + event.for_)
    elif isinstance(event, NoteEvent):
        shown["text"] = event.text
    elif isinstance(event, DictationEvent | QuestionEvent):
        shown["text"] = event.text
        if event.from_ is not None:
            shown["from"] = event.from_
    task = getattr(event, "task", None)
    if task is not None:
        shown["task"] = task
    return shown


@dataclass
class _Pending:
    due: datetime
    order: int
    event: Event


@dataclass
class Timeline:
    """The events of a scenario, scheduled on its clock.

    ``at`` events are scheduled from the start; ``when`` events once an action matching
    their condition happened (:meth:`notice`), ``delay`` after it. :meth:`due` yields the
    events due up to a moment (the run fires and logs them); :meth:`fire` applies an
    event to the timeline's own state (fault windows, tasks).
    """

    scenario: Scenario
    clock: Clock
    pending: list[_Pending] = field(default_factory=list)
    waiting: list[tuple[int, Event]] = field(default_factory=list)
    fired: list[FiredEvent] = field(default_factory=list)
    faults: list[FaultWindow] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)

    def __post_init__(self) -> None:
        for order, event in enumerate(self.scenario.events):
            if event.at is not None:
                self.pending.append(_Pending(self.clock.at(event.at), order, event))
            else:
                self.waiting.append((order, event))
        self._sort()

    def _sort(self) -> None:
        self.pending.sort(key=lambda p: (p.due, p.order))

    # -------------------------------------------------------------- scheduling

    def notice(self, fact: ActionFact, ctx: MatchContext) -> None:
        """An action happened: schedule the ``when`` events whose condition it meets."""
        still: list[tuple[int, Event]] = []
        for order, event in self.waiting:
            assert event.when is not None
            if match_action(event.when, fact, ctx):
                due = fact.t + (event.delay or timedelta(0))
                self.pending.append(_Pending(due, order, event))
            else:
                still.append((order, event))
        if len(still) != len(self.waiting):
            self.waiting = still
            self._sort()

    def next_due(self) -> datetime | None:
        """When the next scheduled event is due (None when none is scheduled)."""
        return self.pending[0].due if self.pending else None

    def due(self, until: datetime) -> Iterator[tuple[datetime, Event]]:
        """Pop the events due at or before ``until`` (and not after the end), in order."""
        limit = min(until, self.clock.end)
        while self.pending and self.pending[0].due <= limit:
            item = self.pending.pop(0)
            yield item.due, item.event

    # -------------------------------------------------------------- firing

    def fire(self, event: Event, at: datetime) -> FiredEvent:
        """Record that ``event`` fired at ``at``: fault windows and tasks follow."""
        fired = FiredEvent(event, at)
        self.fired.append(fired)
        if isinstance(event, FaultEvent):
            end = at + event.for_ if event.for_ is not None else self.clock.end
            self.faults.append(FaultWindow(event.service, event.mode, at, end))
        task = getattr(event, "task", None)
        if task:
            person = getattr(event, "person", None)
            self.tasks.append(Task(event.id, task, at, person if isinstance(person, str) else None))
        return fired

    def service_state(self, service: str, at: datetime) -> str:
        """``available``, ``unavailable`` or ``slow`` (``unavailable`` wins an overlap)."""
        modes = {window.mode for window in self.faults if window.covers(service, at)}
        if "unavailable" in modes:
            return "unavailable"
        if "slow" in modes:
            return "slow"
        return AVAILABLE

    # -------------------------------------------------------------- tasks

    def close_tasks(self, fact: ActionFact) -> None:
        """An accepted action may complete tasks: ``end_interaction`` those of its
        person, ``submit_transcription`` / ``submit_answer`` those of their event."""
        if not fact.ok:
            return
        for task in self.tasks:
            if task.done:
                continue
            person = fact.with_.get("person")
            target = fact.with_.get("task") or fact.with_.get("question")
            if (fact.do == "end_interaction" and person is not None and task.person == person) or (
                fact.do in ("submit_transcription", "submit_answer") and target == task.id
            ):
                task.done_at = fact.t

    def open_tasks(self) -> list[Task]:
        return [task for task in self.tasks if not task.done]

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.scenario.events if e.id == event_id), None)
