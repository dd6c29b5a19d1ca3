"""A cohort: every run log of a directory, verified, replayed and scored side by side.

PRODUCT.md §1 (assessor): "compares a whole group's runs"; §4: ``simsec cohort DIR
[--csv]``, "one row per run: trainee, scenario, score per competence". The issue
"Assessor and trainer tools" adds the per-competence averages, the most-failed criteria
with their feedback, and the runs whose chain is broken, flagged.

Each log is verified and replayed by the engine (:func:`simsec.runlog.replay.replay_log`)
in worker processes (two by default: the reference classroom machine has two cores);
each worker builds a scenario's t=0 world once, or reads it from the cache directory.
A log whose chain is broken is flagged and not scored (RUNLOG_FORMAT.md, guarantee 1);
so is a log whose replay does not rebuild the run (a re-chained forgery) or whose
scenario cannot be found. Flagged runs are left out of the averages.

Scores per competence are the automatic points (the manual ones wait for the assessor),
as percentages, each run weighing the same in an average.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, Final

from simsec.i18n import _, activate, current_lang, ngettext
from simsec.reports.labels import percent
from simsec.rules.competencies import Catalogue, load_catalogue
from simsec.runlog.replay import ReplayResult, replay_log
from simsec.scenario.scoring import json_number, percent_of
from simsec.scenario.world_cache import default_cache, reset_default_cache

__all__ = [
    "BASE_COLUMNS",
    "Cohort",
    "CohortRow",
    "CompetenceAverage",
    "CriterionOutcome",
    "FailedCriterion",
    "RunStatus",
    "cohort_lines",
    "csv_columns",
    "find_logs",
    "row_for_log",
    "scan_cohort",
    "summarise",
    "write_csv",
]

#: Worker processes by default (the reference machine: 2 cores).
DEFAULT_PROCESSES: Final = 2
#: How many most-failed criteria the summary lists.
MOST_FAILED: Final = 10
#: The CSV's fixed columns, in order; one column per competence code follows.
BASE_COLUMNS: Final = (
    "file",
    "trainee",
    "scenario",
    "solution",
    "started",
    "status",
    "problem",
    "first_bad_seq",
    "end_reason",
    "scenario_changed",
    "points",
    "max",
    "percent",
    "manual_points",
    "manual_max",
)


class RunStatus(StrEnum):
    """Whether a run can be trusted and compared (stable codes, the CSV's ``status``)."""

    OK = "ok"
    CHAIN_BROKEN = "chain_broken"
    """A changed byte, a removed or reordered record: the log is not the run's."""
    REPLAY_MISMATCH = "replay_mismatch"
    """The chain verifies but replaying it does not give the logged results or state."""
    NOT_SCORED = "not_scored"
    """The scenario is missing or invalid: the run cannot be replayed."""


@dataclass(frozen=True, slots=True)
class CriterionOutcome:
    """One automatic criterion of one run."""

    id: str
    label: str
    competency: str
    passed: bool
    feedback: str | None
    """The feedback the trainee read (the ``fail`` one when it failed)."""


@dataclass(frozen=True, slots=True)
class CohortRow:
    """One run of the cohort."""

    file: str
    """The log's path, relative to the cohort's directory (POSIX separators)."""
    trainee: str
    scenario: str
    solution: str | None
    started: str | None
    """The wall-clock start written in the header (UTC ISO), as written."""
    status: RunStatus
    problem: str
    first_bad_seq: int | None
    end_reason: str | None
    scenario_changed: bool
    points: Decimal | None
    max: Decimal | None
    percent: int | None
    manual_points: Decimal | None
    manual_max: Decimal | None
    competences: Mapping[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    """Automatic points and maximum per competence code."""
    criteria: tuple[CriterionOutcome, ...] = ()

    @property
    def flagged(self) -> bool:
        return self.status is not RunStatus.OK

    def competence_percent(self, code: str) -> int | None:
        earned = self.competences.get(code)
        if earned is None or not earned[1]:
            return None
        return percent_of(*earned)


@dataclass(frozen=True, slots=True)
class CompetenceAverage:
    code: str
    label: str
    runs: int
    mean: int
    """The mean of the runs' percentages, rounded half up."""


@dataclass(frozen=True, slots=True)
class FailedCriterion:
    scenario: str
    id: str
    label: str
    competency: str
    failed: int
    runs: int
    feedback: str | None

    @property
    def rate(self) -> int:
        return percent_of(Decimal(self.failed), Decimal(self.runs))


@dataclass(frozen=True)
class Cohort:
    """The rows (sorted by file) and what they say together."""

    rows: tuple[CohortRow, ...]
    competences: tuple[str, ...]
    """Every competence code assessed by a row, in catalogue order."""
    averages: tuple[CompetenceAverage, ...]
    most_failed: tuple[FailedCriterion, ...]
    mean: int | None
    """The mean automatic score of the trusted runs."""

    @property
    def flagged(self) -> tuple[CohortRow, ...]:
        return tuple(row for row in self.rows if row.flagged)

    @property
    def scored(self) -> tuple[CohortRow, ...]:
        return tuple(row for row in self.rows if not row.flagged and row.percent is not None)


# ---------------------------------------------------------------------- one log


def _read_header(path: Path) -> Mapping[str, Any]:
    """The first line of a log as JSON (unverified: only to find the scenario file)."""
    try:
        with path.open("rb") as stream:
            value = json.loads(stream.readline().decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _scenario_in(directory: Path | None, header: Mapping[str, Any]) -> Path | None:
    """The scenario file of the same name in ``directory``, if there is one."""
    if directory is None:
        return None
    info = header.get("scenario")
    written = info.get("path") if isinstance(info, Mapping) else None
    if not isinstance(written, str) or not written:
        return None
    candidate = directory / Path(written).name
    return candidate if candidate.is_file() else None


def _status(result: ReplayResult) -> RunStatus:
    if not result.verify.ok:
        return RunStatus.CHAIN_BROKEN
    if result.error is not None or result.report is None:
        return RunStatus.NOT_SCORED
    if result.findings:
        return RunStatus.REPLAY_MISMATCH
    return RunStatus.OK


def row_for_log(path: Path, root: Path, scenarios: Path | None = None) -> CohortRow:
    """Verify, replay and score one log (in the current process) as a cohort row."""
    header = _read_header(path)
    result = replay_log(path, scenario_path=_scenario_in(scenarios, header), cache=default_cache())
    status = _status(result)
    verified = result.header.as_dict() if result.header is not None else header
    info = verified.get("scenario")
    scenario_id = info.get("id") if isinstance(info, Mapping) else None
    report = result.report if status is RunStatus.OK else None
    solution = verified.get("solution")
    started = verified.get("started")
    try:
        file = path.relative_to(root).as_posix()
    except ValueError:
        file = path.name
    return CohortRow(
        file=file,
        trainee=str(verified.get("trainee") or ""),
        scenario=str(scenario_id or ""),
        solution=solution if isinstance(solution, str) else None,
        started=started if isinstance(started, str) else None,
        status=status,
        problem=result.findings[0] if result.findings else "",
        first_bad_seq=result.verify.first_bad_seq,
        end_reason=result.end_reason,
        scenario_changed=result.scenario_changed,
        points=report.points if report is not None else None,
        max=report.max if report is not None else None,
        percent=report.percent if report is not None else None,
        manual_points=report.manual.points if report is not None else None,
        manual_max=report.manual.max if report is not None else None,
        competences=(
            {code: (s.points, s.max) for code, s in report.by_competency.items()}
            if report is not None
            else {}
        ),
        criteria=(
            tuple(
                CriterionOutcome(c.id, c.label, c.competency, bool(c.passed), c.feedback)
                for c in report.criteria
                if not c.manual and c.passed is not None
            )
            if report is not None
            else ()
        ),
    )


# ---------------------------------------------------------------------- many logs


def find_logs(directory: Path) -> list[Path]:
    """Every ``*.jsonl`` under ``directory`` (recursively), sorted by relative path."""
    return sorted(
        (p for p in directory.rglob("*.jsonl") if p.is_file()),
        key=lambda p: p.relative_to(directory).as_posix(),
    )


_WORKER_ARGS: dict[str, Path | None] = {}


def _worker_start(lang: str, cache_dir: Path | None, root: Path, scenarios: Path | None) -> None:
    """A worker's set-up: the caller's language, its own world cache (never the parent's
    SQLite connections), where the logs and scenarios are."""
    activate(lang)
    reset_default_cache(cache_dir)
    _WORKER_ARGS.update(root=root, scenarios=scenarios)


def _worker_row(path: Path) -> CohortRow:
    root = _WORKER_ARGS["root"]
    assert root is not None
    return row_for_log(path, root, _WORKER_ARGS.get("scenarios"))


def _rows(
    paths: Sequence[Path],
    root: Path,
    *,
    processes: int,
    cache_dir: Path | None,
    scenarios: Path | None,
) -> list[CohortRow]:
    if processes <= 1 or len(paths) <= 1:
        return [row_for_log(path, root, scenarios) for path in paths]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    workers = min(processes, len(paths))
    chunksize = max(1, min(16, len(paths) // (workers * 4)))
    initargs = (current_lang(), cache_dir, root, scenarios)
    with context.Pool(workers, initializer=_worker_start, initargs=initargs) as pool:
        return list(pool.imap(_worker_row, paths, chunksize=chunksize))


def _order(catalogue: Catalogue, codes: Iterable[str]) -> tuple[str, ...]:
    position = {code: index for index, code in enumerate(catalogue.entries)}
    return tuple(sorted(set(codes), key=lambda code: (position.get(code, len(position)), code)))


def _averages(
    rows: Sequence[CohortRow], codes: Sequence[str], catalogue: Catalogue
) -> tuple[CompetenceAverage, ...]:
    out: list[CompetenceAverage] = []
    for code in codes:
        values = [v for row in rows if (v := row.competence_percent(code)) is not None]
        if not values:
            continue
        entry = catalogue.get(code)
        mean = percent_of(Decimal(sum(values)), Decimal(100 * len(values)))
        out.append(CompetenceAverage(code, entry.label if entry else code, len(values), mean))
    return tuple(out)


def _most_failed(rows: Sequence[CohortRow], limit: int) -> tuple[FailedCriterion, ...]:
    runs: dict[tuple[str, str], int] = {}
    failed: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], CriterionOutcome] = {}
    feedback: dict[tuple[str, str], str | None] = {}
    for row in rows:
        for outcome in row.criteria:
            key = (row.scenario, outcome.id)
            runs[key] = runs.get(key, 0) + 1
            first.setdefault(key, outcome)
            if not outcome.passed:
                failed[key] = failed.get(key, 0) + 1
                feedback.setdefault(key, outcome.feedback)
    stats = [
        FailedCriterion(
            key[0],
            key[1],
            first[key].label,
            first[key].competency,
            count,
            runs[key],
            feedback.get(key),
        )
        for key, count in failed.items()
    ]
    stats.sort(key=lambda s: (-s.rate, -s.failed, s.scenario, s.id))
    return tuple(stats[:limit])


def summarise(rows: Sequence[CohortRow], catalogue: Catalogue | None = None) -> Cohort:
    """The cohort of ``rows``: competence columns, averages, most-failed criteria."""
    catalogue = catalogue or load_catalogue()
    ordered = tuple(sorted(rows, key=lambda row: row.file))
    trusted = [row for row in ordered if not row.flagged]
    codes = _order(catalogue, (code for row in ordered for code in row.competences))
    scores = [row.percent for row in trusted if row.percent is not None]
    mean = percent_of(Decimal(sum(scores)), Decimal(100 * len(scores))) if scores else None
    return Cohort(
        rows=ordered,
        competences=codes,
        averages=_averages(trusted, codes, catalogue),
        most_failed=_most_failed(trusted, MOST_FAILED),
        mean=mean,
    )


def scan_cohort(
    directory: Path,
    *,
    processes: int = DEFAULT_PROCESSES,
    cache_dir: Path | None = None,
    scenarios: Path | None = None,
    catalogue: Catalogue | None = None,
) -> Cohort:
    """Verify, replay and score every log under ``directory``.

    ``processes`` worker processes (1: in this process); ``cache_dir`` keeps the built
    worlds between processes; ``scenarios`` is a directory where the scenario files are
    looked for by name (else each log's header path, next to the log, ``scenarios/``).
    """
    paths = find_logs(directory)
    rows = _rows(paths, directory, processes=processes, cache_dir=cache_dir, scenarios=scenarios)
    return summarise(rows, catalogue)


# ---------------------------------------------------------------------- output


def csv_columns(cohort: Cohort) -> list[str]:
    """The CSV header: :data:`BASE_COLUMNS`, then the competence codes in catalogue order."""
    return [*BASE_COLUMNS, *cohort.competences]


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(json_number(value))
    return str(value)


def _csv_row(row: CohortRow, codes: Sequence[str]) -> list[str]:
    fixed = [
        row.file,
        row.trainee,
        row.scenario,
        row.solution,
        row.started,
        str(row.status),
        row.problem,
        row.first_bad_seq,
        row.end_reason,
        row.scenario_changed,
        row.points,
        row.max,
        row.percent,
        row.manual_points,
        row.manual_max,
    ]
    return [_csv_value(v) for v in fixed] + [_csv_value(row.competence_percent(c)) for c in codes]


def write_csv(cohort: Cohort, stream: IO[str]) -> None:
    """One row per run (UTF-8 text, comma-separated, ``\\n`` line ends): the columns of
    :func:`csv_columns`; decimals with a point; empty when unknown; a competence's cell
    is the run's automatic score on it, in percent."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(csv_columns(cohort))
    for row in cohort.rows:
        writer.writerow(_csv_row(row, cohort.competences))


def _status_label(status: RunStatus) -> str:
    return {
        RunStatus.OK: _("vérifié"),
        RunStatus.CHAIN_BROKEN: _("JOURNAL ALTÉRÉ"),
        RunStatus.REPLAY_MISMATCH: _("REJEU NON CONFORME"),
        RunStatus.NOT_SCORED: _("non noté"),
    }[status]


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(cells)).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def cohort_lines(cohort: Cohort) -> list[str]:
    """The cohort for a terminal: the runs, the averages per competence, the most-failed
    criteria with their feedback, and the flagged runs."""
    if not cohort.rows:
        return [_("Aucun journal de partie (.jsonl) dans ce dossier.")]
    headers = [_("Stagiaire"), _("Scénario"), _("Score"), *cohort.competences, _("État")]
    body = [
        [
            row.trainee,
            row.scenario,
            percent(row.percent),
            *(percent(row.competence_percent(code)) for code in cohort.competences),
            _status_label(row.status),
        ]
        for row in cohort.rows
    ]
    lines = _table(headers, body)
    lines.append("")
    lines.append(
        ngettext("{n} partie", "{n} parties", len(cohort.rows)).format(n=len(cohort.rows))
        + " ; "
        + _("score moyen des parties vérifiées : {mean}").format(mean=percent(cohort.mean))
    )
    if cohort.averages:
        lines += ["", _("Moyennes par compétence :")]
        lines += _table(
            [_("Code"), _("Moyenne"), _("Parties"), _("Compétence")],
            [[a.code, percent(a.mean), str(a.runs), a.label] for a in cohort.averages],
        )
    if cohort.most_failed:
        lines += ["", _("Critères les plus souvent manqués :")]
        for stat in cohort.most_failed:
            text = _("{id} ({scenario}, {code}) : manqué {failed} fois sur {runs} ({rate})").format(
                id=stat.id,
                scenario=stat.scenario,
                code=stat.competency,
                failed=stat.failed,
                runs=stat.runs,
                rate=percent(stat.rate),
            )
            lines.append(f"  {text} — {stat.label}")
            if stat.feedback:
                lines.append("      " + _("Retour : {text}").format(text=stat.feedback))
    if cohort.flagged:
        lines += ["", _("Journaux signalés (exclus des moyennes) :")]
        for row in cohort.flagged:
            where = (
                _(" (premier enregistrement invalide : n° {seq})").format(seq=row.first_bad_seq)
                if row.first_bad_seq is not None
                else ""
            )
            problem = f" — {row.problem}" if row.problem else ""
            lines.append(f"  {row.file} : {_status_label(row.status)}{where}{problem}")
    return lines
