"""The assessor's report of one run, as data: what the Markdown and HTML documents show.

PRODUCT.md §1 (assessor): "a report laid out like the certification grid (CCP →
competence → criterion)"; §3: "Reports group results by CCP and competence and cite
evidence (which action, at what time)". The issue "Assessor and trainer tools": the jury
grades a situation it did not watch, so the report shows exactly what the trainee saw
and did and when: the grid (label, REAC performance criterion, points, evidence with
times), the assessor's grades and comments, the response times to visitors and calls,
the actions the rules refused, and the whole journal of the run.

:func:`build_report` verifies and replays the log with the engine
(:func:`simsec.runlog.replay.replay_log`). A log whose hash chain is broken is not
evidence any more; the report is still built (with every record that can be read,
replayed on the scenario when possible) so that the jury sees what it contains, and
:attr:`RunReport.findings` says why it cannot be trusted (RUNLOG_FORMAT.md, guarantee 1).

Times are scenario times (``t``); the wall clock (``wall``) is kept for the HTML journal
only, as a secondary column, and never decides anything (RUNLOG_FORMAT.md, guarantee 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

from simsec.i18n import _
from simsec.reports.labels import ACTION_LABELS, END_REASON_LABELS, label
from simsec.reports.timeline import (
    EventRow,
    JournalEntry,
    Names,
    Refusal,
    Response,
    counts,
    events,
    journal_entry,
    refusals,
    responses,
    wall_time,
)
from simsec.rules.competencies import Catalogue, load_catalogue
from simsec.runlog.reader import parse_line, read_log
from simsec.runlog.records import Record, RecordKind
from simsec.runlog.replay import ReplayResult, find_scenario, replay_log, replay_records
from simsec.scenario.checks import Evidence
from simsec.scenario.loader import load_scenario
from simsec.scenario.model import Scenario
from simsec.scenario.scoring import (
    CriterionResult,
    Grade,
    ScoreReport,
    grades_from_records,
    percent_of,
    score_run,
)
from simsec.scenario.world_cache import WorldCache

__all__ = [
    "CcpGroup",
    "CheckStatus",
    "CompetenceGroup",
    "CriterionRow",
    "EventRow",
    "EvidenceRow",
    "GradeRow",
    "JournalEntry",
    "Refusal",
    "ReportHeader",
    "Response",
    "RunReport",
    "Totals",
    "Verification",
    "VerificationItem",
    "assemble_report",
    "build_report",
    "looks_like_run_log",
]

ZERO: Final = Decimal(0)


# ---------------------------------------------------------------------- the data


class CheckStatus(StrEnum):
    """How one verification item reads: fine, worth a look, or disqualifying."""

    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class VerificationItem:
    status: CheckStatus
    message: str


@dataclass(frozen=True, slots=True)
class Verification:
    """What the verification of the chain and the replay found (RUNLOG_FORMAT.md,
    guarantees 1 and 2)."""

    chain_ok: bool
    first_bad_seq: int | None
    complete: bool
    replay_ok: bool | None
    """The replay rebuilt the run's database (None: not known, e.g. not replayed)."""
    scenario_changed: bool
    items: tuple[VerificationItem, ...]


@dataclass(frozen=True, slots=True)
class ReportHeader:
    """Who played what, when (the first lines of the report)."""

    log_name: str
    trainee: str
    scenario_id: str
    scenario_title: str
    structure: str
    scenario_file: str
    """The scenario file's name (never a path: a report travels)."""
    scenario_sha256: str
    solution: str | None
    simsec_version: str
    guidance: str
    started_wall: datetime | None
    """The wall-clock start of the run (UTC), from the header."""
    start: datetime | None
    """The scenario clock at t=0."""
    end: datetime | None
    """The scenario time of the last record of the run."""
    end_reason: str | None
    records: int


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    """One record (or final entity) that decided a criterion."""

    seq: int | None
    t: datetime | None
    text: str


@dataclass(frozen=True, slots=True)
class GradeRow:
    """An assessor's ``grade`` record."""

    seq: int | None
    t: datetime | None
    criterion: str
    criterion_label: str
    points: Decimal | None
    max: Decimal | None
    comment: str
    assessor: str


