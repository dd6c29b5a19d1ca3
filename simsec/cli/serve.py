"""``simsec serve [--host 127.0.0.1] [--port P]``: the TUI in browsers, for a classroom.

PRODUCT.md §5: trainees need nothing installed; textual-serve starts one simsec process
per browser connection (the home, ``python -m simsec.ui``) and relays the terminal over
a websocket. Runs are logged on the server, in its user data directory (or
``SIMSEC_DATA_DIR``); ``--db`` is not needed, each run has its own database.
"""

from __future__ import annotations

import shlex
import sys

import click

from simsec.i18n import _, current_lang

__all__ = ["register", "serve_command"]


def serve_command(lang: str) -> str:
    """The command textual-serve runs for each browser."""
    return shlex.join([sys.executable, "-m", "simsec.ui", "--lang", lang])


def register(group: click.Group) -> None:
    @group.command(
        "serve",
        help=_(
            "Sert l'interface aux navigateurs d'une salle de formation (textual-serve). "
            "Arrêt : Ctrl+C."
        ),
    )
    @click.option("--host", default="127.0.0.1", show_default=True, help=_("Adresse d'écoute."))
    @click.option(
        "--port",
        type=click.IntRange(1, 65535),
        default=8000,
        show_default=True,
        help=_("Port d'écoute."),
    )
    @click.option(
        "--public-url",
        default=None,
        metavar="URL",
        help=_("Adresse publique, derrière un mandataire inverse (par défaut http://HOST:PORT)."),
    )
    def serve(host: str, port: int, public_url: str | None) -> None:
        from textual_serve.server import Server

        click.echo(
            _("simsec est servi sur {url} (Ctrl+C pour arrêter).").format(
                url=public_url or f"http://{host}:{port}"
            )
        )
        server = Server(
            serve_command(current_lang()),
            host=host,
            port=port,
            title="simsec",
            public_url=public_url,
        )
        server.serve()
