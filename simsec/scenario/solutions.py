"""Reference solutions: play each one headless and compare with what it expects.

SCENARIO_FORMAT.md § solutions: "``simsec scenario test`` replays each one headless and
compares the result with ``expect``". Each action's ``expect_error`` says how the rules
must answer it: ``false`` (default) accepted, ``true`` refused, ``any`` either; any other
outcome is a failure that names the action. ``expect`` may give ``score`` (percent,
integer-rounded), ``points``, ``passed`` and ``failed`` (criterion ids).

A solution is played through :class:`simsec.scenario.run.Run`, exactly like a trainee's
run (same engine, same log); ``at`` moves the clock before the action, otherwise the
action follows the previous one at the same scenario time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from simsec.actions.engine import ActionOutcome
from simsec.i18n import _
from simsec.scenario.model import Scenario, Solution
from simsec.scenario.run import Run, WallClock, utc_now
from simsec.scenario.scoring import ScoreReport, json_number
from simsec.scenario.world_cache import WorldCache

__all__ = ["SolutionResult", "run_solution", "run_solutions", "solution_log_name"]


@dataclass
class SolutionResult:
    """The outcome of one solution: its problems (French, empty when it passed)."""

    solution: str
    problems: list[str] = field(default_factory=list)
    report: ScoreReport | None = None
    log_path: Path | None = None
    db_hash: str | None = None
    actions: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def solution_log_name(scenario_id: str, solution_id: str) -> str:
    """The file name of a solution's run log: ``<scenario>_<solution>.jsonl``."""
    return f"{scenario_id}_{solution_id}.jsonl"


def _expected_word(expect_error: bool | str) -> str:
    if expect_error == "any":
        return _("acceptée ou refusée")
    return _("refusée") if expect_error is True else _("acceptée")


def _action_problem(index: int, outcome: ActionOutcome, expect_error: bool | str) -> str | None:
    """A message when the rules answered ``outcome`` against ``expect_error``."""
    if expect_error == "any" or outcome.ok == (expect_error is not True):
        return None
    error = outcome.error
    if outcome.ok:
        got = _("acceptée")
    else:
        got = _("refusée ({code} : {message})").format(
            code=error.get("code") if error else "?", message=error.get("message") if error else ""
        )
    return _("action n° {n} ({do}) : attendue {expected}, obtenue {got}").format(
        n=index + 1, do=outcome.do, expected=_expected_word(expect_error), got=got
    )


def _expect_problems(solution: Solution, report: ScoreReport) -> list[str]:
    expect = solution.expect
    problems: list[str] = []
    if expect.score is not None and report.percent != expect.score:
        problems.append(
            _("score attendu {expected} %, obtenu {got} % ({points}/{max} points)").format(
                expected=expect.score,
                got=report.percent,
                points=json_number(report.points),
                max=json_number(report.max),
            )
        )
    if expect.points is not None and report.points != Decimal(expect.points):
        problems.append(
            _("points attendus {expected}, obtenus {got}").format(
                expected=json_number(Decimal(expect.points)), got=json_number(report.points)
            )
        )
    for criterion_id in expect.passed:
        result = report.criterion(criterion_id)
        if result is None or result.passed is not True:
            detail = result.detail if result is not None and result.detail else ""
            problems.append(
                _("le critère « {id} » devait réussir et échoue{detail}").format(
                    id=criterion_id, detail=f" : {detail}" if detail else ""
                )
            )
    for criterion_id in expect.failed:
        result = report.criterion(criterion_id)
        if result is None or result.passed is not False:
            detail = result.detail if result is not None and result.detail else ""
            problems.append(
                _("le critère « {id} » devait échouer et réussit{detail}").format(
                    id=criterion_id, detail=f" : {detail}" if detail else ""
                )
            )
    return problems


def run_solution(
    scenario: Scenario,
    solution: Solution,
    *,
    sha256: str | None = None,
    path: str = "",
    log_dir: Path | None = None,
    cache: WorldCache | None = None,
    wall_clock: WallClock = utc_now,
    fsync: bool = False,
) -> SolutionResult:
    """Play ``solution`` headless; its log goes to ``log_dir`` when given."""
    log_path = log_dir / solution_log_name(scenario.id, solution.id) if log_dir else None
    run = Run.start(
        scenario,
        sha256=sha256,
        path=path,
        trainee=f"solution:{solution.id}",
        log_path=log_path,
        cache=cache,
        wall_clock=wall_clock,
        fsync=fsync,
        extra={"solution": solution.id},
    )
    result = SolutionResult(solution.id, log_path=log_path, actions=len(solution.actions))
    try:
        for index, action in enumerate(solution.actions):
            outcome = run.perform(action, at=action.at)
            problem = _action_problem(index, outcome, action.expect_error)
            if problem is not None:
                result.problems.append(problem)
        report = run.end("completed")
    finally:
        run.close()
        run.db.dispose()
    result.report = report
    result.db_hash = run.final_hash
    result.problems += _expect_problems(solution, report)
    return result


def run_solutions(
    scenario: Scenario,
    *,
    sha256: str | None = None,
    path: str = "",
    log_dir: Path | None = None,
    cache: WorldCache | None = None,
) -> list[SolutionResult]:
    """Every solution of ``scenario``, in order."""
    return [
        run_solution(scenario, solution, sha256=sha256, path=path, log_dir=log_dir, cache=cache)
        for solution in scenario.solutions
    ]
