"""The assessor's replay of a run log, step by step, without any user interface.

The issue "Assessor and trainer tools": the jury grades a situation it did not watch, so
the replay viewer must show exactly what the trainee saw and did and when. This module
is the UI-free core of ``simsec replay LOG`` (the Textual screen only draws it):

- the log is verified (RUNLOG_FORMAT.md, guarantee 1) and read; every readable record
  becomes a **step** of the timeline, those past the first altered record marked as not
  verified, so that an altered log can still be looked at, under a clear warning;
- the ``action`` records are applied again, once, in order, on a fresh copy of the
  scenario's t=0 database (:mod:`simsec.scenario.world_cache`), through the same
  :class:`~simsec.scenario.run.Run` and engine as the live run (RUNLOG_FORMAT.md,
  guarantee 2). While they are, each step captures **what it changed in the database**:
  temporary SQLite triggers (in the connection's ``temp`` schema, the database itself is
  untouched) keep the before-image of every row the step touches, and the after-image is
  read when the step is done; a refused action is rolled back with its transaction and
  shows no change. Each step also keeps the tasks open after it. Seeking is then free:
  nothing is replayed again when the assessor steps back;
- the rubric is scored on the rebuilt database (:func:`simsec.scenario.scoring.score_run`)
  and each criterion's evidence is mapped to its step (by ``seq``; an entity to the last
  step that changed it);
- a manual grade (``grade`` record: ``criterion``, ``points``, ``comment``, ``assessor``)
  is validated (points from 0 to the criterion's maximum), appended to the log through
  :meth:`RunLogWriter.extend <simsec.runlog.writer.RunLogWriter.extend>` so that it
  extends the hash chain, and the log is verified and scored again.

Scoring reads scenario times only, never ``wall`` (RUNLOG_FORMAT.md, guarantee 3); the
wall-clock times are shown to the assessor, as the format intends.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, Table
from sqlalchemy.orm import Session

from simsec.actions.catalogue import CATALOGUE
from simsec.db.models import Base
from simsec.i18n import _
from simsec.runlog.reader import read_log
from simsec.runlog.records import Record, RecordKind
from simsec.runlog.replay import READ_ONLY, agrees, find_scenario
from simsec.runlog.verify import VerifyReport, verify_log
from simsec.runlog.writer import RunLogError, RunLogWriter, WallClock
from simsec.scenario.checks import Evidence, RunFacts
from simsec.scenario.loader import load_scenario
from simsec.scenario.model import Criterion, Scenario
from simsec.scenario.run import Run, RunInfo, utc_now
from simsec.scenario.scoring import CriterionResult, ScoreReport, grades_from_records, score_run
from simsec.scenario.world_cache import WorldCache, base_identity, default_cache

__all__ = [
    "VIEW_AREAS",
    "ChainStatus",
    "ChangeKind",
    "FieldChange",
    "GradeError",
    "ReplayView",
    "RowChange",
    "Step",
    "TaskInfo",
    "open_replay",
    "parse_points",
]

#: The module a ``view`` record's entity belongs to (the areas of the action catalogue).
VIEW_AREAS: Final[Mapping[str, str]] = {
    "patient": "identity",
    "identity_report": "identity",
    "coverage": "insurance",
    "invoice": "payment",
    "appointment": "agenda",
    "agenda_day": "agenda",
    "agenda": "agenda",
    "admission": "admission",
    "access_request": "access",
    "request": "access",
    "letter": "documents",
    "message": "desk",
    "statistics": "statistics",
}

_STEP_ROWS: Final = "simsec_step_rows"
_BEFORE: Final = "simsec_before_"


# ----------------------------------------------------------------------------- DTOs


class ChangeKind(StrEnum):
    """How a step changed a row."""

    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One column of a changed row: its value before and after the step (None: absent
    or NULL). Integer foreign keys are shown as the ``key`` of the row they point to."""

    column: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class RowChange:
    """A row the step inserted, updated or deleted.

    ``key`` is the row's stable key (``patient#2041``, ``p_giraud``), or, for a table
    without one (``coverage``), the key of the row its first foreign key points to, else
    ``#rowid``. ``fields`` holds the changed columns of an update, the filled columns of
    an insert or a delete.
    """

    table: str
    key: str
    kind: ChangeKind
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class TaskInfo:
    """A task of the trainee's list (opened by an event with ``task``)."""

    id: str
    text: str
    opened_at: datetime


