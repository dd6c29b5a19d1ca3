"""``simsec world generate|import|export``: the fake world and the population files.

Exit codes: 0 success; 1 a finding (a database that cannot be used or already holds a
world, an invalid population file or row); 2 bad usage (click).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, NoReturn

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from simsec.cli.common import EXIT_FINDING, db_option
from simsec.config import Settings
from simsec.db.schema import DatabaseAccessError, ensure_database, open_engine, safe_url
from simsec.i18n import _, format_number, ngettext
from simsec.world.generator import (
    DEFAULT_START,
    ProgressCallback,
    WorldNotEmptyError,
    WorldSummary,
    generate_world,
)
from simsec.world.population_csv import (
    PopulationFileError,
    export_population,
    import_population,
)

__all__ = ["register"]


def _fail(message: str, code: int = EXIT_FINDING) -> NoReturn:
    click.echo(_("Erreur : {message}").format(message=message), err=True)
    raise click.exceptions.Exit(code)


def _database_error(exc: DatabaseAccessError | SQLAlchemyError, url: str) -> NoReturn:
    if isinstance(exc, DatabaseAccessError):
        _fail(exc.message, exc.exit_code)
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    _fail(_("erreur de la base « {url} » : {detail}").format(url=safe_url(url), detail=detail))


@contextmanager
def _engine(url: str, *, create: bool) -> Iterator[Engine]:
    """The database at ``url`` (created and migrated when ``create``), disposed after."""
    try:
        engine = ensure_database(url) if create else open_engine(url, create=False)
    except (DatabaseAccessError, SQLAlchemyError) as exc:
        _database_error(exc, url)
    try:
        yield engine
    except SQLAlchemyError as exc:
        _database_error(exc, url)
    finally:
        engine.dispose()


@contextmanager
def _progress_bar(quiet: bool) -> Iterator[ProgressCallback | None]:
    """A rich progress bar on stderr (one line per stage), or nothing when ``quiet``."""
    if quiet:
        yield None
        return
    labels = {"patients": _("Patients"), "appointments": _("Rendez-vous")}
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    tasks: dict[str, TaskID] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(labels.get(stage, stage), total=total)
        progress.update(tasks[stage], completed=done, total=total)

    with progress:
        yield update


def _summary_line(summary: WorldSummary) -> str:
    counts = summary.counts
    return _(
        "Monde généré (graine {seed}, au {start}) : {patients} patients, {practitioners} "
        "praticiens, {appointments} rendez-vous passés, {doublons} doublons et {homonyms} "
        "homonymes plantés."
    ).format(
        seed=summary.seed,
        start=summary.start.isoformat(),
        patients=format_number(counts["patient"]),
        practitioners=format_number(counts["practitioner"]),
        appointments=format_number(counts["appointment"]),
        doublons=format_number(len(summary.doublons)),
        homonyms=format_number(len(summary.homonyms)),
    )


def _open_input(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return Path(path).open("rb")
    except OSError as exc:
        _fail(_("impossible de lire « {path} » : {detail}").format(path=path, detail=exc.strerror))


def register(group: click.Group) -> None:
    """Add the ``world`` group (``generate``, ``import``, ``export``) to ``group``."""

    @group.group(name="world", help=_("Monde fictif : génération, import et export de patients."))
    def world() -> None:
        pass

    @world.command(
        name="generate",
        help=_(
            "Génère une base de données fictive : familles de patients, NIR, registre INS, "
            "droits, praticiens et un historique de rendez-vous. Même graine, même base."
        ),
    )
    @click.option(
        "--patients",
        type=click.IntRange(min=0),
        default=2000,
        show_default=True,
        help=_("Nombre de patients."),
    )
    @click.option("--seed", type=int, default=0, show_default=True, help=_("Graine du hasard."))
    @click.option(
        "--practitioners",
        type=click.IntRange(min=0),
        default=None,
        help=_("Nombre de praticiens (par défaut selon la population)."),
    )
    @click.option(
        "--history-days",
        type=click.IntRange(min=0),
        default=365,
        show_default=True,
        help=_("Jours d'historique de rendez-vous avant la date de départ."),
    )
    @click.option(
        "--start",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=DEFAULT_START.isoformat(),
        show_default=True,
        help=_("Date de départ du monde (AAAA-MM-JJ)."),
    )
    @click.option(
        "--truth",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        default=None,
        help=_("Écrit en JSON les doublons, homonymes et jumeaux plantés (pour le formateur)."),
    )
    @click.option("--quiet", "-q", is_flag=True, help=_("Sans barre de progression."))
    @db_option()
    def generate_command(
        patients: int,
        seed: int,
        practitioners: int | None,
        history_days: int,
        start: datetime,
        truth: Path | None,
        quiet: bool,
        db_url: str | None,
    ) -> None:
        url = db_url or Settings().db_url()
        start_date = start.date()
        with _engine(url, create=True) as engine, _progress_bar(quiet) as progress:
            try:
                summary = generate_world(
                    engine,
                    patients=patients,
                    seed=seed,
                    practitioners=practitioners,
                    history_days=history_days,
                    start=start_date,
                    progress=progress,
                )
            except WorldNotEmptyError as exc:
                _fail(
                    _(
                        "la base « {url} » contient déjà des données (tables : {tables}). "
                        "Générez le monde dans une base vide."
                    ).format(url=safe_url(url), tables=", ".join(exc.tables))
                )
        if truth is not None:
            try:
                truth.write_text(
                    json.dumps(summary.truth(), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8",
                )
            except OSError as exc:
                _fail(
                    _("impossible d'écrire « {path} » : {detail}").format(
                        path=truth, detail=exc.strerror
                    )
                )
        click.echo(_summary_line(summary))

    @world.command(
        name="import",
        help=_(
            "Importe des patients depuis un fichier CSV (id, birth_name, first_names, "
            "used_name, birth_date, sex, birth_place, nir, phone, postcode, city). Rien "
            "n'est importé si une ligne est invalide, sauf avec --skip-invalid."
        ),
    )
    @click.option(
        "--patients",
        "patients_file",
        required=True,
        metavar="FICHIER.csv",
        help=_("Fichier de population (« - » pour l'entrée standard)."),
    )
    @click.option(
        "--skip-invalid",
        is_flag=True,
        help=_("Importe les lignes valides et liste les autres."),
    )
    @db_option()
    def import_command(patients_file: str, skip_invalid: bool, db_url: str | None) -> None:
        url = db_url or Settings().db_url()
        source = _open_input(patients_file)
        with _engine(url, create=True) as engine:
            try:
                result = import_population(engine, source, skip_invalid=skip_invalid)
            except PopulationFileError as exc:
                _fail(str(exc))
            finally:
                if source is not sys.stdin.buffer:
                    source.close()
        for error in result.errors:
            click.echo(str(error), err=True)
        if result.errors and not skip_invalid:
            lines = len({error.line for error in result.errors})
            _fail(
                ngettext(
                    "aucun patient importé : {count} ligne invalide.",
                    "aucun patient importé : {count} lignes invalides.",
                    lines,
                ).format(count=lines)
            )
        skipped = len({error.line for error in result.errors})
        click.echo(
            ngettext(
                "{count} patient importé.", "{count} patients importés.", result.imported
            ).format(count=format_number(result.imported))
            + (
                " "
                + ngettext("{count} ligne ignorée.", "{count} lignes ignorées.", skipped).format(
                    count=skipped
                )
                if skipped
                else ""
            )
        )

    @world.command(
        name="export",
        help=_("Exporte les patients au format des fichiers de population (CSV)."),
    )
    @click.option(
        "--patients",
        "patients_file",
        default="-",
        show_default=True,
        metavar="FICHIER.csv",
        help=_("Fichier à écrire (« - » pour la sortie standard)."),
    )
    @db_option()
    def export_command(patients_file: str, db_url: str | None) -> None:
        url = db_url or Settings().db_url()
        with _engine(url, create=False) as engine:
            if patients_file == "-":
                count = export_population(engine, sys.stdout)
            else:
                try:
                    with Path(patients_file).open("w", encoding="utf-8", newline="") as out:
                        count = export_population(engine, out)
                except OSError as exc:
                    _fail(
                        _("impossible d'écrire « {path} » : {detail}").format(
                            path=patients_file, detail=exc.strerror
                        )
                    )
        if patients_file != "-":
            click.echo(
                ngettext(
                    "{count} patient exporté dans {path}.",
                    "{count} patients exportés dans {path}.",
                    count,
                ).format(count=format_number(count), path=patients_file)
            )
