"""``simsec play SCENARIO [--trainee NAME]``, and the TUI home opened by ``simsec``.

The TUI is built by :func:`simsec.ui.factory.make_app` and run by
:func:`simsec.ui.runner.run_tui` (imported only when a command runs it). Choosing the
other language on the home rebuilds the app in it: the language is fixed for an app's
life.
"""

from __future__ import annotations

from pathlib import Path

import click

from simsec.cli.common import EXIT_FINDING, fail
from simsec.i18n import _

__all__ = ["open_home", "register", "run_tui"]


def run_tui(
    lang: str | None,
    *,
    trainee: str = "",
    scenario: Path | None = None,
    speed: float = 1.0,
    assessed: bool = True,
) -> int:
    """Run the TUI until the trainee quits (:func:`simsec.ui.runner.run_tui`)."""
    from simsec.ui.runner import run_tui as run

    return run(lang, trainee=trainee, scenario=scenario, speed=speed, assessed=assessed)


def open_home(lang: str | None, trainee: str = "") -> int:
    """What ``simsec`` with no command does: the TUI home."""
    return run_tui(lang, trainee=trainee)


def _check_scenario(path: Path) -> None:
    """Refuse an invalid scenario before the TUI starts (errors with their position)."""
    from simsec.scenario.loader import load_scenario

    loaded = load_scenario(path)
    if loaded.scenario is None:
        lines = [_("Scénario invalide : {path}").format(path=path)]
        lines += [error.format() for error in loaded.errors]
        fail("\n".join(lines), EXIT_FINDING)


def register(group: click.Group) -> None:
    @group.command(
        "play",
        help=_(
            "Joue un scénario dans l'interface (accueil, postes, fin de partie), en "
            "enregistrant le journal de la partie."
        ),
    )
    @click.argument(
        "scenario", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="SCENARIO"
    )
    @click.option("--trainee", default="", metavar="NOM", help=_("Nom du stagiaire."))
    @click.option(
        "--speed",
        type=click.FloatRange(min=0),
        default=1.0,
        show_default=True,
        help=_("Vitesse de l'horloge du scénario (1 : temps réel, 0 : arrêtée)."),
    )
    @click.pass_context
    def play(ctx: click.Context, scenario: Path, trainee: str, speed: float) -> int:
        _check_scenario(scenario)
        name = trainee.strip() or click.prompt(_("Nom du stagiaire")).strip()
        if not name:
            fail(_("Erreur : le nom du stagiaire est obligatoire."), EXIT_FINDING)
        lang = ctx.find_root().params.get("lang")
        return run_tui(lang, trainee=name, scenario=scenario, speed=speed)
