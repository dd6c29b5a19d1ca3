"""``simsec score LOG [--json] [--scenario FILE]``: verify, replay and score a run log.

PRODUCT.md §4: "verifies the log's hash chain, replays it headless and prints the rubric
result". RUNLOG_FORMAT.md guarantee 1: any changed byte, removed record or reordering is
reported with its ``seq`` (exit 1). The replay must rebuild the database the run left
(the ``db_hash`` of the ``end`` record); a scenario file changed since the run is said,
and the log is scored with its current rubric.

``--json`` prints ``{"scenario", "score": {"points", "max", "percent"}, "criteria": [{"id",
"passed", "points", "max", "competency", "evidence", ...}], "by_competency": {CODE:
{"points", "max"}}, "log": {"records", "chain_ok", ...}}`` plus ``by_ccp``, ``manual``,
``replay`` and ``findings``.

Exit codes: 0 scored; 1 a finding (broken chain, scenario missing or invalid, a replay
that does not rebuild the run's database); 2 bad usage (no such file).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import click

from simsec.cli.common import EXIT_FINDING
from simsec.cli.scenario_test import cache_directory
from simsec.i18n import _
from simsec.runlog.replay import ReplayResult, replay_log
from simsec.scenario.scoring import CriterionResult, ScoreReport, json_number
from simsec.scenario.world_cache import default_cache, set_default_directory

__all__ = ["register"]


def _points(value: Decimal | None) -> str:
    number = json_number(value)
    return "-" if number is None else str(number).replace(".", ",")


def _criterion_lines(criterion: CriterionResult) -> list[str]:
    if criterion.manual:
        mark = "?"
        status = (
            _("noté {points}/{max} par l'évaluateur").format(
                points=_points(criterion.points), max=_points(criterion.max)
            )
            if criterion.grade is not None
            else _("à noter par l'évaluateur ({max} points)").format(max=_points(criterion.max))
        )
    else:
        mark = "✓" if criterion.passed else "✗"
        status = f"{_points(criterion.points)}/{_points(criterion.max)}"
    lines = [f"  {mark} {criterion.id} [{criterion.competency}] {status} : {criterion.label}"]
    if criterion.detail:
        lines.append(f"      {criterion.detail}")
    for item in criterion.evidence:
        if item.seq is not None and item.t is not None:
            lines.append(
                "      "
                + _("n° {seq} à {time} : {what}").format(
                    seq=item.seq, time=item.t.strftime("%H:%M:%S"), what=item.what
                )
                + (f" ({item.detail})" if item.detail else "")
            )
        else:
            lines.append(f"      {item.what}")
    return lines


def _report_lines(report: ScoreReport) -> list[str]:
    lines = [
        _("Score : {points}/{max} points ({percent} %)").format(
            points=_points(report.points), max=_points(report.max), percent=report.percent
        )
    ]
    for criterion in report.criteria:
        lines += _criterion_lines(criterion)
    if report.by_competency:
        lines.append(_("Par compétence :"))
        lines += [
            f"  {code:<10} {_points(s.points)}/{_points(s.max)}"
            for code, s in sorted(report.by_competency.items())
        ]
    if report.by_ccp:
        lines.append(_("Par CCP :"))
        lines += [
            f"  {code:<10} {_points(s.points)}/{_points(s.max)}"
            for code, s in sorted(report.by_ccp.items())
        ]
    return lines


def _log_lines(result: ReplayResult) -> list[str]:
    verify = result.verify
    lines = []
    if verify.ok:
        state = (
            _("partie terminée ({reason})").format(reason=result.end_reason)
            if verify.complete
            else _("partie interrompue (pas d'enregistrement de fin)")
        )
        lines.append(
            _("Journal : {n} enregistrements, chaîne intègre, {state}.").format(
                n=len(verify.records), state=state
            )
        )
    for warning in verify.warnings:
        lines.append(_("Attention : {message}").format(message=warning.message))
    if result.scenario_changed:
        lines.append(
            _(
                "Attention : le scénario a changé depuis la partie ; la notation utilise sa "
                "grille actuelle."
            )
        )
    lines += [_("Attention : {message}").format(message=note) for note in result.notes]
    return lines


def register(group: click.Group) -> None:
    @group.command(
        name="score",
        help=_(
            "Vérifie la chaîne d'empreintes d'un journal de partie, la rejoue sans interface "
            "et affiche le résultat de la grille. Code de sortie 1 si le journal est altéré "
            "ou si le rejeu ne retrouve pas la partie."
        ),
    )
    @click.argument(
        "log", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar=_("JOURNAL")
    )
    @click.option("--json", "as_json", is_flag=True, help=_("Sortie au format JSON."))
    @click.option(
        "--scenario",
        "scenario_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=None,
        metavar=_("FICHIER"),
        help=_("Le fichier du scénario (par défaut, celui que nomme le journal)."),
    )
    @click.option(
        "--full",
        "full_hash",
        is_flag=True,
        help=_(
            "Vérification complète : rejoue aussi les actions de simple lecture et compare "
            "l'empreinte de toute la base (toutes les lignes du monde), en plus des lignes "
            "modifiées par la partie."
        ),
    )
    def score(log: Path, as_json: bool, scenario_file: Path | None, full_hash: bool) -> None:
        set_default_directory(cache_directory())
        result = replay_log(
            log, scenario_path=scenario_file, cache=default_cache(), full_hash=full_hash
        )
        findings = result.findings
        if as_json:
            click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        else:
            if result.verify.problem is not None:
                problem = result.verify.problem
                click.echo(
                    _("Journal altéré : {message}").format(message=problem.message), err=True
                )
                click.echo(
                    _("Premier enregistrement invalide : seq {seq}.").format(seq=problem.seq),
                    err=True,
                )
            else:
                scenario = result.scenario.id if result.scenario is not None else "?"
                click.echo(
                    _("Scénario : {id} ({file})").format(id=scenario, file=result.scenario_file)
                )
                for line in _log_lines(result):
                    click.echo(line)
                if result.report is not None:
                    for line in _report_lines(result.report):
                        click.echo(line)
                for finding in findings:
                    click.echo(_("Erreur : {message}").format(message=finding), err=True)
        if findings:
            raise click.exceptions.Exit(EXIT_FINDING)
