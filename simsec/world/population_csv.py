"""Population files: import and export of patients as CSV (``spec/PRODUCT.md`` §7).

The format (UTF-8, a header row, comma-separated)::

    id,birth_name,first_names,used_name,birth_date,sex,birth_place,nir,phone,postcode,city

``id`` becomes the patient's key and is used in every output; names are typed in any
case, with accents, and are stored in the RNIV form (:mod:`simsec.rules.identity`);
``first_names`` are separated by spaces (a compound first name keeps its hyphen);
``birth_date`` is ``YYYY-MM-DD``; ``sex`` ``F``, ``M`` or ``I``; ``birth_place`` the INSEE
code of the commune or ``99`` + country; ``nir`` 15 characters, valid and coherent with
the traits (:mod:`simsec.rules.nir`). ``used_name``, ``birth_place``, ``nir``, ``phone``,
``postcode`` and ``city`` may be empty.

Every row is checked; each problem is reported as ``ligne N : raison`` (N the line in
the file, the header being line 1). Nothing is imported unless every row is valid,
unless the caller asks to skip the invalid rows. A UTF-8 byte order mark and CRLF line
ends (spreadsheet exports) are accepted. Problems with the file itself (unreadable,
empty, wrong header) raise :class:`PopulationFileError` with a French message.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any, Final

from sqlalchemy import Engine, insert, select

from simsec.db.models import Base
from simsec.i18n import _
from simsec.rules.identity import (
    IdentityIssue,
    Severity,
    TraitName,
    normalise_first_names,
    normalise_name,
)
from simsec.rules.nir import check_coherence, compact_nir, normalise_place_code
from simsec.services.search_keys import patient_search_columns
from simsec.texts.identity import issue_message
from simsec.texts.nir import nir_issue_message

__all__ = [
    "COLUMNS",
    "ImportResult",
    "PopulationFileError",
    "PopulationRow",
    "RowError",
    "export_population",
    "import_population",
    "read_population",
]

COLUMNS: Final = (
    "id",
    "birth_name",
    "first_names",
    "used_name",
    "birth_date",
    "sex",
    "birth_place",
    "nir",
    "phone",
    "postcode",
    "city",
)
_ISO_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SEXES: Final = frozenset({"F", "M", "I"})
#: Column sizes of the ``patient`` table.
_LIMITS: Final = {
    "id": 80,
    "birth_name": 100,
    "first_names": 200,
    "used_name": 100,
    "phone": 30,
    "postcode": 10,
    "city": 100,
}
_INSERT_BATCH: Final = 5000


class PopulationFileError(ValueError):
    """The file cannot be read as a population file (French message)."""


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem of one row."""

    line: int
    reason: str

    def __str__(self) -> str:
        return _("ligne {line} : {reason}").format(line=self.line, reason=self.reason)


@dataclass(frozen=True, slots=True)
class PopulationRow:
    """A valid row, normalised."""

    line: int
    key: str
    birth_name: str
    first_names: str
    used_name: str | None
    birth_date: date
    sex: str
    birth_place: str | None
    nir: str | None
    phone: str | None
    postcode: str | None
    city: str | None


@dataclass(frozen=True, slots=True)
class ImportResult:
    """``imported``: rows written; ``errors``: the problems found (empty when all valid)."""

    imported: int
    rows: int
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


# --------------------------------------------------------------------------- reading


def _open_text(source: Path | IO[str] | IO[bytes]) -> IO[str]:
    if isinstance(source, Path):
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise PopulationFileError(
                _("Impossible de lire « {path} » : {detail}").format(
                    path=source, detail=exc.strerror or exc
                )
            ) from exc
        return _decode(data)
    raw = source.read()
    if isinstance(raw, bytes):
        return _decode(raw)
    return io.StringIO(raw.removeprefix("\ufeff"), newline="")


