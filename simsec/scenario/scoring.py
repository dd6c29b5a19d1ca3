"""Scoring a run against its scenario's rubric.

PRODUCT.md §3: "Scoring is automatic where a check can decide; criteria marked manual
wait for the assessor. Reports group results by CCP and competence and cite evidence
(which action, at what time)." COMPETENCIES.md: each criterion is tagged with one
competence code; scores aggregate per competence and per CCP, the way a certification
jury's grid does (the CCP of a code comes from the packaged catalogue,
:mod:`simsec.rules.competencies`; a transversal competence is grouped under its
referential, ``TR``).

The score is the share of the automatic points earned (SCENARIO_FORMAT.md § solutions:
``expect.score`` is the "percent of automatic points, integer-rounded"; half rounds up).
Manual criteria have ``passed: null``; an assessor's ``grade`` record gives them points,
reported apart (``manual``). Scoring reads the run's records and the final database
state, never the wall clock (RUNLOG_FORMAT.md, guarantee 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.orm import Session

from simsec.rules.competencies import Catalogue, load_catalogue
from simsec.scenario.checks import Evidence, RunFacts, evaluator
from simsec.scenario.model import Criterion, Scenario
from simsec.scenario.timeline import iso_t

__all__ = [
    "CriterionResult",
    "Grade",
    "ScoreReport",
    "Subtotal",
    "grades_from_records",
    "json_number",
    "percent_of",
    "score_run",
]

ZERO = Decimal(0)


def json_number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: an integer when whole (``2``), else a float (``1.5``)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def percent_of(points: Decimal, maximum: Decimal) -> int:
    """``points / maximum`` in percent, integer-rounded (half up); 100 when nothing is
    automatic (nothing could be lost)."""
    if maximum <= 0:
        return 100
    return int((points * 100 / maximum).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class Grade:
    """An assessor's manual grade (a ``grade`` record)."""

    criterion: str
    points: Decimal | None
    comment: str = ""
    assessor: str = ""
    seq: int | None = None
    t: datetime | None = None


def grades_from_records(records: Iterable[Mapping[str, Any]]) -> list[Grade]:
    """The ``grade`` records of a run log, in order."""
    grades = []
    for record in records:
        if record.get("kind") != "grade":
            continue
        raw = record.get("points")
        points = None if raw is None else Decimal(str(raw))
        t = record.get("t")
        grades.append(
            Grade(
                criterion=str(record.get("criterion", "")),
                points=points,
                comment=str(record.get("comment") or ""),
                assessor=str(record.get("assessor") or ""),
                seq=record.get("seq"),
                t=datetime.fromisoformat(t) if isinstance(t, str) else None,
            )
        )
    return grades


