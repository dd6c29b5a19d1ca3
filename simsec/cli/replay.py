"""``simsec replay LOG [--scenario FILE] [--assessor NAME]``: the assessor's replay viewer.

PRODUCT.md §4: "opens the assessor's replay viewer". The viewer (a Textual screen,
:mod:`simsec.ui.screens.replay`) verifies the log's hash chain, replays it on its
scenario, and shows step by step what the trainee saw and did and when, what each action
changed in the database, and the rubric with its evidence; manual grades are appended to
the log as ``grade`` records that extend the chain (RUNLOG_FORMAT.md).

An altered log still opens, under a red banner (the assessor must see what was done to
it). Exit codes: 0 the viewer was closed; 1 the file is not a run log; 2 bad usage (no
such file).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from simsec.cli.common import EXIT_FINDING, EXIT_OK, fail
from simsec.i18n import _, activate, resolve_lang

if TYPE_CHECKING:
    from simsec.scenario.world_cache import WorldCache

__all__ = ["register"]


def _check_log(path: Path) -> None:
    """Refuse a file that is not a run log at all (no readable header) before the TUI."""
    from simsec.runlog.reader import read_log
    from simsec.runlog.records import RecordKind

    log = read_log(path)
    first = log.records[0] if log.records else None
    if first is None or first.kind != RecordKind.HEADER:
        detail = log.errors[0].message if log.errors else ""
        fail(
            _(
                "Erreur : « {file} » n'est pas un journal de partie simsec (aucun en-tête lisible)."
            ).format(file=path)
            + (f"\n{detail}" if detail else ""),
            EXIT_FINDING,
        )


def _cache() -> WorldCache:
    """The worlds built on this machine: those of the runs played here (the TUI's
    folder), so that a run's scenario is not built again to be replayed."""
    from simsec import paths
    from simsec.config import Settings
    from simsec.scenario.world_cache import WorldCache

    return WorldCache(paths.data_dir(Settings().data_dir) / "worlds")


def register(group: click.Group) -> None:
    @group.command(
        name="replay",
        help=_(
            "Ouvre le visualiseur de rejeu de l'évaluateur : chronologie des événements et des "
            "actions (heure du scénario et heure réelle), écran du stagiaire et modifications "
            "de la base à chaque étape, grille d'évaluation avec ses preuves, notes du jury "
            "ajoutées au journal. Un journal altéré s'ouvre sous un bandeau d'alerte."
        ),
    )
    @click.argument(
        "log", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar=_("JOURNAL")
    )
    @click.option(
        "--scenario",
        "scenario_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=None,
        metavar=_("FICHIER"),
        help=_("Le fichier du scénario (par défaut, celui que nomme le journal)."),
    )
    @click.option(
        "--assessor",
        default="",
        metavar=_("NOM"),
        help=_("Nom de l'évaluateur, proposé pour les notes."),
    )
    @click.pass_context
    def replay(ctx: click.Context, log: Path, scenario_file: Path | None, assessor: str) -> int:
        from simsec.config import Settings
        from simsec.scenario.replay_view import open_replay
        from simsec.ui.screens.replay import make_replay_app

        _check_log(log)
        settings = Settings()
        lang = resolve_lang(ctx.find_root().params.get("lang") or settings.lang, os.environ)
        activate(lang)
        click.echo(_("Ouverture de {file} : vérification et rejeu…").format(file=log), err=True)
        opened = open_replay(log, scenario_path=scenario_file, cache=_cache())
        app = make_replay_app(
            settings,
            log,
            lang=lang,
            scenario=scenario_file,
            assessor=assessor.strip(),
            opened=opened,
        )
        app.run()
        return EXIT_OK