@dataclass(frozen=True, slots=True)
class Step:
    """One record of the log as a step of the replay."""

    index: int
    """Position in the timeline (the record's ``seq`` in a log that verifies)."""
    record: Record
    verified: bool
    """The record is part of the verified chain (False past an altered record)."""
    open_tasks: tuple[str, ...] = ()
    """The ids of the tasks open after this step."""
    changes: tuple[RowChange, ...] = ()
    """What the step changed in the database."""
    replayed: Mapping[str, Any] | None = None
    """The replayed result of an action when it differs from the logged one."""
    area: str | None = None
    """The module the trainee was in: the area of the action (``desk``, ``identity``...)
    or of the entity a ``view`` opened."""

    @property
    def seq(self) -> int:
        return self.record.seq

    @property
    def kind(self) -> str:
        return self.record.kind

    @property
    def t(self) -> datetime | None:
        return self.record.scenario_time

    @property
    def ok(self) -> bool | None:
        """An action's outcome as logged (accepted, refused); None for other records."""
        if self.record.kind != RecordKind.ACTION:
            return None
        result = self.record.get("result")
        ok = result.get("ok") if isinstance(result, Mapping) else None
        return ok if isinstance(ok, bool) else None

    @property
    def diverged(self) -> bool:
        return self.replayed is not None


@dataclass(frozen=True, slots=True)
class ChainStatus:
    """The integrity of the log and of its replay, for the banner of the viewer."""

    ok: bool
    """Every record verifies (hashes, ``prev`` links, ``seq``)."""
    problem: str | None = None
    first_bad_seq: int | None = None
    warnings: tuple[str, ...] = ()
    complete: bool = False
    scenario_changed: bool = False
    scenario_error: str | None = None
    divergences: int = 0
    rebuilt: bool | None = None
    """The replay found the state hash the run logged (None: not known)."""
    records: int = 0

    @property
    def altered(self) -> bool:
        return not self.ok

    @property
    def trustworthy(self) -> bool:
        """Nothing to warn the assessor about."""
        return (
            self.ok
            and not self.scenario_changed
            and self.scenario_error is None
            and self.divergences == 0
            and self.rebuilt is not False
        )


