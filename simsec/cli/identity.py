"""``simsec identity duplicates``: the doublon report of a whole database.

For the identitovigilance cell and the trainer: candidate pairs of records that may be
one person, scored, with the reasons, most likely first. simsec never merges: the cell
decides (RNIV).

Exit codes: 0 the report ran (with or without pairs); 1 the database cannot be used;
2 bad usage.
"""

from __future__ import annotations

import json

import click
from sqlalchemy.exc import SQLAlchemyError

from simsec.cli.common import db_option, json_option
from simsec.cli.patients import db_failure, match_text, open_database
from simsec.i18n import _
from simsec.services.dto import MatchKind
from simsec.services.duplicates import DEFAULT_THRESHOLD, find_duplicates

__all__ = ["register"]

#: Reasons not worth printing in the text report (the JSON keeps them all).
_QUIET = (MatchKind.MISSING,)


def register(group: click.Group) -> None:
    """Add the ``identity`` group (``duplicates``) to ``group``."""

    @group.group(name="identity", help=_("Identitovigilance : doublons potentiels."))
    def identity() -> None:
        pass

    @identity.command(
        name="duplicates",
        help=_(
            "Liste les doublons potentiels de toute la base : paires de dossiers qui "
            "pourraient être la même personne, avec un score de 0 à 1 et les raisons, les "
            "plus probables d'abord. Les homonymes dont un trait fort diffère (NIR valides "
            "différents, lieu de naissance différent, jumeaux) ne sont pas retenus. La "
            "fusion reste l'affaire de la cellule d'identitovigilance."
        ),
    )
    @click.option(
        "--threshold",
        default=DEFAULT_THRESHOLD,
        show_default=True,
        type=click.FloatRange(0.0, 1.0),
        metavar="X",
        help=_("Score minimal d'une paire (0 à 1)."),
    )
    @db_option()
    @json_option()
    def duplicates(threshold: float, db_url: str | None, as_json: bool) -> None:
        engine, url = open_database(db_url)
        try:
            pairs = find_duplicates(engine, threshold=threshold)
        except SQLAlchemyError as exc:
            db_failure(exc, url)
        finally:
            engine.dispose()
        if as_json:
            click.echo(json.dumps([p.as_dict() for p in pairs], ensure_ascii=False, indent=2))
            return
        if not pairs:
            click.echo(
                _("Aucun doublon potentiel au-dessus du seuil {threshold:.2f}.").format(
                    threshold=threshold
                )
            )
            return
        click.echo(_("{count} doublon(s) potentiel(s) :").format(count=len(pairs)))
        for pair in pairs:
            click.echo(f"{pair.score:.2f}  {pair.a}  ↔  {pair.b}")
            for reason in pair.reasons:
                if reason.kind not in _QUIET:
                    click.echo(f"      {match_text(reason)}")
