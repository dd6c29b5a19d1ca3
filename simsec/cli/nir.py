"""``simsec nir check`` and ``simsec nir make``: check or generate a NIR/NIA.

Exit codes: 0 valid (and coherent with the traits given; warnings allowed), 1 invalid or
incoherent, 2 bad arguments.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NoReturn

import click

from simsec.cli.common import EXIT_FINDING, EXIT_OK, EXIT_USAGE
from simsec.i18n import _
from simsec.rules.nir import (
    MakeNirError,
    check_coherence,
    format_nir,
    make_nir,
    normalise_place_code,
)
from simsec.texts.nir import issue_line, make_nir_error_message

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
_SEXES = ("M", "F", "I")


def _usage_error(message: str) -> NoReturn:
    """Print ``message`` on stderr and stop with exit code 2 (no traceback)."""
    click.echo(message, err=True)
    raise click.exceptions.Exit(EXIT_USAGE)


def _parse_birth_date(value: str) -> date:
    """``AAAA-MM-JJ`` or ``JJ/MM/AAAA``; a French usage error otherwise."""
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    _usage_error(
        _(
            "Erreur : date de naissance invalide « {value} » (attendu AAAA-MM-JJ ou JJ/MM/AAAA)."
        ).format(value=value)
    )


def _parse_sex(value: str, allowed: tuple[str, ...]) -> str:
    sex = value.strip().upper()
    if sex not in allowed:
        _usage_error(
            _("Erreur : sexe inconnu « {value} » ({allowed}).").format(
                value=value, allowed=", ".join(allowed)
            )
        )
    return sex


def _parse_place(value: str) -> str:
    place = normalise_place_code(value)
    if place is None:
        _usage_error(
            _(
                "Erreur : lieu de naissance invalide « {value} » : code INSEE de commune "
                "(75056, 2A004, 97411…) ou 99 suivi d'un code pays (99350…)."
            ).format(value=value)
        )
    return place


def register(group: click.Group) -> None:
    """Add the ``nir`` group (``check``, ``make``) to ``group``."""

    @group.group(
        name="nir", help=_("Numéro de sécurité sociale (NIR ou NIA) : contrôle, génération.")
    )
    def nir() -> None:
        pass

    @nir.command(
        name="check",
        help=_(
            "Contrôle un NIR ou un NIA (espaces permis) : structure, clé et, si on les "
            "donne, cohérence avec le sexe, la date et le lieu de naissance. Code de "
            "sortie 0 si valide et cohérent, 1 sinon."
        ),
    )
    @click.argument("value", nargs=-1, required=True, metavar="NIR")
    @click.option("--sex", default=None, metavar="M|F|I", help=_("Sexe de l'identité."))
    @click.option(
        "--birth-date",
        default=None,
        metavar="DATE",
        help=_("Date de naissance (AAAA-MM-JJ ou JJ/MM/AAAA)."),
    )
    @click.option(
        "--birth-place",
        default=None,
        metavar="CODE",
        help=_("Code INSEE du lieu de naissance (commune, ou 99 + pays)."),
    )
    def check(
        value: tuple[str, ...],
        sex: str | None,
        birth_date: str | None,
        birth_place: str | None,
    ) -> None:
        sex_code = None if sex is None else _parse_sex(sex, _SEXES)
        born = None if birth_date is None else _parse_birth_date(birth_date)
        place = None if birth_place is None else _parse_place(birth_place)
        result = check_coherence(" ".join(value), sex=sex_code, birth_date=born, birth_place=place)
        shown = format_nir(result.nir.value)
        if result.ok:
            click.echo(_("NIR valide : {nir}").format(nir=shown))
        elif result.nir.valid:
            click.echo(_("NIR valide mais incohérent avec l'identité : {nir}").format(nir=shown))
        else:
            click.echo(_("NIR invalide : {nir}").format(nir=shown))
        for issue in (*result.nir.errors, *result.errors, *result.nir.warnings, *result.warnings):
            click.echo(issue_line(issue))
        raise click.exceptions.Exit(EXIT_OK if result.ok else EXIT_FINDING)

    @nir.command(
        name="make",
        help=_("Génère un NIR valide et cohérent avec le sexe, la date et le lieu de naissance."),
    )
    @click.option("--sex", required=True, metavar="M|F", help=_("Sexe (M ou F)."))
    @click.option(
        "--birth-date",
        required=True,
        metavar="DATE",
        help=_("Date de naissance (AAAA-MM-JJ ou JJ/MM/AAAA)."),
    )
    @click.option(
        "--birth-place",
        required=True,
        metavar="CODE",
        help=_("Code INSEE du lieu de naissance : commune (75056, 2A004, 97411) ou 99 + pays."),
    )
    @click.option(
        "--order", default="1", metavar="N", help=_("Numéro d'ordre, de 1 à 999 (1 par défaut).")
    )
    @click.option(
        "--temporary",
        is_flag=True,
        help=_("Numéro temporaire de type NIA (premier chiffre 7 ou 8, convention non vérifiée)."),
    )
    @click.option(
        "--nir-place",
        default=None,
        metavar="CODE",
        help=_(
            "Code de lieu à écrire dans le NIR s'il diffère du code INSEE (ex. 91352 pour "
            "une naissance en Algérie avant 1962)."
        ),
    )
    def make(
        sex: str,
        birth_date: str,
        birth_place: str,
        order: str,
        temporary: bool,
        nir_place: str | None,
    ) -> None:
        sex_code = _parse_sex(sex, ("M", "F"))
        born = _parse_birth_date(birth_date)
        place = _parse_place(birth_place)
        if not order.strip().isdigit() or not 1 <= int(order) <= 999:
            _usage_error(
                _("Erreur : numéro d'ordre invalide « {value} » (de 1 à 999).").format(value=order)
            )
        try:
            number = make_nir(
                sex_code, born, place, int(order), temporary=temporary, nir_place=nir_place
            )
        except MakeNirError as error:
            click.echo(
                _("Erreur : {message}").format(message=make_nir_error_message(error)), err=True
            )
            for issue in error.issues:
                click.echo(issue_line(issue), err=True)
            raise click.exceptions.Exit(EXIT_USAGE) from None
        click.echo(number)