@dataclass(frozen=True, slots=True)
class CriterionRow:
    """One line of the grid."""

    id: str
    label: str
    reac: str | None
    """The REAC performance criterion it cites (COMPETENCIES.md), if any."""
    manual: bool
    passed: bool | None
    points: Decimal | None
    max: Decimal
    detail: str
    evidence: tuple[EvidenceRow, ...]
    feedback: str | None
    grade: GradeRow | None
    """The assessor's last grade or comment on this criterion."""


@dataclass(frozen=True, slots=True)
class CompetenceGroup:
    code: str
    label: str
    criteria: tuple[CriterionRow, ...]
    auto_points: Decimal
    auto_max: Decimal
    manual_points: Decimal
    manual_max: Decimal
    manual_open: int

    @property
    def auto_percent(self) -> int | None:
        return percent_of(self.auto_points, self.auto_max) if self.auto_max else None


@dataclass(frozen=True, slots=True)
class CcpGroup:
    """A CCP (or, for transversal competences, their referential)."""

    code: str
    label: str
    competences: tuple[CompetenceGroup, ...]

    @property
    def auto_points(self) -> Decimal:
        return sum((c.auto_points for c in self.competences), ZERO)

    @property
    def auto_max(self) -> Decimal:
        return sum((c.auto_max for c in self.competences), ZERO)

    @property
    def manual_points(self) -> Decimal:
        return sum((c.manual_points for c in self.competences), ZERO)

    @property
    def manual_max(self) -> Decimal:
        return sum((c.manual_max for c in self.competences), ZERO)

    @property
    def auto_percent(self) -> int | None:
        return percent_of(self.auto_points, self.auto_max) if self.auto_max else None


@dataclass(frozen=True, slots=True)
class Totals:
    """The automatic score (the share of automatic points) and the assessor's points."""

    auto_points: Decimal
    auto_max: Decimal
    manual_points: Decimal
    manual_max: Decimal
    manual_graded: int
    manual_open: int

    @property
    def percent(self) -> int:
        return percent_of(self.auto_points, self.auto_max)

    @property
    def points(self) -> Decimal:
        return self.auto_points + self.manual_points

    @property
    def max(self) -> Decimal:
        return self.auto_max + self.manual_max


@dataclass(frozen=True)
class RunReport:
    """Everything the assessor's documents show (see the module docstring)."""

    header: ReportHeader
    verification: Verification
    findings: tuple[str, ...]
    """Every problem worth exit code 1 (broken chain, replay that does not rebuild the
    run, scenario missing or invalid), in the current language."""
    totals: Totals | None
    """None when the run could not be scored (no scenario)."""
    grid: tuple[CcpGroup, ...]
    grades: tuple[GradeRow, ...]
    responses: tuple[Response, ...]
    events: tuple[EventRow, ...]
    refusals: tuple[Refusal, ...]
    journal: tuple[JournalEntry, ...]
    counts: Mapping[str, int] = field(default_factory=dict)
    """Records per kind, and ``refused`` actions."""

    @property
    def trustworthy(self) -> bool:
        """The chain verifies and nothing in the replay contradicts the log."""
        return not self.findings

    @property
    def day(self) -> date | None:
        """The scenario's first day (times on other days show their date)."""
        return self.header.start.date() if self.header.start is not None else None


# ---------------------------------------------------------------------- helpers


def _header_scenario(header: Record | None) -> Mapping[str, Any]:
    info = header.get("scenario") if header is not None else None
    return info if isinstance(info, Mapping) else {}


# ---------------------------------------------------------------------- header


def _header(
    log_name: str,
    records: Sequence[Record],
    scenario: Scenario | None,
    scenario_file: Path | None,
    end_reason: str | None,
) -> ReportHeader:
    header = records[0] if records and records[0].kind == RecordKind.HEADER else None
    info = _header_scenario(header)
    trainee = str(header.get("trainee") or "") if header is not None else ""
    written = str(info.get("path") or "")
    file_name = scenario_file.name if scenario_file is not None else Path(written).name
    solution = header.get("solution") if header is not None else None
    return ReportHeader(
        log_name=log_name,
        trainee=trainee or _("(anonyme)"),
        scenario_id=str(info.get("id") or (scenario.id if scenario else "")),
        scenario_title=scenario.title if scenario is not None else "",
        structure=scenario.structure.name if scenario is not None else "",
        scenario_file=file_name,
        scenario_sha256=str(info.get("sha256") or ""),
        solution=str(solution) if isinstance(solution, str) else None,
        simsec_version=str(header.get("simsec_version") or "") if header is not None else "",
        guidance=str(header.get("guidance") or "") if header is not None else "",
        started_wall=wall_time(header.get("started")) if header is not None else None,
        start=header.scenario_time if header is not None else None,
        end=records[-1].scenario_time if records else None,
        end_reason=end_reason,
        records=len(records),
    )