@dataclass(frozen=True, slots=True)
class Subtotal:
    points: Decimal = ZERO
    max: Decimal = ZERO

    def add(self, points: Decimal, maximum: Decimal) -> Subtotal:
        return Subtotal(self.points + points, self.max + maximum)

    def as_dict(self) -> dict[str, Any]:
        return {"points": json_number(self.points), "max": json_number(self.max)}


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One rubric criterion scored: passed (True/False, None when manual), the points
    earned, the evidence, and the feedback for the trainee."""

    id: str
    label: str
    competency: str
    ccp: str
    criterion: str | None
    manual: bool
    passed: bool | None
    points: Decimal | None
    max: Decimal
    detail: str = ""
    evidence: tuple[Evidence, ...] = ()
    feedback: str | None = None
    grade: Grade | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "passed": self.passed,
            "points": json_number(self.points),
            "max": json_number(self.max),
            "competency": self.competency,
            "ccp": self.ccp,
            "manual": self.manual,
            "evidence": [item.as_dict() for item in self.evidence],
        }
        if self.criterion:
            out["criterion"] = self.criterion
        if self.detail:
            out["detail"] = self.detail
        if self.feedback:
            out["feedback"] = self.feedback
        if self.grade is not None:
            out["grade"] = {
                "points": json_number(self.grade.points),
                "comment": self.grade.comment,
                "assessor": self.grade.assessor,
                "seq": self.grade.seq,
                "t": iso_t(self.grade.t) if self.grade.t else None,
            }
        return out


@dataclass(frozen=True)
class ScoreReport:
    """The rubric result of a run."""

    scenario: str
    points: Decimal
    max: Decimal
    criteria: tuple[CriterionResult, ...]
    by_competency: dict[str, Subtotal] = field(default_factory=dict)
    by_ccp: dict[str, Subtotal] = field(default_factory=dict)
    manual: Subtotal = field(default_factory=Subtotal)
    manual_graded: int = 0

    @property
    def percent(self) -> int:
        return percent_of(self.points, self.max)

    @property
    def passed(self) -> list[str]:
        return [c.id for c in self.criteria if c.passed is True]

    @property
    def failed(self) -> list[str]:
        return [c.id for c in self.criteria if c.passed is False]

    @property
    def open(self) -> list[str]:
        """Manual criteria without a grade."""
        return [c.id for c in self.criteria if c.manual and c.grade is None]

    def criterion(self, criterion_id: str) -> CriterionResult | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def score_dict(self) -> dict[str, Any]:
        return {
            "points": json_number(self.points),
            "max": json_number(self.max),
            "percent": self.percent,
        }

    def summary(self) -> dict[str, Any]:
        """The automatic score summary of the ``end`` record."""
        return {
            **self.score_dict(),
            "passed": self.passed,
            "failed": self.failed,
            "manual": self.open,
        }

    def as_dict(self) -> dict[str, Any]:
        """``simsec score --json`` without the ``log`` part."""
        return {
            "scenario": self.scenario,
            "score": self.score_dict(),
            "criteria": [c.as_dict() for c in self.criteria],
            "by_competency": {code: s.as_dict() for code, s in sorted(self.by_competency.items())},
            "by_ccp": {code: s.as_dict() for code, s in sorted(self.by_ccp.items())},
            "manual": {**self.manual.as_dict(), "graded": self.manual_graded},
        }


def _ccp(catalogue: Catalogue, code: str) -> str:
    """The CCP of a code; the referential of a transversal one; the code's first part
    when the catalogue does not know it."""
    entry = catalogue.get(code)
    if entry is None:
        return code.split(".")[0]
    return entry.ccp if entry.ccp is not None else entry.referential


def _feedback(criterion: Criterion, passed: bool | None) -> str | None:
    if criterion.feedback is None or passed is None:
        return None
    return criterion.feedback.pass_ if passed else criterion.feedback.fail


def score_run(
    scenario: Scenario,
    facts: RunFacts,
    session: Session,
    *,
    grades: Iterable[Grade] = (),
    catalogue: Catalogue | None = None,
) -> ScoreReport:
    """Score ``facts`` (a run's records) and the final database state (``session``)
    against ``scenario``'s rubric."""
    catalogue = catalogue or load_catalogue()
    last_grade = {grade.criterion: grade for grade in grades}
    judge = evaluator(scenario, facts, session)
    results: list[CriterionResult] = []
    total, maximum = ZERO, ZERO
    by_competency: dict[str, Subtotal] = {}
    by_ccp: dict[str, Subtotal] = {}
    manual, graded = Subtotal(), 0
    for criterion in scenario.rubric:
        ccp = _ccp(catalogue, criterion.competency)
        if criterion.manual or criterion.check is None:
            grade = last_grade.get(criterion.id)
            if grade is not None and grade.points is not None:
                manual = manual.add(grade.points, criterion.points)
                graded += 1
            else:
                manual = manual.add(ZERO, criterion.points)
            results.append(
                CriterionResult(
                    criterion.id,
                    criterion.label,
                    criterion.competency,
                    ccp,
                    criterion.criterion,
                    True,
                    None,
                    grade.points if grade is not None else None,
                    criterion.points,
                    grade=grade,
                )
            )
            continue
        outcome = judge.evaluate(criterion.check)
        earned = criterion.points if outcome.passed else ZERO
        total += earned
        maximum += criterion.points
        by_competency[criterion.competency] = by_competency.get(
            criterion.competency, Subtotal()
        ).add(earned, criterion.points)
        by_ccp[ccp] = by_ccp.get(ccp, Subtotal()).add(earned, criterion.points)
        results.append(
            CriterionResult(
                criterion.id,
                criterion.label,
                criterion.competency,
                ccp,
                criterion.criterion,
                False,
                outcome.passed,
                earned,
                criterion.points,
                outcome.detail,
                outcome.evidence,
                _feedback(criterion, outcome.passed),
            )
        )
    return ScoreReport(
        scenario.id,
        total,
        maximum,
        tuple(results),
        by_competency,
        by_ccp,
        manual,
        graded,
    )
