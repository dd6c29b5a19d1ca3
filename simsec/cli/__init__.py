"""The ``simsec`` command: a thin layer that parses, calls the services and prints.

The command tree is built by :func:`make_cli` after the language is chosen, so that
help texts are translated (nothing is translated or opened at import time).
Exit codes: 0 success, 1 a finding (invalid input, failed check), 2 bad usage.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from simsec import __version__
from simsec.cli import (
    cohort,
    db,
    identity,
    nir,
    patients,
    play,
    replay,
    report,
    scenario,
    score,
    serve,
    world,
)
from simsec.cli.common import EXIT_USAGE, CommandModule
from simsec.i18n import _, activate_for_process, resolve_lang

#: Each module adds its commands to the root group with ``register(group)``.
COMMAND_MODULES: tuple[CommandModule, ...] = (
    play,
    serve,
    nir,
    db,
    scenario,
    score,
    replay,
    report,
    cohort,
    world,
    patients,
    identity,
)


def _prescan_lang(argv: Sequence[str]) -> str | None:
    """Read ``--lang X`` / ``--lang=X`` before click runs, to translate the help itself."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def make_cli() -> click.Group:
    @click.group(
        name="simsec",
        invoke_without_command=True,
        help=_(
            "simsec : simulateur de secrétariat médical. Sans commande, ouvre l'accueil "
            "du stagiaire dans le terminal (hors terminal interactif : cette aide)."
        ),
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )
    @click.option(
        "--lang",
        type=click.Choice(["fr", "en"]),
        default=None,
        help=_("Langue des messages (fr par défaut, en pour l'anglais)."),
    )
    @click.version_option(__version__, "--version", message="simsec %(version)s")
    @click.pass_context
    def root(ctx: click.Context, lang: str | None) -> None:
        if ctx.invoked_subcommand is None:
            if sys.stdin.isatty() and sys.stdout.isatty():
                from simsec.cli.play import open_home

                ctx.exit(open_home(lang))
            click.echo(ctx.get_help())

    for module in COMMAND_MODULES:
        module.register(root)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    explicit = _prescan_lang(args)
    if explicit is not None and explicit not in ("fr", "en"):
        activate_for_process(resolve_lang(None, os.environ))
        click.echo(
            _("Erreur : langue inconnue « {lang} » (fr ou en).").format(lang=explicit), err=True
        )
        return EXIT_USAGE
    activate_for_process(resolve_lang(explicit, os.environ))
    cli = make_cli()
    try:
        # Without standalone mode, click returns the code of an Exit instead of raising it.
        returned = cli.main(args=args, prog_name="simsec", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo(_("Interrompu."), err=True)
        return 1
    return returned if isinstance(returned, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
