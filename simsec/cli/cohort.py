"""``simsec cohort DIR [--csv] [-o FILE]``: a group's runs side by side.

PRODUCT.md §4: "one row per run: trainee, scenario, score per competence". Every
``*.jsonl`` log under DIR is verified, replayed and scored on two worker processes
(:func:`simsec.reports.cohort.scan_cohort`). Without ``--csv``: the table, the averages
per competence, the most-failed criteria with their feedback and the flagged logs (a
broken chain, a replay that does not rebuild the run, a missing scenario). With
``--csv``: one CSV row per run, in a stable column order
(:func:`simsec.reports.cohort.csv_columns`).

Exit codes: 0 every log verified and scored; 1 at least one log is flagged (the table or
the CSV is still produced); 2 bad usage (DIR missing, an output that cannot be written).
"""

from __future__ import annotations

import io
from pathlib import Path

import click

from simsec.cli.common import EXIT_FINDING, EXIT_USAGE
from simsec.cli.scenario_test import cache_directory
from simsec.i18n import _, activate, ngettext
from simsec.reports.cohort import DEFAULT_PROCESSES, cohort_lines, scan_cohort, write_csv
from simsec.scenario.world_cache import set_default_directory

__all__ = ["register"]


def _usage_error(message: str) -> click.exceptions.Exit:
    click.echo(message, err=True)
    return click.exceptions.Exit(EXIT_USAGE)


def register(group: click.Group) -> None:
    @group.command(
        name="cohort",
        help=_(
            "Compare les parties d'un groupe : une ligne par journal du dossier (stagiaire, "
            "scénario, score, score par compétence), les moyennes par compétence, les "
            "critères les plus souvent manqués et les journaux altérés. Code de sortie 1 si "
            "un journal est signalé."
        ),
    )
    @click.argument("directory", type=click.Path(path_type=Path), metavar=_("DOSSIER"))
    @click.option("--csv", "as_csv", is_flag=True, help=_("Sortie CSV : une ligne par partie."))
    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        metavar=_("FICHIER"),
        help=_("Écrit le résultat dans ce fichier (par défaut : sortie standard)."),
    )
    @click.option(
        "--scenarios",
        "scenarios",
        type=click.Path(path_type=Path),
        default=None,
        metavar=_("DOSSIER"),
        help=_(
            "Dossier où chercher les fichiers de scénario par leur nom (par défaut : le "
            "chemin écrit dans chaque journal, puis à côté du journal, puis scenarios/)."
        ),
    )
    @click.option(
        "--jobs",
        "jobs",
        type=click.IntRange(min=1, max=64),
        default=DEFAULT_PROCESSES,
        show_default=True,
        help=_("Nombre de processus de notation en parallèle."),
    )
    @click.option(
        "--lang",
        type=click.Choice(["fr", "en"]),
        default=None,
        help=_("Langue de la sortie (fr par défaut, en pour l'anglais)."),
    )
    def cohort(
        directory: Path,
        as_csv: bool,
        output: Path | None,
        scenarios: Path | None,
        jobs: int,
        lang: str | None,
    ) -> None:
        if lang is not None:
            activate(lang)
        if not directory.is_dir():
            raise _usage_error(_("Erreur : dossier introuvable « {dir} ».").format(dir=directory))
        if scenarios is not None and not scenarios.is_dir():
            raise _usage_error(_("Erreur : dossier introuvable « {dir} ».").format(dir=scenarios))
        cache = cache_directory()
        set_default_directory(cache)
        result = scan_cohort(directory, processes=jobs, cache_dir=cache, scenarios=scenarios)
        if as_csv:
            buffer = io.StringIO()
            write_csv(result, buffer)
            text = buffer.getvalue()
        else:
            text = "\n".join(cohort_lines(result)) + "\n"
        if output is None:
            click.echo(text, nl=False)
        else:
            try:
                output.write_text(text, encoding="utf-8", newline="")
            except OSError as exc:
                raise _usage_error(
                    _("Erreur : impossible d'écrire « {file} » : {reason}.").format(
                        file=output, reason=exc.strerror or exc
                    )
                ) from None
        flagged = result.flagged
        if flagged:
            click.echo(
                ngettext(
                    "Attention : {n} journal signalé (altéré ou non conforme).",
                    "Attention : {n} journaux signalés (altérés ou non conformes).",
                    len(flagged),
                ).format(n=len(flagged)),
                err=True,
            )
            raise click.exceptions.Exit(EXIT_FINDING)