def _decode(data: bytes) -> IO[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PopulationFileError(
            _("Le fichier n'est pas en UTF-8 (octet invalide en position {position}).").format(
                position=exc.start
            )
        ) from exc
    return io.StringIO(text, newline="")


def _check_header(header: list[str] | None) -> None:
    if header is None or not any(cell.strip() for cell in header):
        raise PopulationFileError(
            _("Le fichier est vide : une ligne d'en-tête est attendue ({columns}).").format(
                columns=",".join(COLUMNS)
            )
        )
    names = [cell.strip().lstrip("\ufeff") for cell in header]
    missing = [column for column in COLUMNS if column not in names]
    unknown = [name for name in names if name not in COLUMNS]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    problems = []
    if missing:
        problems.append(_("colonnes manquantes : {names}").format(names=", ".join(missing)))
    if unknown:
        problems.append(_("colonnes inconnues : {names}").format(names=", ".join(unknown)))
    if duplicated:
        problems.append(_("colonnes en double : {names}").format(names=", ".join(duplicated)))
    if problems:
        raise PopulationFileError(
            _("ligne 1 : en-tête invalide ({problems}). En-tête attendu : {columns}").format(
                problems="; ".join(problems), columns=",".join(COLUMNS)
            )
        )


def _identity_reasons(issues: Iterable[IdentityIssue]) -> list[str]:
    return [issue_message(issue) for issue in issues if issue.severity is Severity.ERROR]


def _optional(value: str) -> str | None:
    value = value.strip()
    return value or None


def _parse_row(line: int, cells: dict[str, str]) -> tuple[PopulationRow | None, list[str]]:
    """A normalised row, or the reasons why it is invalid."""
    reasons: list[str] = []
    key = cells["id"].strip()
    if not key:
        reasons.append(_("identifiant (id) vide"))
    for column, limit in _LIMITS.items():
        if len(cells[column].strip()) > limit:
            reasons.append(
                _("{column} trop long ({length} caractères, {limit} au plus)").format(
                    column=column, length=len(cells[column].strip()), limit=limit
                )
            )
    birth = normalise_name(cells["birth_name"], trait=TraitName.BIRTH_NAME)
    if not birth.value:
        reasons.append(_("nom de naissance (birth_name) vide"))
    reasons += _identity_reasons(birth.issues)
    first = normalise_first_names(cells["first_names"])
    if not first.values:
        reasons.append(_("prénoms de naissance (first_names) vides"))
    reasons += _identity_reasons(first.issues)
    used = normalise_name(cells["used_name"], trait=TraitName.USED_NAME)
    reasons += _identity_reasons(used.issues)
    birth_date = _birth_date(cells["birth_date"], reasons)
    sex = cells["sex"].strip().upper()
    if sex not in _SEXES:
        reasons.append(
            _("sexe « {value} » invalide : F, M ou I attendu").format(value=cells["sex"].strip())
        )
    place_text = cells["birth_place"].strip()
    place = normalise_place_code(place_text) if place_text else None
    if place_text and place is None:
        reasons.append(
            _(
                "lieu de naissance « {value} » invalide : code INSEE de commune (75056, 2A004, "
                "97411…) ou de pays (99xxx) attendu"
            ).format(value=place_text)
        )
    nir_text = cells["nir"].strip()
    nir = compact_nir(nir_text) if nir_text else None
    if nir is not None:
        coherence = check_coherence(
            nir,
            sex=sex if sex in ("F", "M") else None,
            birth_date=birth_date,
            birth_place=place,
        )
        reasons += [
            _("NIR : {message}").format(message=nir_issue_message(issue))
            for issue in (*coherence.nir.errors, *coherence.errors)
        ]
    if reasons or birth_date is None:
        return None, reasons
    return (
        PopulationRow(
            line=line,
            key=key,
            birth_name=birth.value,
            first_names=first.text,
            used_name=used.value or None,
            birth_date=birth_date,
            sex=sex,
            birth_place=place,
            nir=nir,
            phone=_optional(cells["phone"]),
            postcode=_optional(cells["postcode"]),
            city=_optional(cells["city"]),
        ),
        [],
    )


def _birth_date(text: str, reasons: list[str]) -> date | None:
    value = text.strip()
    if not _ISO_DATE.match(value):
        reasons.append(
            _("date de naissance « {value} » invalide : format AAAA-MM-JJ attendu").format(
                value=value
            )
        )
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        reasons.append(_("date de naissance « {value} » impossible").format(value=value))
        return None
    if parsed.year < 1880:
        reasons.append(_("date de naissance « {value} » invraisemblable").format(value=value))
        return None
    return parsed


def read_population(
    source: Path | IO[str] | IO[bytes],
) -> tuple[list[PopulationRow], list[RowError]]:
    """The valid rows and the errors of a population file (all rows are checked).

    Raises :class:`PopulationFileError` when the file is unreadable, empty or has a
    wrong header.
    """
    handle = _open_text(source)
    reader = csv.reader(handle)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise PopulationFileError(
            _("ligne 1 : CSV illisible ({detail})").format(detail=exc)
        ) from exc
    _check_header(header)
    assert header is not None
    names = [cell.strip().lstrip("\ufeff") for cell in header]
    rows: list[PopulationRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(
                RowError(reader.line_num, _("CSV illisible ({detail})").format(detail=exc))
            )
            break
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue  # blank line
        if len(record) != len(names):
            errors.append(
                RowError(
                    line,
                    _("{found} valeurs au lieu de {expected}").format(
                        found=len(record), expected=len(names)
                    ),
                )
            )
            continue
        cells = dict(zip(names, record, strict=True))
        row, reasons = _parse_row(line, cells)
        key = cells["id"].strip()
        if key and key in seen:
            reasons.append(
                _("identifiant « {key} » en double (déjà ligne {line})").format(
                    key=key, line=seen[key]
                )
            )
            row = None
        elif key:
            seen[key] = line
        errors += [RowError(line, reason) for reason in reasons]
        if row is not None:
            rows.append(row)
    return rows, errors


# --------------------------------------------------------------------------- import


def _patient_values(row: PopulationRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "birth_name": row.birth_name,
        "first_names": row.first_names,
        "used_name": row.used_name,
        "birth_date": row.birth_date,
        "sex": row.sex,
        "birth_place": row.birth_place,
        "nir": row.nir,
        "phone": row.phone,
        "postcode": row.postcode,
        "city": row.city,
        "identity_status": "provisoire",
        "collection_method": "SM",
        **patient_search_columns(row.birth_name, row.first_names, row.used_name),
    }


def import_population(
    engine: Engine, source: Path | IO[str] | IO[bytes], *, skip_invalid: bool = False
) -> ImportResult:
    """Check a population file and write its patients (identity status provisoire).

    With errors, nothing is written unless ``skip_invalid``: then the valid rows are.
    An ``id`` already used as a patient key in the database is an error of its row.
    """
    rows, errors = read_population(source)
    table = Base.metadata.tables["patient"]
    with engine.begin() as conn:
        keys = [row.key for row in rows]
        taken: set[str] = set()
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            taken.update(conn.scalars(select(table.c.key).where(table.c.key.in_(part))))
        if taken:
            errors += [
                RowError(
                    row.line,
                    _("l'identifiant « {key} » existe déjà dans la base").format(key=row.key),
                )
                for row in rows
                if row.key in taken
            ]
            rows = [row for row in rows if row.key not in taken]
        errors.sort(key=lambda error: error.line)
        total = len(rows) + len({error.line for error in errors})
        if errors and not skip_invalid:
            return ImportResult(0, total, tuple(errors))
        values = [_patient_values(row) for row in rows]
        for start in range(0, len(values), _INSERT_BATCH):
            conn.execute(insert(table), values[start : start + _INSERT_BATCH])
    return ImportResult(len(values), total, tuple(errors))


# --------------------------------------------------------------------------- export


def export_population(engine: Engine, out: IO[str]) -> int:
    """Write every patient in the population format (ordered by creation); return the
    number of rows. Generated patients are exported with their generated keys."""
    table = Base.metadata.tables["patient"]
    columns = (
        table.c.key,
        table.c.birth_name,
        table.c.first_names,
        table.c.used_name,
        table.c.birth_date,
        table.c.sex,
        table.c.birth_place,
        table.c.nir,
        table.c.phone,
        table.c.postcode,
        table.c.city,
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=5000).execute(
            select(*columns).order_by(table.c.id)
        )
        for record in result:
            writer.writerow(
                [
                    "" if value is None else value.isoformat() if isinstance(value, date) else value
                    for value in record
                ]
            )
            count += 1
    return count
