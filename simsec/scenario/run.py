"""A run: one scenario played, by a trainee, a reference solution or a replay.

PRODUCT.md §3: "A run is a scenario played by a trainee. Its log records every action and
event with scenario time and wall time, hash-chained." ARCHITECTURE.md: live play,
replay, solutions and tests share one path. :class:`Run` is that path: it owns the
clock, the timeline, the stage, the engine and the run-log writer.

- :meth:`Run.advance_to` moves the clock, fires the events that fall due (in time
  order, each at its own time), moves people onto the stage and logs ``event`` records;
- :meth:`Run.perform` applies one action through :meth:`Engine.apply
  <simsec.actions.engine.Engine.apply>` at the current scenario time, logs the
  ``action`` record, lets the timeline react (``when`` events, tasks) and the stage
  follow (a person who leaves, the documents asked for) and fires what fell due;
  ``wait`` (solutions only) is logged, then moves the clock;
- :meth:`Run.recall` logs a read-only action with its known result, without applying
  it (a replay of a verified log);
- :meth:`Run.view` logs what the trainee opened (not replayed);
- :meth:`Run.end` scores the run and logs the ``end`` record, with the automatic score
  summary and two hashes of the final database that a replay must find again:
  ``state_hash`` (the rows the run changed, cheap) and ``db_hash`` (the canonical dump,
  :func:`simsec.db.dump.dump_hash`).

Without a writer the records are kept in memory only, hash-chained the same way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine as DbEngine
from sqlalchemy.orm import Session

from simsec import __version__
from simsec.actions.catalogue import CATALOGUE, ActionBase, WaitFields
from simsec.actions.engine import ActionOutcome, Engine, Service
from simsec.actions.references import Bindings, binding_value
from simsec.db.dump import dump_hash
from simsec.runlog.canonical import record_hash
from simsec.runlog.records import (
    RecordKind,
    action_body,
    end_body,
    event_body,
    format_t,
    format_wall,
    header_body,
    view_body,
)
from simsec.runlog.writer import RunLogWriter
from simsec.scenario.checks import RunFacts
from simsec.scenario.matchers import ActionFact, EventFact, MatchContext
from simsec.scenario.model import CallEvent, Scenario, VisitorEvent
from simsec.scenario.scoring import ScoreReport, score_run
from simsec.scenario.stage import ScenarioStage
from simsec.scenario.timeline import Clock, FiredEvent, Timeline
from simsec.scenario.world_cache import (
    WorldCache,
    base_identity,
    default_cache,
    scenario_digest,
    state_hash,
)

__all__ = ["Run", "RunInfo", "utc_now"]

WallClock = Callable[[], datetime]


def utc_now() -> datetime:
    """The wall clock (UTC): only ever written to the ``wall`` field, never scored."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class RunInfo:
    """What the header says about a run: the scenario file's SHA-256 and path, the
    trainee, and extra fields (a solution's id)."""

    scenario_sha256: str = ""
    scenario_path: str = ""
    trainee: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


