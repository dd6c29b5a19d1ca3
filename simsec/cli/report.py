"""``simsec report LOG [--format md|html] [-o FILE]``: the assessor's report of one run.

PRODUCT.md §4: "assessor report". The log is verified and replayed headless
(:func:`simsec.reports.model.build_report`), then laid out like the certification grid:
CCP, competence, criterion with its REAC performance criterion, points and evidence;
the assessor's grades; the response times and the refused actions; the whole journal.
Markdown (the default, or when ``-o`` names a ``.md`` file) or self-contained HTML that
prints on A4 (``--format html``, or ``-o`` naming a ``.html`` file). French by default,
English with ``--lang en``.

Exit codes: 0 the report is written; 1 the log's chain is broken, or its replay does not
rebuild the run, or its scenario is missing (the report is still written, with a banner
that says so); 2 bad usage (no such log, a file that is not a run log, an unknown format,
an output that cannot be written).
"""

from __future__ import annotations

from pathlib import Path

import click

from simsec.cli.common import EXIT_FINDING, EXIT_USAGE
from simsec.cli.scenario_test import cache_directory
from simsec.i18n import _, activate
from simsec.reports.html import render_html
from simsec.reports.markdown import render_markdown
from simsec.reports.model import build_report, looks_like_run_log
from simsec.scenario.world_cache import default_cache, set_default_directory

__all__ = ["output_format", "register"]

FORMATS = ("md", "html")


def output_format(explicit: str | None, output: Path | None) -> str:
    """The format asked for, else the one the output file's suffix names, else Markdown."""
    if explicit is not None:
        return explicit
    if output is not None and output.suffix.lower() in (".html", ".htm"):
        return "html"
    return "md"


def _usage_error(message: str) -> click.exceptions.Exit:
    click.echo(message, err=True)
    return click.exceptions.Exit(EXIT_USAGE)


def register(group: click.Group) -> None:
    @group.command(
        name="report",
        help=_(
            "Rapport d'évaluation d'une partie, présenté comme la grille de certification "
            "(CCP, compétence, critère) avec les preuves horodatées, les notes de "
            "l'évaluateur et le déroulement. Code de sortie 1 si le journal est altéré (le "
            "rapport est tout de même produit, avec un avertissement)."
        ),
    )
    @click.argument("log", type=click.Path(path_type=Path), metavar=_("JOURNAL"))
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help=_("md (Markdown, par défaut) ou html (page autonome imprimable en A4)."),
    )
    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        metavar=_("FICHIER"),
        help=_("Écrit le rapport dans ce fichier (par défaut : sortie standard)."),
    )
    @click.option(
        "--scenario",
        "scenario_file",
        type=click.Path(path_type=Path),
        default=None,
        metavar=_("FICHIER"),
        help=_("Le fichier du scénario (par défaut, celui que nomme le journal)."),
    )
    @click.option(
        "--lang",
        type=click.Choice(["fr", "en"]),
        default=None,
        help=_("Langue du rapport (fr par défaut, en pour l'anglais)."),
    )
    def report(
        log: Path,
        fmt: str | None,
        output: Path | None,
        scenario_file: Path | None,
        lang: str | None,
    ) -> None:
        if lang is not None:
            activate(lang)
        if not log.is_file():
            raise _usage_error(_("Erreur : fichier introuvable « {file} ».").format(file=log))
        if not looks_like_run_log(log):
            raise _usage_error(
                _("Erreur : « {file} » n'est pas un journal de partie simsec.").format(file=log)
            )
        if scenario_file is not None and not scenario_file.is_file():
            raise _usage_error(
                _("Erreur : fichier introuvable « {file} ».").format(file=scenario_file)
            )
        set_default_directory(cache_directory())
        built = build_report(log, scenario_path=scenario_file, cache=default_cache())
        chosen = output_format(fmt, output)
        text = render_html(built) if chosen == "html" else render_markdown(built)
        if output is None:
            click.echo(text, nl=False)
        else:
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise _usage_error(
                    _("Erreur : impossible d'écrire « {file} » : {reason}.").format(
                        file=output, reason=exc.strerror or exc
                    )
                ) from None
            click.echo(_("Rapport écrit dans « {file} ».").format(file=output), err=True)
        if built.findings:
            for finding in built.findings:
                click.echo(_("Attention : {message}").format(message=finding), err=True)
            raise click.exceptions.Exit(EXIT_FINDING)
