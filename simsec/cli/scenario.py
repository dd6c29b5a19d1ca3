"""``simsec scenario ...``: tools for trainers who write scenarios.

``validate FILE...`` (strict validation, every error as ``file:line:column: path:
message``), ``schema`` (the JSON Schema, for editors), ``new NAME`` (a commented
template that validates). PRODUCT.md §4. Exit codes: 0 success, 1 a finding (an invalid
scenario, a file that already exists), 2 bad usage (a missing file, a bad name).

Each command is added by its own ``add_*`` function, so that later commands
(``test``, ``play``) are one more function in :data:`COMMANDS`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Final

import click

from simsec.cli.common import EXIT_FINDING, EXIT_USAGE
from simsec.cli.play_trial import add_play_command
from simsec.cli.scenario_test import add_test_command
from simsec.i18n import _, ngettext
from simsec.scenario.loader import load_scenario
from simsec.scenario.schema import SCHEMA_FILE_NAME, schema_text
from simsec.scenario.template import render_template

__all__ = ["COMMANDS", "add_new", "add_schema", "add_validate", "register"]

_ID_RE: Final = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def add_validate(scenario: click.Group) -> None:
    @scenario.command(
        name="validate",
        help=_(
            "Valide un ou plusieurs scénarios : forme et sens. Chaque erreur est donnée "
            "avec fichier:ligne:colonne. Code de sortie 1 s'il y a une erreur."
        ),
    )
    @click.argument("files", nargs=-1, required=True, metavar=_("FICHIER..."))
    @click.option("--json", "as_json", is_flag=True, help=_("Sortie au format JSON."))
    def validate(files: tuple[str, ...], as_json: bool) -> None:
        missing = [name for name in files if not Path(name).is_file()]
        for name in missing:
            click.echo(_("Erreur : fichier introuvable « {file} ».").format(file=name), err=True)
        results = [load_scenario(name) for name in files if name not in missing]
        if as_json:
            report = [
                {
                    "file": result.file,
                    "valid": result.ok,
                    "errors": [error.to_json() for error in result.errors],
                }
                for result in results
            ]
            click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            for result in results:
                if result.ok:
                    click.echo(_("{file} : scénario valide.").format(file=result.file))
                for error in result.errors:
                    click.echo(error.format())
            errors = sum(len(result.errors) for result in results)
            if errors:
                bad = sum(1 for result in results if not result.ok)
                click.echo(
                    ngettext(
                        "{errors} erreur dans {files} fichier.",
                        "{errors} erreurs dans {files} fichier(s).",
                        errors,
                    ).format(errors=errors, files=bad),
                    err=True,
                )
        if missing:
            raise click.exceptions.Exit(EXIT_USAGE)
        if any(not result.ok for result in results):
            raise click.exceptions.Exit(EXIT_FINDING)


def add_schema(scenario: click.Group) -> None:
    @scenario.command(
        name="schema",
        help=_(
            "Affiche le schéma JSON du format de scénario (complétion et contrôle dans l'éditeur)."
        ),
    )
    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        default=None,
        help=_("Écrit le schéma dans ce fichier au lieu de l'afficher."),
    )
    def schema(output: Path | None) -> None:
        if output is None:
            click.echo(schema_text(), nl=False)
            return
        try:
            output.write_text(schema_text(), encoding="utf-8")
        except OSError as exc:
            click.echo(
                _("Erreur : impossible d'écrire « {file} » : {reason}.").format(
                    file=output, reason=exc.strerror or exc
                ),
                err=True,
            )
            raise click.exceptions.Exit(EXIT_FINDING) from None
        click.echo(_("Schéma écrit : {file}").format(file=output))


def _target(name: str) -> tuple[Path, str]:
    """The file to write and the scenario id, from ``NAME`` (an id or a ``.yaml`` path)."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml"):
        return path, path.stem
    return path.with_name(path.name + ".yaml"), path.name


def add_new(scenario: click.Group) -> None:
    @scenario.command(
        name="new",
        help=_(
            "Écrit un modèle de scénario commenté, qui se valide, dans NOM.yaml (NOM est "
            "l'identifiant du scénario, en snake_case), avec le schéma JSON à côté."
        ),
    )
    @click.argument("name", metavar=_("NOM"))
    @click.option("--force", is_flag=True, help=_("Remplace le fichier s'il existe déjà."))
    @click.option(
        "--schema-url",
        default=None,
        metavar="URL",
        help=_(
            "Adresse du schéma pour l'éditeur (par défaut, le fichier {file} écrit à côté)."
        ).format(file=SCHEMA_FILE_NAME),
    )
    def new(name: str, force: bool, schema_url: str | None) -> None:
        path, scenario_id = _target(name)
        if not _ID_RE.match(scenario_id):
            click.echo(
                _(
                    "Erreur : nom « {name} » invalide : l'identifiant d'un scénario est en "
                    "snake_case (minuscules sans accents, chiffres et _), par exemple "
                    "accueil_premiere_consultation."
                ).format(name=scenario_id),
                err=True,
            )
            raise click.exceptions.Exit(EXIT_USAGE)
        if path.exists() and not force:
            click.echo(
                _("Erreur : « {file} » existe déjà (--force pour le remplacer).").format(file=path),
                err=True,
            )
            raise click.exceptions.Exit(EXIT_FINDING)
        text = render_template(scenario_id, str(path), schema_url or SCHEMA_FILE_NAME)
        try:
            path.write_text(text, encoding="utf-8")
            schema_file = path.parent / SCHEMA_FILE_NAME
            if schema_url is None and not schema_file.exists():
                schema_file.write_text(schema_text(), encoding="utf-8")
        except OSError as exc:
            click.echo(
                _("Erreur : impossible d'écrire « {file} » : {reason}.").format(
                    file=path, reason=exc.strerror or exc
                ),
                err=True,
            )
            raise click.exceptions.Exit(EXIT_FINDING) from None
        click.echo(_("Modèle écrit : {file}").format(file=path))
        click.echo(_("Vérifiez-le avec : simsec scenario validate {file}").format(file=path))


#: The ``scenario`` sub-commands, in help order; later commands add a function here.
COMMANDS: Final[tuple[Callable[[click.Group], None], ...]] = (
    add_validate,
    add_schema,
    add_new,
    add_test_command,
    add_play_command,
)


def register(group: click.Group) -> None:
    """Add the ``scenario`` group and its commands to ``group``."""

    @group.group(
        name="scenario",
        help=_("Scénarios : valider, exporter le schéma, créer un modèle."),
    )
    def scenario() -> None:
        pass

    for add in COMMANDS:
        add(scenario)
