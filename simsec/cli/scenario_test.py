"""``simsec scenario test FILE... [--logs DIR]``: play every reference solution headless.

PRODUCT.md §4: "replays every reference solution headless and checks its expected
result; exit 1 on a mismatch". Each failure names the solution, the action (number and
``do``), what was expected and what happened, or the criterion whose result differs
from ``expect``. ``--logs DIR`` keeps each solution's run log
(``DIR/<scenario>_<solution>.jsonl``), which ``simsec score`` verifies and replays.

Exit codes: 0 every solution passed; 1 an invalid scenario or a failed solution; 2 bad
usage (a missing file).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from simsec.cli.common import EXIT_FINDING, EXIT_USAGE
from simsec.config import Settings
from simsec.i18n import _, ngettext
from simsec.scenario.loader import LoadResult, load_scenario
from simsec.scenario.solutions import SolutionResult, run_solutions
from simsec.scenario.world_cache import default_cache, set_default_directory

__all__ = ["add_test_command", "cache_directory"]


def cache_directory() -> Path | None:
    """Where built t=0 databases are kept between commands (the user data directory)."""
    settings = Settings()
    try:
        from simsec import paths

        return paths.data_dir(settings.data_dir) / "cache"
    except OSError:
        return None


def _solution_lines(result: SolutionResult) -> list[str]:
    report = result.report
    percent = f"{report.percent} %" if report is not None else "?"
    mark = "✓" if result.ok else "✗"
    lines = [
        "  "
        + _("{mark} solution « {id} » : {percent} ({n} actions)").format(
            mark=mark, id=result.solution, percent=percent, n=result.actions
        )
    ]
    lines += [f"      - {problem}" for problem in result.problems]
    return lines


def _json_file(result: LoadResult, solutions: list[SolutionResult]) -> dict[str, Any]:
    return {
        "file": result.file,
        "valid": result.ok,
        "errors": [error.to_json() for error in result.errors],
        "solutions": [
            {
                "id": s.solution,
                "ok": s.ok,
                "problems": s.problems,
                "score": s.report.score_dict() if s.report is not None else None,
                "passed": s.report.passed if s.report is not None else [],
                "failed": s.report.failed if s.report is not None else [],
                "log": str(s.log_path) if s.log_path is not None else None,
                "db_hash": s.db_hash,
            }
            for s in solutions
        ],
    }


def add_test_command(scenario: click.Group) -> None:
    """Add ``test`` to the ``scenario`` group."""

    @scenario.command(
        name="test",
        help=_(
            "Rejoue chaque solution de référence des scénarios sans interface et compare le "
            "résultat avec « expect ». Code de sortie 1 si une solution échoue."
        ),
    )
    @click.argument("files", nargs=-1, required=True, metavar=_("FICHIER..."))
    @click.option(
        "--logs",
        "logs",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        metavar=_("DOSSIER"),
        help=_("Écrit le journal de chaque solution dans ce dossier."),
    )
    @click.option("--json", "as_json", is_flag=True, help=_("Sortie au format JSON."))
    def test(files: tuple[str, ...], logs: Path | None, as_json: bool) -> None:
        missing = [name for name in files if not Path(name).is_file()]
        for name in missing:
            click.echo(_("Erreur : fichier introuvable « {file} ».").format(file=name), err=True)
        if missing:
            raise click.exceptions.Exit(EXIT_USAGE)
        if logs is not None:
            try:
                logs.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                click.echo(
                    _("Erreur : impossible de créer le dossier « {dir} » : {reason}.").format(
                        dir=logs, reason=exc.strerror or exc
                    ),
                    err=True,
                )
                raise click.exceptions.Exit(EXIT_USAGE) from None
        set_default_directory(cache_directory())
        failures, total, invalid = 0, 0, 0
        report: list[dict[str, Any]] = []
        for name in files:
            loaded = load_scenario(name)
            solutions: list[SolutionResult] = []
            if not as_json:
                click.echo(name)
            if loaded.scenario is None:
                invalid += 1
                if not as_json:
                    for error in loaded.errors:
                        click.echo("  " + error.format())
            else:
                solutions = run_solutions(
                    loaded.scenario,
                    sha256=loaded.sha256,
                    path=str(Path(name).resolve()),
                    log_dir=logs,
                    cache=default_cache(),
                )
                total += len(solutions)
                failures += sum(1 for s in solutions if not s.ok)
                if not as_json:
                    for solution in solutions:
                        for line in _solution_lines(solution):
                            click.echo(line)
            report.append(_json_file(loaded, solutions))
        if as_json:
            click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            click.echo(
                ngettext(
                    "{total} solution jouée : {ok} réussie, {failed} en échec.",
                    "{total} solutions jouées : {ok} réussies, {failed} en échec.",
                    total,
                ).format(total=total, ok=total - failures, failed=failures)
            )
            if invalid:
                click.echo(
                    ngettext("{n} scénario invalide.", "{n} scénarios invalides.", invalid).format(
                        n=invalid
                    ),
                    err=True,
                )
        if failures or invalid:
            raise click.exceptions.Exit(EXIT_FINDING)