class GradeError(ValueError):
    """A grade that cannot be recorded (the message is for the assessor, translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ----------------------------------------------------------------------------- grades


def parse_points(text: str | Decimal | int, maximum: Decimal) -> Decimal:
    """The points of a manual grade: a number from 0 to ``maximum`` (a French decimal
    comma is accepted: ``1,5``), with at most two decimals. Raises :class:`GradeError`."""
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    else:
        raw = text.strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
        if not raw:
            raise GradeError(_("Indiquez le nombre de points."))
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise GradeError(
                _("« {text} » n'est pas un nombre de points.").format(text=text.strip())
            ) from None
    if not value.is_finite():
        raise GradeError(_("« {text} » n'est pas un nombre de points.").format(text=text))
    if value < 0 or value > maximum:
        raise GradeError(
            _("Les points doivent être compris entre 0 et {max}.").format(max=_number(maximum))
        )
    if value != value.quantize(Decimal("0.01")):
        raise GradeError(_("Les points ont au plus deux décimales."))
    return value


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


# ----------------------------------------------------------------------------- changes


def _raw_connection(db: Engine) -> sqlite3.Connection | None:
    with db.connect() as connection:
        raw = connection.connection.driver_connection
    return raw if isinstance(raw, sqlite3.Connection) else None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class ChangeTracker:
    """What each step changes in an in-memory SQLite database (see the module docstring).

    :meth:`collect` returns the rows touched since the previous call and forgets them.
    """

    def __init__(self, db: Engine, tables: Mapping[str, Table] | None = None) -> None:
        raw = _raw_connection(db)
        if raw is None:
            raise ValueError("change tracking needs an SQLite database")
        self._raw = raw
        self._dialect = db.dialect
        self._tables = dict(tables if tables is not None else Base.metadata.tables)
        self._columns: dict[str, list[str]] = {}
        self._processors: dict[str, list[Callable[[Any], Any] | None]] = {}
        self._install()

    def _install(self) -> None:
        raw = self._raw
        raw.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_STEP_ROWS} "
            "(tbl TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (tbl, rid)) WITHOUT ROWID"
        )
        for name in sorted(self._tables):
            columns = [
                str(row[1]) for row in raw.execute(f"PRAGMA main.table_info({_quoted(name)})")
            ]
            if not columns:
                continue
            self._columns[name] = columns
            table = self._tables[name]
            self._processors[name] = [
                table.c[column]
                .type.dialect_impl(self._dialect)
                .result_processor(self._dialect, None)
                if column in table.c
                else None
                for column in columns
            ]
            before = _quoted(_BEFORE + name)
            raw.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {before} "
                f"(simsec_rid INTEGER PRIMARY KEY, {', '.join(_quoted(c) for c in columns)})"
            )
            literal = "'" + name.replace("'", "''") + "'"
            olds = ", ".join(f"OLD.{_quoted(c)}" for c in columns)
            keep_before = (
                f"INSERT OR IGNORE INTO {before} SELECT OLD.rowid, {olds} "
                f"WHERE NOT EXISTS (SELECT 1 FROM {_STEP_ROWS} "
                f"WHERE tbl = {literal} AND rid = OLD.rowid);"
            )
            touched = "INSERT OR IGNORE INTO {rows} VALUES ({name}, {row}.rowid);"
            for operation, timing, body in (
                ("insert", "AFTER", touched.format(rows=_STEP_ROWS, name=literal, row="NEW")),
                (
                    "update",
                    "BEFORE",
                    keep_before + touched.format(rows=_STEP_ROWS, name=literal, row="OLD"),
                ),
                (
                    "delete",
                    "BEFORE",
                    keep_before + touched.format(rows=_STEP_ROWS, name=literal, row="OLD"),
                ),
            ):
                trigger = _quoted(f"simsec_step_{name}_{operation}")
                raw.execute(
                    f"CREATE TEMP TRIGGER IF NOT EXISTS {trigger} {timing} "
                    f"{operation.upper()} ON main.{_quoted(name)} BEGIN {body} END"
                )
        raw.commit()

    def collect(self) -> tuple[RowChange, ...]:
        """The rows changed since the last call, by table and row (then forgotten)."""
        raw = self._raw
        touched = raw.execute(
            f"SELECT tbl, rid FROM temp.{_STEP_ROWS} ORDER BY tbl, rid"
        ).fetchall()
        if not touched:
            return ()
        keys: dict[tuple[str, int], str | None] = {}
        changes: list[RowChange] = []
        for table, rowid in touched:
            columns = self._columns.get(table)
            if columns is None:
                continue
            before_row = raw.execute(
                f"SELECT * FROM temp.{_quoted(_BEFORE + table)} WHERE simsec_rid = ?", (rowid,)
            ).fetchone()
            after_row = raw.execute(
                f"SELECT * FROM main.{_quoted(table)} WHERE rowid = ?", (rowid,)
            ).fetchone()
            before = self._values(table, before_row[1:]) if before_row is not None else None
            after = self._values(table, after_row) if after_row is not None else None
            change = self._change(table, rowid, before, after, keys)
            if change is not None:
                changes.append(change)
        for table in {str(t) for t, _rid in touched}:
            if table in self._columns:
                raw.execute(f"DELETE FROM temp.{_quoted(_BEFORE + table)}")
        raw.execute(f"DELETE FROM temp.{_STEP_ROWS}")
        raw.commit()
        return tuple(changes)

    def _values(self, table: str, row: Sequence[Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for column, processor, value in zip(
            self._columns[table], self._processors[table], row, strict=False
        ):
            if processor is not None and value is not None:
                with contextlib.suppress(ValueError, TypeError):
                    value = processor(value)
            out[column] = value
        return out

    def _ref_key(self, table: str, rowid: Any, cache: dict[tuple[str, int], str | None]) -> Any:
        if not isinstance(rowid, int):
            return rowid
        found = cache.get((table, rowid), "")
        if found == "":
            row = None
            if table in self._columns and "key" in self._columns[table]:
                row = self._raw.execute(
                    f"SELECT key FROM main.{_quoted(table)} WHERE rowid = ?", (rowid,)
                ).fetchone()
            found = str(row[0]) if row is not None and row[0] is not None else None
            cache[(table, rowid)] = found
        return found if found is not None else f"{table}#{rowid}"

    def _references(self, table: str) -> dict[str, str]:
        """The integer foreign-key columns of ``table`` and the table they point to."""
        out: dict[str, str] = {}
        meta = self._tables[table]
        for column in meta.columns:
            foreign = list(column.foreign_keys)
            if len(foreign) == 1 and foreign[0].column.primary_key:
                out[column.name] = foreign[0].column.table.name
        return out

    def _change(
        self,
        table: str,
        rowid: int,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        cache: dict[tuple[str, int], str | None],
    ) -> RowChange | None:
        if before is None and after is None:  # inserted then deleted within the step
            return None
        references = self._references(table)
        meta = self._tables[table]
        surrogate = (
            {c.name for c in meta.primary_key.columns}
            if len(meta.primary_key.columns) == 1
            else set()
        )

        def shown(column: str, value: Any) -> Any:
            if column in references and value is not None:
                return self._ref_key(references[column], value, cache)
            return value

        current = after if after is not None else before
        assert current is not None
        key = current.get("key")
        if not key:
            first = next((c for c in references if current.get(c) is not None), None)
            key = shown(first, current[first]) if first is not None else f"#{rowid}"
        fields: list[FieldChange] = []
        for column in self._columns[table]:
            if column in surrogate:
                continue
            old = before.get(column) if before is not None else None
            new = after.get(column) if after is not None else None
            if before is not None and after is not None and old == new:
                continue
            if old is None and new is None:
                continue
            fields.append(FieldChange(column, shown(column, old), shown(column, new)))
        if before is None:
            kind = ChangeKind.INSERT
        elif after is None:
            kind = ChangeKind.DELETE
        else:
            kind = ChangeKind.UPDATE
            if not fields:
                return None
        return RowChange(table, str(key), kind, tuple(fields))


# ----------------------------------------------------------------------------- replay


def _area(record: Record) -> str | None:
    if record.kind == RecordKind.ACTION:
        info = CATALOGUE.get(str(record.get("do") or ""))
        return info.area if info is not None and info.area != "clock" else None
    if record.kind == RecordKind.VIEW:
        return VIEW_AREAS.get(str(record.get("entity") or ""))
    return None


@dataclass
class _Replayed:
    steps: list[Step]
    run: Run
    facts: RunFacts
    divergences: int


def _replay(
    scenario: Scenario, records: Sequence[Record], verified: int, digest: str, cache: WorldCache
) -> _Replayed:
    """Apply the log's records again (see the module docstring), one step each."""
    db = cache.engine(scenario, digest)
    tracker = ChangeTracker(db)
    run = Run(
        scenario,
        db,
        info=RunInfo(scenario_sha256=digest),
        header=False,
        base=base_identity(digest),
        chained=False,
    )
    tracker.collect()  # what the start of the run did (nothing is expected) is not a step
    steps: list[Step] = []
    facts_records: list[dict[str, Any]] = []
    divergences = 0
    for index, record in enumerate(records):
        replayed: dict[str, Any] | None = None
        moment = record.scenario_time
        if record.kind == RecordKind.ACTION:
            if moment is not None:
                run.advance_to(moment)
            logged = record.get("result")
            logged = logged if isinstance(logged, Mapping) else {}
            do, with_, as_ = record.get("do"), record.get("with") or {}, record.get("as")
            if (
                do in READ_ONLY
                and isinstance(with_, Mapping)
                and isinstance(logged.get("ok"), bool)
            ):
                run.recall(str(do), with_, as_ if isinstance(as_, str) else None, logged)
                facts_records.append(record.as_dict())
            else:
                action: dict[str, Any] = {"do": do, "with": with_}
                if as_ is not None:
                    action["as"] = as_
                outcome = run.perform(action)
                if not agrees(logged, outcome.result):
                    replayed = dict(outcome.result)
                    divergences += 1
                facts_records.append({**record.as_dict(), "result": outcome.result})
        elif record.kind in (RecordKind.EVENT, RecordKind.END) and moment is not None:
            run.advance_to(moment)
            if record.kind == RecordKind.EVENT:
                facts_records.append(record.as_dict())
        steps.append(
            Step(
                index=index,
                record=record,
                verified=index < verified,
                open_tasks=tuple(task.id for task in run.timeline.open_tasks()),
                changes=tracker.collect(),
                replayed=replayed,
                area=_area(record),
            )
        )
    run.final_state = run.state_hash()
    facts = RunFacts.from_records(facts_records, scenario.start)
    return _Replayed(steps, run, facts, divergences)


