"""The play session: a thin controller between the TUI and the engine's :class:`Run`.

- the scenario clock runs in real time at a chosen speed (:meth:`PlaySession.tick`,
  called by the workspace's timer; ``speed`` scenario seconds per real second, 0 to
  stop it), and moves in whole seconds through :meth:`Run.advance_to`, which fires the
  events that fall due;
- every change goes through :meth:`PlaySession.perform`: an action model handed to
  :meth:`Run.perform` (engine, one transaction, run log appended and fsync'd before it
  returns, so that a killed terminal loses no completed action);
- the desk's state is derived from the run's records (:class:`~simsec.ui.views.DeskJournal`);
- :func:`resume_session` replays an interrupted run's log on a fresh t=0 database and
  carries on appending to the same log (RUNLOG_FORMAT.md: the chain goes on).

Nothing here imports textual: the session is tested without a terminal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from simsec.i18n import _
from simsec.ui.context import SessionOptions
from simsec.ui.views import (
    ActionFeedback,
    DeskJournal,
    FiredNotice,
    ShellState,
    tasks_view,
)

if TYPE_CHECKING:
    from simsec.actions.catalogue import ActionBase
    from simsec.scenario.model import Scenario
    from simsec.scenario.run import Run
    from simsec.scenario.scoring import ScoreReport
    from simsec.scenario.world_cache import WorldCache

__all__ = [
    "PlaySession",
    "SessionError",
    "SessionOptions",
    "practice_scenario_file",
    "resume_session",
    "start_session",
]

#: Free practice: a generated world, no visitors, no rubric, a long day.
PRACTICE_DURATION: Final = "8h"


class SessionError(Exception):
    """A run cannot be started or resumed (the message is for the trainee, translated)."""


class PlaySession:
    """One run being played in the TUI (see the module docstring)."""

    def __init__(self, run: Run, *, speed: float = 1.0, resumed: bool = False) -> None:
        self.run = run
        self.speed = speed
        self.paused = False
        self.resumed = resumed
        self.journal = DeskJournal({p.key: p.name for p in run.scenario.people})
        self.report: ScoreReport | None = None
        self._lock = threading.RLock()
        self._seen = 0
        self._pending_seconds = 0.0
        self._absorb()

    # ------------------------------------------------------------------ reading

    @property
    def scenario(self) -> Scenario:
        return self.run.scenario

    @property
    def guided(self) -> bool:
        return self.run.scenario.guidance == "guided"

    @property
    def now(self) -> datetime:
        return self.run.now

    @property
    def ended(self) -> bool:
        return self.run.ended is not None

    @property
    def time_up(self) -> bool:
        return self.run.time_up

    @property
    def log_path(self) -> Path | None:
        return self.run.log_path

    @property
    def debrief_allowed(self) -> bool:
        return bool(self.run.scenario.debrief)

    def shell_state(self) -> ShellState:
        """What the top bar shows now."""
        with self._lock:
            clock = self.run.clock
            waiting = self.journal.waiting()
            return ShellState(
                structure=self.scenario.structure.name,
                trainee=self.run.info.trainee,
                scenario_title=self.scenario.title,
                now=clock.now,
                start=clock.start,
                end=clock.end,
                guided=self.guided,
                tasks=tasks_view(self.run.timeline.open_tasks()),
                waiting_visitors=sum(1 for p in waiting if p.channel == "visitor"),
                ringing_calls=sum(1 for p in waiting if p.channel == "call"),
                unread_messages=self.journal.unread,
                faults=tuple(self.journal.faults_at(clock.now)),
                attending=self.journal.attending,
                ended=self.ended,
                speed=0.0 if self.paused else self.speed,
            )

    # ------------------------------------------------------------------ time

    def tick(self, seconds: float) -> tuple[FiredNotice, ...]:
        """``seconds`` of real time went by: move the scenario clock (``speed`` times as
        much, in whole seconds, never past the end) and return the events that fired."""
        with self._lock:
            if self.ended or self.paused or self.speed <= 0 or seconds <= 0:
                return ()
            self._pending_seconds += seconds * self.speed
            whole = int(self._pending_seconds)
            if whole <= 0:
                return ()
            self._pending_seconds -= whole
            return self.advance(timedelta(seconds=whole))

    def advance(self, delta: timedelta) -> tuple[FiredNotice, ...]:
        """Move the scenario clock forward by ``delta`` (not past the end)."""
        with self._lock:
            if self.ended:
                return ()
            target = min(self.run.now + delta, self.run.clock.end)
            self.run.advance_to(target)
            return tuple(self._absorb())

    def toggle_pause(self) -> bool:
        """Pause or restart the clock; returns whether it is now paused."""
        with self._lock:
            self.paused = not self.paused
            return self.paused

    # ------------------------------------------------------------------ actions

    def perform(self, action: ActionBase | Mapping[str, Any]) -> ActionFeedback:
        """Apply one action through the engine at the current scenario time.

        The record is in the log (and fsync'd) when this returns. A refused action
        changes nothing; its French message is in the feedback.
        """
        with self._lock:
            if self.ended:
                return ActionFeedback(
                    str(getattr(action, "do", "")),
                    False,
                    {},
                    "run_ended",
                    _("La partie est terminée : plus aucune action n'est possible."),
                )
            outcome = self.run.perform(action)
            fired = tuple(self._absorb())
            error = outcome.error or {}
            warnings = outcome.result.get("warnings") or []
            return ActionFeedback(
                do=outcome.do,
                ok=outcome.ok,
                result=outcome.result,
                code=str(error["code"]) if "code" in error else None,
                message=str(error["message"]) if "message" in error else None,
                warnings=tuple(str(w) for w in warnings) if self.guided else (),
                fired=fired,
            )

    def mark_messages_read(self) -> None:
        self.journal.read_messages = len(self.journal.inbox)

    def _absorb(self) -> list[FiredNotice]:
        records = self.run.records
        fresh = records[self._seen :]
        self._seen = len(records)
        return self.journal.absorb_all(fresh)

    # ------------------------------------------------------------------ the end

    def end(self, reason: str = "completed") -> ScoreReport:
        """End the run (``completed``, ``time_up`` or ``abandoned``): score it, log the
        ``end`` record and close the log."""
        with self._lock:
            self.report = self.run.end(reason)
            return self.report

    def close(self) -> None:
        """Close the log without ending the run (it stays resumable)."""
        with self._lock:
            if not self.ended:
                self.run.close()


# ---------------------------------------------------------------------- starting


_CACHES: dict[Path, WorldCache] = {}


def _cache(options: SessionOptions) -> WorldCache:
    from simsec.scenario.world_cache import WorldCache, default_cache

    if options.cache is not None:
        return options.cache
    if options.cache_dir is None:
        return default_cache()
    if options.cache_dir not in _CACHES:
        _CACHES[options.cache_dir] = WorldCache(options.cache_dir)
    return _CACHES[options.cache_dir]


def _wall(options: SessionOptions) -> Callable[[], datetime]:
    from simsec.scenario.run import utc_now

    return options.wall_clock or utc_now


def _load(path: Path) -> tuple[Scenario, str]:
    from simsec.scenario.loader import load_scenario

    loaded = load_scenario(path)
    if loaded.scenario is None:
        first = loaded.errors[0] if loaded.errors else None
        raise SessionError(
            _("Le scénario « {path} » est invalide : {error}").format(
                path=path, error=first.format() if first is not None else "?"
            )
        )
    return loaded.scenario, loaded.sha256


def start_session(path: Path, *, trainee: str, options: SessionOptions) -> PlaySession:
    """A new run of the scenario file ``path`` by ``trainee``, logged in
    ``options.runs_dir`` (memory only when None)."""
    from simsec.scenario.run import Run

    scenario, sha256 = _load(path)
    extra = {} if options.assessed else {"assessed": False}
    run = Run.start(
        scenario,
        sha256=sha256,
        path=str(path),
        trainee=trainee,
        log_dir=options.runs_dir,
        cache=_cache(options),
        wall_clock=_wall(options),
        fsync=options.fsync,
        extra=extra,
    )
    return PlaySession(run, speed=options.speed)


def resume_session(
    log_path: Path, *, options: SessionOptions, scenario_path: Path | None = None
) -> PlaySession:
    """Resume an interrupted run: verify its log, replay its actions on a fresh t=0
    database (the same engine as live play), then append to the same log.

    Refused (:class:`SessionError`) when the log is damaged, already ended, or its
    scenario cannot be found or has changed since the run began (the replay would not
    rebuild the trainee's state).
    """
    from simsec.runlog.records import RecordKind
    from simsec.runlog.replay import find_scenario, replay_records
    from simsec.runlog.verify import verify_log
    from simsec.runlog.writer import RunLogError, RunLogWriter
    from simsec.scenario.run import RunInfo

    report = verify_log(log_path)
    header = report.header
    if not report.ok or header is None:
        problem = report.problem.message if report.problem is not None else ""
        raise SessionError(_("Journal de partie illisible : {problem}").format(problem=problem))
    if any(record.kind == RecordKind.END for record in report.records):
        raise SessionError(_("Cette partie est terminée : il n'y a rien à reprendre."))
    info = header.get("scenario") or {}
    file = find_scenario(header, log_path, scenario_path)
    if file is None:
        raise SessionError(
            _("Scénario introuvable : « {path} ».").format(path=info.get("path") or info.get("id"))
        )
    scenario, sha256 = _load(file)
    if info.get("id") and scenario.id != info.get("id"):
        raise SessionError(
            _("Le fichier « {path} » est le scénario « {found} », pas « {expected} ».").format(
                path=file, found=scenario.id, expected=info.get("id")
            )
        )
    if info.get("sha256") and info.get("sha256") != sha256:
        raise SessionError(
            _(
                "Le scénario « {path} » a été modifié depuis le début de cette partie : "
                "elle ne peut pas être reprise."
            ).format(path=file)
        )
    run, facts, divergences = replay_records(
        scenario, report.records, cache=_cache(options), sha256=sha256, compute_hash=False
    )
    if divergences:
        raise SessionError(divergences[0].message())
    moments = [r.scenario_time for r in report.records if r.scenario_time is not None]
    if moments:
        run.advance_to(max(moments))
    try:
        run.writer = RunLogWriter.extend(log_path, wall_clock=_wall(options), fsync=options.fsync)
    except RunLogError as exc:
        raise SessionError(
            _("Journal de partie illisible : {problem}").format(problem=exc)
        ) from None
    run.info = RunInfo(
        scenario_sha256=sha256,
        scenario_path=str(info.get("path") or file),
        trainee=str(header.get("trainee") or ""),
    )
    # The evidence of the checks cites the log's own records (their seq), not the replay's.
    run.records = [record.as_dict() for record in report.records]
    run.actions = list(facts.actions)
    run.events = list(facts.events)
    return PlaySession(run, speed=options.speed, resumed=True)


def practice_scenario_file(directory: Path, *, seed: int, population: int) -> Path:
    """Write (or reuse) the free-practice scenario of a generated world: the seeded
    population, two generated practitioners, no visitors, no rubric, no debrief.

    It is a scenario file like the others, so that the run is logged, resumable and
    replayable (``simsec score``) the same way.
    """
    import yaml

    data = {
        "format": "simsec/scenario@1",
        "id": f"pratique_libre_{seed}_{population}",
        # scenario data, in French like every scenario file (and the same bytes whatever
        # the language of the UI, so that the run can be resumed and replayed)
        "title": "Pratique libre",
        "summary": "Un monde généré, sans visiteur ni évaluation : explorez les modules.",
        "competencies": [],
        "difficulty": 1,
        "guidance": "guided",
        "start": "2026-03-02T08:30",
        "duration": PRACTICE_DURATION,
        "debrief": False,
        "structure": {"kind": "centre_de_sante", "name": "Centre de santé (pratique libre)"},
        "world": {"seed": seed, "population": population, "practitioners": 2, "history_days": 30},
        # the format asks every scenario for a reference solution: here, letting time pass
        "solutions": [{"id": "attente", "actions": [{"do": "wait", "with": {"for": "1m"}}]}],
    }
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{data['id']}.yaml"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