# ---------------------------------------------------------------------- verification


def _replay_items(result: ReplayResult, matches: bool | None) -> list[VerificationItem]:
    """What the replay of a verified log says: the same database, or the differences."""
    differences = [f for f in result.findings if f != result.error]
    if differences:
        return [VerificationItem(CheckStatus.ERROR, finding) for finding in differences]
    if matches is True:
        message = _("Le rejeu reconstruit exactement la base de la partie.")
        return [VerificationItem(CheckStatus.OK, message)]
    if matches is False:  # allowed only because the scenario changed since the run
        message = _("Le scénario ayant changé, la base rejouée diffère de celle de la partie.")
        return [VerificationItem(CheckStatus.WARNING, message)]
    message = _("Pas d'empreinte de fin : l'état final n'a pas pu être comparé.")
    return [VerificationItem(CheckStatus.WARNING, message)]


def _verification(result: ReplayResult, complete: bool, end_reason: str | None) -> Verification:
    verify = result.verify
    items: list[VerificationItem] = []
    if verify.problem is None:
        items.append(
            VerificationItem(
                CheckStatus.OK,
                _("Chaîne d'empreintes intègre : {n} enregistrements vérifiés.").format(
                    n=len(verify.records)
                ),
            )
        )
    else:
        items.append(
            VerificationItem(
                CheckStatus.ERROR,
                _("Chaîne d'empreintes rompue à l'enregistrement n° {seq} : {message}").format(
                    seq=verify.problem.seq, message=verify.problem.message
                ),
            )
        )
    items += [VerificationItem(CheckStatus.WARNING, w.message) for w in verify.warnings]
    if complete:
        items.append(
            VerificationItem(
                CheckStatus.OK,
                _("Partie terminée : {reason}.").format(
                    reason=label(END_REASON_LABELS, end_reason)
                ),
            )
        )
    else:
        items.append(
            VerificationItem(
                CheckStatus.WARNING,
                _("Partie interrompue : le journal n'a pas d'enregistrement de fin."),
            )
        )
    if result.error is not None:
        items.append(VerificationItem(CheckStatus.ERROR, result.error))
    if result.scenario_changed:
        items.append(
            VerificationItem(
                CheckStatus.WARNING,
                _(
                    "Le scénario a changé depuis la partie : la notation utilise sa grille "
                    "actuelle."
                ),
            )
        )
    matches = result.hash_matches if verify.ok else None
    if verify.ok and result.error is None:
        items += _replay_items(result, matches)
    replay_ok: bool | None = None
    if verify.ok and result.report is not None:
        replay_ok = False if result.divergences or matches is False else matches
    return Verification(
        chain_ok=verify.ok,
        first_bad_seq=verify.first_bad_seq,
        complete=complete,
        replay_ok=replay_ok,
        scenario_changed=result.scenario_changed,
        items=tuple(items),
    )


# ---------------------------------------------------------------------- the grid


def _evidence_text(item: Evidence) -> str:
    if item.kind == "action":
        text = _("action « {label} » ({do})").format(
            label=label(ACTION_LABELS, item.what), do=item.what
        )
    elif item.kind == "event":
        text = _("événement « {id} »").format(id=item.what)
    elif item.kind == "entity":
        entity, _sep, key = item.what.partition(":")
        text = _("état final : {entity} « {key} »").format(entity=entity, key=key)
    else:
        text = item.what
    return f"{text} — {item.detail}" if item.detail else text


def _evidence_order(item: Evidence) -> tuple[int, int]:
    """Records in log order, then the final state's entities (in their given order)."""
    return (0, item.seq) if item.seq is not None else (1, 0)