# ----------------------------------------------------------------------------- the view


def _chain(
    report: VerifyReport,
    records: Sequence[Record],
    *,
    scenario_changed: bool = False,
    scenario_error: str | None = None,
    divergences: int = 0,
    rebuilt: bool | None = None,
) -> ChainStatus:
    problem = report.problem
    return ChainStatus(
        ok=report.ok,
        problem=problem.message if problem is not None else None,
        first_bad_seq=problem.seq if problem is not None else None,
        warnings=tuple(w.message for w in report.warnings),
        complete=any(r.kind == RecordKind.END for r in records),
        scenario_changed=scenario_changed,
        scenario_error=scenario_error,
        divergences=divergences,
        rebuilt=rebuilt,
        records=len(records),
    )


@dataclass
class ReplayView:
    """A run log opened for the assessor: its steps, its rubric, its chain's status.

    Built by :func:`open_replay`. The steps are computed once; seeking is looking one up.
    """

    path: Path
    steps: list[Step]
    chain: ChainStatus
    scenario: Scenario | None = None
    scenario_file: Path | None = None
    report: ScoreReport | None = None
    tasks: dict[str, TaskInfo] = field(default_factory=dict)
    run: Run | None = None
    facts: RunFacts | None = None
    cache: WorldCache | None = None
    scenario_path: Path | None = None

    # ------------------------------------------------------------------ reading

    @property
    def records(self) -> list[Record]:
        return [step.record for step in self.steps]

    @property
    def header(self) -> Record | None:
        first = self.steps[0].record if self.steps else None
        return first if first is not None and first.kind == RecordKind.HEADER else None

    @property
    def trainee(self) -> str:
        header = self.header
        return str(header.get("trainee") or "") if header is not None else ""

    def step(self, index: int) -> Step:
        return self.steps[max(0, min(index, len(self.steps) - 1))]

    def step_for_seq(self, seq: int) -> int | None:
        """The step of the record numbered ``seq`` (None when the log has none)."""
        if 0 <= seq < len(self.steps) and self.steps[seq].seq == seq:
            return seq
        return next((s.index for s in self.steps if s.seq == seq), None)

    def step_at_time(self, moment: datetime) -> int | None:
        """The last step at or before the scenario time ``moment`` (None: before all)."""
        found: int | None = None
        for step in self.steps:
            t = step.t
            if t is not None and t <= moment:
                found = step.index
            elif t is not None and t > moment:
                break
        return found

    def action_steps(self) -> list[int]:
        return [s.index for s in self.steps if s.kind == RecordKind.ACTION]

    def last_change_of(self, key: str, table: str | None = None) -> int | None:
        """The last step that changed the row with ``key`` (in ``table`` if given)."""
        for step in reversed(self.steps):
            for change in step.changes:
                if change.key == key and (table is None or change.table == table):
                    return step.index
        if table is not None:
            return self.last_change_of(key)
        return None

    def area_at(self, index: int) -> str | None:
        """The module the trainee was last in at step ``index`` (None: not known yet)."""
        for step in reversed(self.steps[: index + 1]):
            if step.area is not None:
                return step.area
        return None

    def open_tasks_at(self, index: int) -> list[TaskInfo]:
        if not self.steps:
            return []
        step = self.step(index)
        return [self.tasks[t] for t in step.open_tasks if t in self.tasks]

    # ------------------------------------------------------------------ the rubric

    def criterion(self, criterion_id: str) -> CriterionResult | None:
        return self.report.criterion(criterion_id) if self.report is not None else None

    def rubric_criterion(self, criterion_id: str) -> Criterion | None:
        if self.scenario is None:
            return None
        return next((c for c in self.scenario.rubric if c.id == criterion_id), None)

    def manual_criteria(self) -> list[Criterion]:
        """The criteria the assessor grades (``manual: true``)."""
        if self.scenario is None:
            return []
        return [c for c in self.scenario.rubric if c.manual or c.check is None]

    def evidence_step(self, item: Evidence) -> int | None:
        """The step of one piece of evidence: its record, or for an entity the last
        step that changed it."""
        if item.seq is not None:
            return self.step_for_seq(item.seq)
        if item.kind == "entity":
            table, _sep, key = item.what.partition(":")
            return self.last_change_of(key, table) if key else None
        return None

    def evidence_steps(self, criterion_id: str) -> list[int]:
        """The steps that decided a criterion, in timeline order (its grades for a
        manual one); empty when there are none."""
        result = self.criterion(criterion_id)
        found: set[int] = set()
        if result is not None:
            for item in result.evidence:
                index = self.evidence_step(item)
                if index is not None:
                    found.add(index)
        if result is None or result.manual:
            found.update(
                s.index
                for s in self.steps
                if s.kind == RecordKind.GRADE and s.record.get("criterion") == criterion_id
            )
        return sorted(found)

    # ------------------------------------------------------------------ grading

    def can_grade(self) -> str | None:
        """Why grades cannot be added (French), None when they can."""
        if not self.chain.ok:
            return _("Le journal est altéré : aucune note ne peut y être ajoutée.")
        if self.scenario is None:
            return _("Le scénario de la partie est introuvable : la grille n'est pas connue.")
        if not self.manual_criteria():
            return _("Cette grille n'a aucun critère à noter par l'évaluateur.")
        return None

    def add_grade(
        self,
        criterion_id: str,
        points: str | Decimal | int,
        comment: str,
        assessor: str,
        *,
        wall_clock: WallClock = utc_now,
        fsync: bool = True,
    ) -> Record:
        """Validate a manual grade, append it to the log (the chain goes on), then verify
        the log and score it again. Raises :class:`GradeError` (French message)."""
        reason = self.can_grade()
        if reason is not None:
            raise GradeError(reason)
        criterion = self.rubric_criterion(criterion_id)
        if criterion is None:
            raise GradeError(_("Critère inconnu : « {id} ».").format(id=criterion_id))
        if not (criterion.manual or criterion.check is None):
            raise GradeError(
                _("Le critère « {id} » est évalué automatiquement : il ne se note pas.").format(
                    id=criterion_id
                )
            )
        value = parse_points(points, criterion.points)
        name = assessor.strip()
        if not name:
            raise GradeError(_("Indiquez le nom de l'évaluateur."))
        last = self.steps[-1].record
        try:
            with RunLogWriter.extend(self.path, wall_clock=wall_clock, fsync=fsync) as writer:
                record = writer.grade(
                    last.t, criterion_id, _json_points(value), comment.strip(), name
                )
        except (RunLogError, OSError) as exc:
            raise GradeError(
                _("La note n'a pas pu être enregistrée : {error}").format(error=exc)
            ) from None
        self.refresh()
        return record

    def refresh(self) -> None:
        """Verify the log again and take in the records appended since it was opened
        (grades); score again with the grades. Anything else: open it again."""
        report = verify_log(self.path)
        known = len(self.steps)
        same = (
            report.ok
            and self.chain.ok
            and len(report.records) >= known
            and known > 0
            and report.records[known - 1].hash == self.steps[-1].record.hash
            and all(r.kind == RecordKind.GRADE for r in report.records[known:])
        )
        if not same:
            fresh = open_replay(self.path, scenario_path=self.scenario_path, cache=self.cache)
            self.close()
            self.__dict__.update(fresh.__dict__)
            return
        previous = self.steps[-1]
        for record in report.records[known:]:
            self.steps.append(Step(len(self.steps), record, True, previous.open_tasks))
        status = _chain(report, self.records)
        self.chain = replace(
            self.chain,
            ok=status.ok,
            problem=status.problem,
            first_bad_seq=status.first_bad_seq,
            warnings=status.warnings,
            complete=status.complete,
            records=status.records,
        )
        self.rescore()

    def rescore(self) -> None:
        """Score the rubric again on the rebuilt database, with the log's grades."""
        if self.scenario is None or self.run is None or self.facts is None:
            return
        grades = grades_from_records(record.as_dict() for record in self.records)
        with Session(self.run.db) as session:
            self.report = score_run(self.scenario, self.facts, session, grades=grades)

    def close(self) -> None:
        """Forget the rebuilt database."""
        if self.run is not None:
            self.run.db.dispose()


