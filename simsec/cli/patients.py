"""``simsec patients search``: search before creating (RNIV), from the command line.

Exit codes: 0 the search ran (with or without results); 1 the database cannot be used;
2 bad usage (no criterion, unreadable date, bad limit).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import NoReturn

import click
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from simsec.cli.common import EXIT_FINDING, EXIT_USAGE, db_option, json_option
from simsec.config import Settings
from simsec.db.schema import DatabaseAccessError, open_engine, safe_url
from simsec.i18n import N_, _, format_date
from simsec.rules.identity import DifferenceKind, TraitName, parse_birth_date
from simsec.services.dto import MatchKind, PatientHit, PatientQuery, TraitMatch
from simsec.services.patients_search import DEFAULT_LIMIT, search_patients
from simsec.texts.identity import difference_label, trait_label

__all__ = ["db_failure", "match_text", "open_database", "register"]

#: Labels of the match kinds that :mod:`simsec.rules.identity` does not have
#: (the others come from :func:`simsec.texts.identity.difference_label`).
_EXTRA_KIND_LABELS = {
    MatchKind.PREFIX: N_("premières lettres"),
    MatchKind.USED_NAME: N_("nom utilisé"),
    MatchKind.CLOSE: N_("proche"),
    MatchKind.CONFLICT: N_("deux numéros valides différents"),
    MatchKind.SUSPECTED: N_("jumeaux probables (même naissance, autre prénom)"),
}
_EXTRA_TRAIT_LABELS = {
    "nir": N_("NIR"),
    "ins": N_("matricule INS"),
    "phone": N_("téléphone"),
    "twins": N_("jumeaux"),
}


def match_text(match: TraitMatch) -> str:
    """A matched trait in French: « date de naissance : jour et mois inversés »."""
    if match.trait in _EXTRA_TRAIT_LABELS:
        trait = _(_EXTRA_TRAIT_LABELS[match.trait])
    else:
        trait = trait_label(TraitName(match.trait))
    if match.kind in _EXTRA_KIND_LABELS:
        kind = _(_EXTRA_KIND_LABELS[match.kind])
    else:
        kind = difference_label(DifferenceKind(match.kind.value))
    return _("{trait} : {kind}").format(trait=trait, kind=kind)


def db_failure(exc: DatabaseAccessError | SQLAlchemyError, url: str) -> NoReturn:
    """Print a French error (no traceback) and stop with the matching exit code."""
    if isinstance(exc, DatabaseAccessError):
        message, code = exc.message, exc.exit_code
    else:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        message = _("Erreur de la base « {url} » : {detail}").format(
            url=safe_url(url), detail=detail
        )
        code = EXIT_FINDING
    click.echo(_("Erreur : {message}").format(message=message), err=True)
    raise click.exceptions.Exit(code)


def open_database(db_url: str | None) -> tuple[Engine, str]:
    """The engine of an existing database (``--db`` or the default one) and its URL."""
    url = db_url or Settings().db_url()
    try:
        return open_engine(url, create=False), url
    except (DatabaseAccessError, SQLAlchemyError) as exc:
        db_failure(exc, url)


def _usage_error(message: str) -> NoReturn:
    click.echo(message, err=True)
    raise click.exceptions.Exit(EXIT_USAGE)


def _hit_lines(hits: Iterable[PatientHit]) -> list[str]:
    lines = []
    for rank, hit in enumerate(hits, start=1):
        name = hit.birth_name
        if hit.used_name:
            name = _("{birth} (nom utilisé {used})").format(birth=name, used=hit.used_name)
        born = format_date(hit.birth_date) if hit.birth_date else "-"
        lines.append(
            _("{rank}. {id}  {score:.2f}  {name} {first_names}, né(e) le {born}").format(
                rank=rank,
                id=hit.id,
                score=hit.score,
                name=name,
                first_names=hit.first_names,
                born=born,
            )
        )
        lines.extend(f"     {match_text(m)}" for m in hit.matched)
    return lines


def register(group: click.Group) -> None:
    """Add the ``patients`` group (``search``) to ``group``."""

    @group.group(name="patients", help=_("Patients : recherche avant création."))
    def patients() -> None:
        pass

    @patients.command(
        name="search",
        help=_(
            "Recherche un patient avant de créer un dossier (pratique RNIV : date de "
            "naissance, puis premières lettres du nom). Tolère les fautes de frappe, les "
            "accents, les traits d'union, l'ordre des prénoms, le nom utilisé donné pour le "
            "nom de naissance et l'inversion du jour et du mois. Résultats classés, avec "
            "leur score et les traits concordants."
        ),
    )
    @click.option(
        "--birth-name", default=None, metavar="NOM", help=_("Nom (de naissance ou utilisé).")
    )
    @click.option("--first-name", default=None, metavar="PRÉNOM", help=_("Prénom(s)."))
    @click.option(
        "--birth-date",
        default=None,
        metavar="DATE",
        help=_("Date de naissance (JJ/MM/AAAA ou AAAA-MM-JJ)."),
    )
    @click.option("--nir", default=None, metavar="NIR", help=_("NIR ou matricule INS."))
    @click.option(
        "--text",
        "text_query",
        default=None,
        metavar="TEXTE",
        help=_("Recherche libre, par exemple « dupont marie 12/04/1985 »."),
    )
    @click.option(
        "--limit",
        default=DEFAULT_LIMIT,
        show_default=True,
        type=click.IntRange(1, 1000),
        help=_("Nombre maximal de résultats."),
    )
    @db_option()
    @json_option()
    def search(
        birth_name: str | None,
        first_name: str | None,
        birth_date: str | None,
        nir: str | None,
        text_query: str | None,
        limit: int,
        db_url: str | None,
        as_json: bool,
    ) -> None:
        born = None
        if birth_date is not None:
            parsed = parse_birth_date(birth_date)
            if parsed.value is None:
                _usage_error(
                    _(
                        "Erreur : date de naissance invalide « {value} » (attendu JJ/MM/AAAA "
                        "ou AAAA-MM-JJ)."
                    ).format(value=birth_date)
                )
            born = parsed.value
        query = PatientQuery(
            birth_name=birth_name or None,
            first_names=first_name or None,
            birth_date=born,
            nir="".join((nir or "").split()) or None,
            text=text_query or None,
        )
        if query.empty:
            _usage_error(
                _(
                    "Erreur : donnez au moins un critère (--birth-date, --birth-name, "
                    "--first-name, --nir ou --text)."
                )
            )
        engine, url = open_database(db_url)
        try:
            hits = search_patients(engine, query, limit=limit)
        except SQLAlchemyError as exc:
            db_failure(exc, url)
        finally:
            engine.dispose()
        if as_json:
            click.echo(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=2))
        elif not hits:
            click.echo(_("Aucun patient ne correspond à cette recherche."))
        else:
            click.echo("\n".join(_hit_lines(hits)))