def _grade_row(grade: Grade, scenario: Scenario | None) -> GradeRow:
    rubric = scenario.rubric if scenario is not None else []
    criterion = next((c for c in rubric if c.id == grade.criterion), None)
    return GradeRow(
        seq=grade.seq,
        t=grade.t,
        criterion=grade.criterion,
        criterion_label=criterion.label if criterion is not None else "",
        points=grade.points,
        max=criterion.points if criterion is not None else None,
        comment=grade.comment,
        assessor=grade.assessor,
    )


def _criterion_row(result: CriterionResult, last_grade: Mapping[str, GradeRow]) -> CriterionRow:
    return CriterionRow(
        id=result.id,
        label=result.label,
        reac=result.criterion,
        manual=result.manual,
        passed=result.passed,
        points=result.points,
        max=result.max,
        detail=result.detail,
        evidence=tuple(
            EvidenceRow(item.seq, item.t, _evidence_text(item))
            for item in sorted(result.evidence, key=_evidence_order)
        ),
        feedback=result.feedback,
        grade=last_grade.get(result.id),
    )


def _competence_group(code: str, label_: str, rows: Sequence[CriterionRow]) -> CompetenceGroup:
    auto = [r for r in rows if not r.manual]
    manual = [r for r in rows if r.manual]
    return CompetenceGroup(
        code=code,
        label=label_,
        criteria=tuple(rows),
        auto_points=sum((r.points or ZERO for r in auto), ZERO),
        auto_max=sum((r.max for r in auto), ZERO),
        manual_points=sum((r.points or ZERO for r in manual), ZERO),
        manual_max=sum((r.max for r in manual), ZERO),
        manual_open=sum(1 for r in manual if r.points is None),
    )


def _order(catalogue: Catalogue, codes: Iterable[str]) -> list[str]:
    """Codes in catalogue order (the certification's), unknown ones after, sorted."""
    position = {code: index for index, code in enumerate(catalogue.entries)}
    position.update(
        {code: len(position) + index for index, code in enumerate(catalogue.referentials)}
    )
    return sorted(set(codes), key=lambda code: (position.get(code, len(position)), code))


def _ccp_label(catalogue: Catalogue, code: str) -> str:
    entry = catalogue.get(code)
    if entry is not None:
        return entry.label
    referential = catalogue.referentials.get(code)
    return referential.label if referential is not None else code


def _grid(
    score: ScoreReport, catalogue: Catalogue, last_grade: Mapping[str, GradeRow]
) -> tuple[CcpGroup, ...]:
    rows: dict[str, dict[str, list[CriterionRow]]] = {}
    for result in score.criteria:
        rows.setdefault(result.ccp, {}).setdefault(result.competency, []).append(
            _criterion_row(result, last_grade)
        )
    groups: list[CcpGroup] = []
    for ccp in _order(catalogue, rows):
        competences = tuple(
            _competence_group(
                code,
                entry.label if (entry := catalogue.get(code)) is not None else code,
                rows[ccp][code],
            )
            for code in _order(catalogue, rows[ccp])
        )
        groups.append(CcpGroup(ccp, _ccp_label(catalogue, ccp), competences))
    return tuple(groups)


def _totals(score: ScoreReport) -> Totals:
    return Totals(
        auto_points=score.points,
        auto_max=score.max,
        manual_points=score.manual.points,
        manual_max=score.manual.max,
        manual_graded=score.manual_graded,
        manual_open=len(score.open),
    )


# ---------------------------------------------------------------------- assembling