def _json_points(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _tasks(run: Run) -> dict[str, TaskInfo]:
    return {task.id: TaskInfo(task.id, task.text, task.opened_at) for task in run.timeline.tasks}


def _scenario_error(
    header: Record | None, path: Path, explicit: Path | None
) -> tuple[Scenario | None, Path | None, str, str | None]:
    """The scenario of the log: (scenario, file, its sha256, or why it is missing)."""
    if header is None:
        return None, None, "", _("Le journal n'a pas d'en-tête : son scénario est inconnu.")
    info = header.get("scenario")
    info = info if isinstance(info, Mapping) else {}
    file = find_scenario(header, path, explicit)
    if file is None:
        return (
            None,
            None,
            "",
            _("Scénario introuvable : « {path} ». Indiquez le fichier avec --scenario.").format(
                path=info.get("path") or info.get("id") or "?"
            ),
        )
    loaded = load_scenario(file)
    if loaded.scenario is None:
        first = loaded.errors[0] if loaded.errors else None
        return (
            None,
            file,
            "",
            _("Le scénario « {path} » est invalide : {error}").format(
                path=file, error=first.format() if first is not None else "?"
            ),
        )
    expected = info.get("id")
    if expected and loaded.scenario.id != expected:
        return (
            None,
            file,
            "",
            _("Le fichier « {path} » est le scénario « {found} », pas « {expected} ».").format(
                path=file, found=loaded.scenario.id, expected=expected
            ),
        )
    return loaded.scenario, file, loaded.sha256, None


def open_replay(
    path: Path,
    *,
    scenario_path: Path | None = None,
    cache: WorldCache | None = None,
) -> ReplayView:
    """Open a run log for the assessor (see the module docstring). Never raises for a
    damaged log or a missing scenario: the view says what is wrong."""
    report = verify_log(path)
    records = report.records
    if not report.ok:  # show what can still be read past the first bad record
        readable = read_log(path).records
        records = readable if len(readable) >= len(records) else records
    header = records[0] if records and records[0].kind == RecordKind.HEADER else None
    scenario, file, sha256, error = _scenario_error(header, path, scenario_path)
    view = ReplayView(
        path=path,
        steps=[],
        chain=_chain(report, records, scenario_error=error),
        scenario=scenario,
        scenario_file=file,
        cache=cache,
        scenario_path=scenario_path,
    )
    if scenario is None:
        view.steps = [
            Step(i, r, i < len(report.records), area=_area(r)) for i, r in enumerate(records)
        ]
        return view
    info = header.get("scenario") if header is not None else None
    logged_sha = str(info.get("sha256") or "") if isinstance(info, Mapping) else ""
    changed = bool(logged_sha) and logged_sha != sha256
    replayed = _replay(scenario, records, len(report.records), sha256, cache or default_cache())
    end = next((r for r in reversed(records) if r.kind == RecordKind.END), None)
    logged_state = end.get("state_hash") if end is not None else None
    rebuilt = (
        replayed.run.final_state == logged_state
        if isinstance(logged_state, str) and replayed.run.final_state is not None
        else None
    )
    view.steps = replayed.steps
    view.run = replayed.run
    view.facts = replayed.facts
    view.tasks = _tasks(replayed.run)
    view.chain = _chain(
        report,
        records,
        scenario_changed=changed,
        divergences=replayed.divergences,
        rebuilt=rebuilt,
    )
    view.rescore()
    return view