class Run:
    """One run of a scenario (see the module docstring)."""

    def __init__(
        self,
        scenario: Scenario,
        db: DbEngine,
        *,
        info: RunInfo | None = None,
        writer: RunLogWriter | None = None,
        services: Mapping[str, Service] | None = None,
        wall_clock: WallClock = utc_now,
        header: bool = True,
        base: str | None = None,
        chained: bool = True,
    ) -> None:
        self.scenario = scenario
        self.db = db
        self.base = base
        """The identity of the t=0 database the run started from (for :meth:`state_hash`)."""
        self.info = info or RunInfo()
        self.writer = writer
        self.wall_clock = wall_clock
        self.clock = Clock(scenario.start, scenario.duration)
        self.timeline = Timeline(scenario, self.clock)
        self.stage = ScenarioStage(scenario, self.timeline)
        self.engine = Engine(
            db, services=services, guided=scenario.guidance == "guided", origin=scenario.start
        )
        self.bindings = Bindings()
        self.records: list[dict[str, Any]] = []
        self.actions: list[ActionFact] = []
        self.events: list[EventFact] = []
        self.outcomes: list[ActionOutcome] = []
        self.ended: str | None = None
        self.report: ScoreReport | None = None
        self.final_hash: str | None = None
        self.final_state: str | None = None
        self.chained = chained
        """Whether the in-memory records get their ``wall``, ``prev`` and ``hash`` (a
        replay, which keeps the log's own records, does without)."""
        self._prev = ""
        if header:
            self._header()
        self.advance_to(self.clock.start)

    # ----------------------------------------------------------------- opening

    @classmethod
    def start(
        cls,
        scenario: Scenario,
        *,
        sha256: str | None = None,
        path: str = "",
        trainee: str = "",
        log_dir: Path | None = None,
        log_path: Path | None = None,
        cache: WorldCache | None = None,
        services: Mapping[str, Service] | None = None,
        wall_clock: WallClock = utc_now,
        fsync: bool = True,
        extra: Mapping[str, Any] | None = None,
    ) -> Run:
        """A new run on a fresh copy of the scenario's t=0 database.

        The log goes to ``log_path`` (created or replaced) or to a new file in
        ``log_dir`` named after the run; neither: records kept in memory only.
        """
        digest = sha256 or scenario_digest(scenario)
        db = (cache or default_cache()).engine(scenario, digest)
        writer: RunLogWriter | None = None
        if log_path is not None:
            writer = _open_path(log_path, wall_clock, fsync)
        elif log_dir is not None:
            writer = RunLogWriter.create(
                log_dir,
                scenario_id=scenario.id,
                trainee=trainee,
                wall_clock=wall_clock,
                fsync=fsync,
            )
        info = RunInfo(digest, path, trainee, dict(extra or {}))
        return cls(
            scenario,
            db,
            info=info,
            writer=writer,
            services=services,
            wall_clock=wall_clock,
            base=base_identity(digest),
        )

    def _header(self) -> None:
        body = header_body(
            simsec_version=__version__,
            scenario_id=self.scenario.id,
            scenario_sha256=self.info.scenario_sha256,
            scenario_path=self.info.scenario_path,
            seed=self.scenario.world.seed,
            trainee=self.info.trainee,
            locale=self.scenario.locale,
            guidance=self.scenario.guidance,
            started=self.wall_clock(),
            extra=self.info.extra,
        )
        self._append(RecordKind.HEADER, self.clock.now, body)

    # ----------------------------------------------------------------- the log

    @property
    def log_path(self) -> Path | None:
        return self.writer.path if self.writer is not None else None

    def _append(self, kind: RecordKind, t: datetime, body: Mapping[str, Any]) -> dict[str, Any]:
        if self.writer is not None:
            record = self.writer.append(kind, t, body).as_dict()
        elif not self.chained:
            record = {**body, "seq": len(self.records), "kind": str(kind), "t": format_t(t)}
            self.records.append(record)
            return record
        else:
            record = {
                **body,
                "seq": len(self.records),
                "kind": str(kind),
                "t": format_t(t),
                "wall": format_wall(self.wall_clock()),
                "prev": self._prev,
            }
            record["hash"] = record_hash(record)
        self._prev = str(record["hash"])
        self.records.append(record)
        return record

    def close(self) -> None:
        """Close the log file (the run may not be extended afterwards)."""
        if self.writer is not None:
            self.writer.close()

    # ----------------------------------------------------------------- time

    @property
    def now(self) -> datetime:
        return self.clock.now

    @property
    def time_up(self) -> bool:
        return self.clock.time_up

    def match_context(self) -> MatchContext:
        return MatchContext(self.clock.start, dict(self.bindings.names))

    def advance_to(self, moment: datetime | timedelta) -> list[FiredEvent]:
        """Move the clock to ``moment`` (an offset or a date-time; never backwards),
        firing and logging the events due on the way."""
        target = self.clock.at(moment)
        fired: list[FiredEvent] = []
        for due, event in self.timeline.due(target):
            self.clock.set(due)
            happened = self.timeline.fire(event, due)
            if isinstance(event, VisitorEvent | CallEvent):
                self.stage.arrive(event.person, event.kind)
            record = self._append(
                RecordKind.EVENT, due, event_body(event.id, event.kind, happened.shown())
            )
            self.events.append(EventFact(int(record["seq"]), due, event.id, event.kind))
            fired.append(happened)
        self.clock.set(target)
        return fired

    # ----------------------------------------------------------------- actions

    def perform(
        self, action: ActionBase | Mapping[str, Any], *, at: datetime | timedelta | None = None
    ) -> ActionOutcome:
        """Apply one action (at ``at`` when given, else now) and log it."""
        if at is not None:
            self.advance_to(at)
        outcome = self.engine.apply(
            action, now=self.clock.now, stage=self.stage, bindings=self.bindings
        )
        return self._logged(outcome)

    def recall(
        self, do: str, with_: Mapping[str, Any], as_: str | None, result: Mapping[str, Any]
    ) -> ActionOutcome:
        """Log an action that reads only, with the result it had, without applying it
        again (a replay of a verified log: the database cannot differ, and the run's
        final state hash proves it). Its ``as`` is bound from that result."""
        outcome = ActionOutcome(do, dict(with_), as_, dict(result))
        info = CATALOGUE.get(do)
        if outcome.ok and as_ is not None and info is not None:
            bound = binding_value(info.creates, outcome.result)
            if bound is not None:
                self.bindings.bind(as_, bound)
        return self._logged(outcome)

    def _logged(self, outcome: ActionOutcome) -> ActionOutcome:
        """Log an applied action; let the timeline, the stage and the clock follow."""
        now = self.clock.now
        body = (
            action_body(outcome.do, outcome.with_, outcome.result, outcome.as_)
            if self.chained or self.writer is not None
            else outcome.record()
        )
        record = self._append(RecordKind.ACTION, now, body)
        fact = ActionFact(
            int(record["seq"]), now, outcome.do, record["with"], outcome.as_, record["result"]
        )
        self.actions.append(fact)
        self.outcomes.append(outcome)
        self.timeline.notice(fact, self.match_context())
        self.timeline.close_tasks(fact)
        if fact.ok and fact.do == "end_interaction":
            person = fact.with_.get("person")
            if isinstance(person, str):
                self.stage.leave(person)
        if fact.ok and fact.do == "request_document":
            person, kind = fact.with_.get("person"), fact.with_.get("kind")
            if isinstance(person, str) and isinstance(kind, str):
                self.stage.request(person, kind)
        if fact.ok and outcome.action is not None and isinstance(outcome.action.with_, WaitFields):
            wait = outcome.action.with_
            target = (
                self.clock.at(wait.until)
                if wait.until is not None
                else now + (wait.for_ or timedelta(0))
            )
            self.advance_to(target)
        else:
            self.advance_to(now)
        return outcome

    def view(self, entity: str, key: str, detail: Mapping[str, Any] | None = None) -> None:
        """Log what the trainee opened (confidentiality: who looked at what)."""
        self._append(RecordKind.VIEW, self.clock.now, view_body(entity, key, detail))

    # ----------------------------------------------------------------- results

    def session(self) -> Session:
        return Session(self.db)

    def facts(self) -> RunFacts:
        return RunFacts(self.clock.start, list(self.actions), list(self.events))

    def score(self) -> ScoreReport:
        """The rubric result now (the run goes on)."""
        with self.session() as session:
            return score_run(self.scenario, self.facts(), session)

    def db_hash(self) -> str:
        """The hash of the canonical dump of the run's database (reads every row)."""
        return dump_hash(self.db)

    def state_hash(self) -> str | None:
        """The hash of the t=0 database's identity and of the rows the run changed
        (:func:`simsec.scenario.world_cache.state_hash`); None when not tracked."""
        return state_hash(self.db, self.base) if self.base is not None else None

    def end(self, reason: str = "completed", *, full_hash: bool = True) -> ScoreReport:
        """Score the run, log the ``end`` record (reason, score summary, ``state_hash``
        and, with ``full_hash``, the canonical dump hash ``db_hash``) and close the log."""
        if self.ended is not None and self.report is not None:
            return self.report
        report = self.score()
        self.final_state = self.state_hash()
        self.final_hash = self.db_hash() if full_hash else None
        body: dict[str, Any] = dict(end_body(reason, report.summary()))
        if self.final_hash is not None:
            body["db_hash"] = self.final_hash
        if self.final_state is not None:
            body["state_hash"] = self.final_state
        self._append(RecordKind.END, self.clock.now, body)
        self.ended = reason
        self.report = report
        self.close()
        return report


def _open_path(path: Path, wall_clock: WallClock, fsync: bool) -> RunLogWriter:
    """A writer on ``path`` (created, or emptied when it exists)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
    return RunLogWriter(path, fd, wall_clock=wall_clock, fsync=fsync)