def assemble_report(
    result: ReplayResult,
    records: Sequence[Record],
    *,
    scenario: Scenario | None = None,
    score: ScoreReport | None = None,
    notes: Sequence[VerificationItem] = (),
    catalogue: Catalogue | None = None,
) -> RunReport:
    """The report of a replayed log: ``result`` (verification and replay), the records to
    show, the scenario and score (those of ``result`` by default), and ``notes`` added to
    the verification."""
    catalogue = catalogue or load_catalogue()
    scenario = scenario or result.scenario
    score = score or result.report
    names = Names(scenario)
    end = next((r for r in reversed(records) if r.kind == RecordKind.END), None)
    end_reason = str(end.get("reason") or "") if end is not None else None
    grades = tuple(
        _grade_row(grade, scenario) for grade in grades_from_records(r.as_dict() for r in records)
    )
    last_grade = {grade.criterion: grade for grade in grades}
    refused = refusals(records)
    verification = _verification(result, end is not None, end_reason)
    if notes:
        verification = replace(verification, items=(*verification.items, *notes))
    return RunReport(
        header=_header(result.path.name, records, scenario, result.scenario_file, end_reason),
        verification=verification,
        findings=tuple(result.findings),
        totals=_totals(score) if score is not None else None,
        grid=_grid(score, catalogue, last_grade) if score is not None else (),
        grades=grades,
        responses=responses(records, names),
        events=events(records, names),
        refusals=refused,
        journal=tuple(journal_entry(record, names) for record in records),
        counts=counts(records, len(refused)),
    )


@dataclass
class _Unverified:
    """What the replay of an altered log gave."""

    scenario: Scenario | None = None
    score: ScoreReport | None = None
    file: Path | None = None
    notes: list[VerificationItem] = field(default_factory=list)


def _score_unverified(
    path: Path, records: Sequence[Record], scenario_path: Path | None, cache: WorldCache | None
) -> _Unverified:
    """Replay and score the readable records of a log whose chain is broken, so that the
    jury sees what the altered log claims (a note says why when that is impossible)."""
    out = _Unverified()
    header = records[0] if records and records[0].kind == RecordKind.HEADER else None
    out.file = find_scenario(header, path, scenario_path) if header is not None else None
    if header is None or out.file is None:
        out.notes.append(
            VerificationItem(CheckStatus.WARNING, _("Scénario introuvable : pas de notation."))
        )
        return out
    loaded = load_scenario(out.file)
    scenario = loaded.scenario
    if scenario is None or scenario.id != _header_scenario(header).get("id", scenario.id):
        out.notes.append(
            VerificationItem(
                CheckStatus.WARNING,
                _("Le scénario « {file} » ne correspond pas au journal : pas de notation.").format(
                    file=out.file.name
                ),
            )
        )
        return out
    out.scenario = scenario
    try:
        run, facts, _divergences = replay_records(
            scenario, records, cache=cache, sha256=loaded.sha256
        )
        try:
            grades = grades_from_records(r.as_dict() for r in records)
            with run.session() as session:
                out.score = score_run(scenario, facts, session, grades=grades)
        finally:
            run.db.dispose()
    except Exception as exc:  # an altered log may hold anything: report it, go on
        out.notes.append(
            VerificationItem(
                CheckStatus.WARNING,
                _("Le rejeu du journal altéré a échoué ({error}) : pas de notation.").format(
                    error=type(exc).__name__
                ),
            )
        )
        return out
    out.notes.append(
        VerificationItem(
            CheckStatus.WARNING,
            _(
                "La grille ci-dessous note le contenu du journal altéré : elle est donnée à "
                "titre d'information."
            ),
        )
    )
    return out


def looks_like_run_log(path: Path) -> bool:
    """Whether the file's first line reads as a run-log header (its hash unchecked): a
    damaged log is still a log to report on, a scenario or a text file is not."""
    try:
        with path.open("rb") as stream:
            first = stream.readline(1_000_000)
    except OSError:
        return False
    record = parse_line(first.rstrip(b"\n"), 1)
    return isinstance(record, Record) and record.kind == RecordKind.HEADER


def build_report(
    path: Path,
    *,
    scenario_path: Path | None = None,
    cache: WorldCache | None = None,
    catalogue: Catalogue | None = None,
) -> RunReport:
    """Verify, replay and score the log at ``path`` and build its report.

    A log whose chain is broken is reported too: its readable records are shown and, when
    the scenario is found, replayed and scored, under the finding that names the first
    altered record.
    """
    result = replay_log(path, scenario_path=scenario_path, cache=cache)
    if result.verify.ok:
        return assemble_report(result, result.verify.records, catalogue=catalogue)
    records = read_log(path).records
    unverified = _score_unverified(path, records, scenario_path, cache)
    result.scenario_file = unverified.file
    return assemble_report(
        result,
        records,
        scenario=unverified.scenario,
        score=unverified.score,
        notes=unverified.notes,
        catalogue=catalogue,
    )
