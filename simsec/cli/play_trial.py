"""``simsec scenario play FILE``: a trainer tries the scenario being written.

PRODUCT.md §4: "plays a scenario being written, without recording it as an assessed
run". The scenario is validated first (errors with file:line:column, exit 1); then the
trainee's workspace is opened on it (:func:`simsec.ui.factory.make_app`, the same TUI as
``simsec play``), with its log written to a new temporary folder instead of the runs
folder, and its header marked ``assessed: false``: the trial never mixes with the
trainees' runs, and it can still be scored (``simsec score``) or replayed
(``simsec replay``) while the file exists.

Exit codes: 0 the trial was closed; 1 an invalid scenario; 2 bad usage (no such file).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from simsec.cli.common import EXIT_FINDING, EXIT_OK, fail
from simsec.i18n import _, resolve_lang

__all__ = ["add_play_command", "trial_directory"]

#: The trainee name of a trial when none is given (it names the log file).
TRIAL_TRAINEE = "essai"


def trial_directory() -> Path:
    """A new temporary folder for the trial's log."""
    return Path(tempfile.mkdtemp(prefix="simsec-essai-"))


def _check_scenario(path: Path) -> None:
    from simsec.scenario.loader import load_scenario

    loaded = load_scenario(path)
    if loaded.scenario is None or loaded.errors:
        lines = [_("Scénario invalide : {path}").format(path=path)]
        lines += [error.format() for error in loaded.errors]
        fail("\n".join(lines), EXIT_FINDING)


def add_play_command(scenario_group: click.Group) -> None:
    """Add ``play`` to the ``scenario`` group."""

    @scenario_group.command(
        name="play",
        help=_(
            "Essaie un scénario en cours d'écriture dans l'interface du stagiaire. La partie "
            "n'est pas évaluée : son journal va dans un dossier temporaire, marqué « non "
            "évalué »."
        ),
    )
    @click.argument(
        "file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar=_("FICHIER")
    )
    @click.option(
        "--trainee",
        default="",
        metavar=_("NOM"),
        help=_("Nom affiché dans l'essai (par défaut : essai)."),
    )
    @click.option(
        "--speed",
        type=click.FloatRange(min=0),
        default=1.0,
        show_default=True,
        help=_("Vitesse de l'horloge du scénario (1 : temps réel, 0 : arrêtée)."),
    )
    @click.pass_context
    def play(ctx: click.Context, file: Path, trainee: str, speed: float) -> int:
        from simsec.config import Settings
        from simsec.ui.factory import make_app

        _check_scenario(file)
        settings = Settings()
        lang = resolve_lang(ctx.find_root().params.get("lang") or settings.lang, os.environ)
        runs = trial_directory()
        click.echo(
            _(
                "Essai non évalué : le journal de cette partie est écrit dans le dossier "
                "temporaire {folder}."
            ).format(folder=runs)
        )
        app = make_app(
            settings,
            lang=lang,
            trainee=trainee.strip() or TRIAL_TRAINEE,
            scenario=file,
            runs_dir=runs,
            speed=speed,
            assessed=False,
        )
        app.run()
        for log in sorted(runs.glob("*.jsonl")):
            click.echo(
                _("Journal de l'essai : {file} (simsec replay {file} pour le revoir).").format(
                    file=log
                )
            )
        return EXIT_OK
