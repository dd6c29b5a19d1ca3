"""Reference data the fake world is drawn from (``fake_data/`` at the top of the repository).

Every file and its source is described in ``fake_data/README.md``:

- ``communes.csv``: a subset of the INSEE Code officiel géographique (COG): every
  department's chef-lieu, large towns, the municipal arrondissements of Paris, Lyon and
  Marseille, overseas communes; with a main postcode and a rough population (thousands,
  used only as a drawing weight);
- ``former_communes.csv``: communes absorbed by a commune nouvelle (their code is still
  the birth place of the people born there before the merger);
- ``countries.csv``: INSEE country codes (``99xxx``) of common countries of birth, with a
  drawing weight, the CEAM flag (EU/EEA/Switzerland/UK) and the name pool to use;
- ``departments.csv``: departments with the caisse of the régime général;
- ``first_names.csv``: French first names by decade of birth and sex, with a weight;
- ``names_by_origin.csv``: romanised names of origins Faker does not cover in Latin script;
- ``mutuelles.csv``: fictitious complementary insurers.

The files are read once per directory (cached) into frozen dataclasses.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Final

__all__ = [
    "Commune",
    "Country",
    "Department",
    "FormerCommune",
    "Mutuelle",
    "ReferenceData",
    "default_fake_data_dir",
    "load_reference",
]

#: The municipal arrondissements of a commune are listed with ``kind=arrondissement``.
ARRONDISSEMENT: Final = "arrondissement"


@dataclass(frozen=True, slots=True)
class Commune:
    """A commune (or municipal arrondissement) of the COG."""

    code: str
    name: str
    department: str
    postcode: str
    weight: int
    kind: str  # chef-lieu | commune | arrondissement


@dataclass(frozen=True, slots=True)
class FormerCommune:
    """A commune merged into a commune nouvelle on ``merged_on``."""

    code: str
    name: str
    department: str
    postcode: str
    merged_into: str
    merged_on: date


@dataclass(frozen=True, slots=True)
class Country:
    """A country of birth: INSEE code ``99xxx``, drawing weight, CEAM holder, name pool."""

    code: str
    name: str
    weight: int
    ceam: bool
    names: str


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    name: str
    caisse: str


@dataclass(frozen=True, slots=True)
class Mutuelle:
    name: str
    weight: int


@dataclass(frozen=True, slots=True)
class ReferenceData:
    """Everything in ``fake_data/``, indexed for the generator."""

    communes: tuple[Commune, ...]
    """Communes (not arrondissements), in file order."""
    arrondissements: Mapping[str, tuple[Commune, ...]]
    """Commune code → its municipal arrondissements (Paris, Lyon, Marseille)."""
    former_communes: Mapping[str, tuple[FormerCommune, ...]]
    """Code of the commune nouvelle → the communes merged into it."""
    countries: tuple[Country, ...]
    departments: Mapping[str, Department]
    mutuelles: tuple[Mutuelle, ...]
    first_names: Mapping[tuple[int, str], tuple[tuple[str, ...], tuple[int, ...]]]
    """(decade, sex) → (names, weights)."""
    origin_names: Mapping[tuple[str, str], tuple[str, ...]]
    """(origin, ``last`` | ``first_m`` | ``first_f``) → names."""

    @property
    def decades(self) -> tuple[int, ...]:
        return tuple(sorted({decade for decade, _ in self.first_names}))

    def place_codes(self) -> frozenset[str]:
        """Every commune, arrondissement, former commune and country code of the data."""
        codes = {c.code for c in self.communes}
        codes |= {a.code for group in self.arrondissements.values() for a in group}
        codes |= {f.code for group in self.former_communes.values() for f in group}
        codes |= {c.code for c in self.countries}
        return frozenset(codes)


def default_fake_data_dir() -> Path:
    """``fake_data/`` at the root of the source tree (next to ``simsec/``)."""
    return Path(__file__).resolve().parents[2] / "fake_data"


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _first_names(path: Path) -> dict[tuple[int, str], tuple[tuple[str, ...], tuple[int, ...]]]:
    grouped: dict[tuple[int, str], list[tuple[str, int]]] = defaultdict(list)
    for row in _rows(path):
        grouped[(int(row["decade"]), row["sex"])].append((row["name"], int(row["weight"])))
    return {
        key: (tuple(name for name, _ in items), tuple(weight for _, weight in items))
        for key, items in grouped.items()
    }


@lru_cache(maxsize=4)
def load_reference(directory: Path | None = None) -> ReferenceData:
    """Read the reference files of ``directory`` (default: :func:`default_fake_data_dir`)."""
    base = directory or default_fake_data_dir()
    communes: list[Commune] = []
    arrondissements: dict[str, list[Commune]] = defaultdict(list)
    for row in _rows(base / "communes.csv"):
        commune = Commune(
            code=row["code"],
            name=row["name"],
            department=row["department"],
            postcode=row["postcode"],
            weight=int(row["population_k"]),
            kind=row["kind"],
        )
        if commune.kind == ARRONDISSEMENT:
            parent = {"75": "75056", "69": "69123", "13": "13055"}[commune.department]
            arrondissements[parent].append(commune)
        else:
            communes.append(commune)
    former: dict[str, list[FormerCommune]] = defaultdict(list)
    for row in _rows(base / "former_communes.csv"):
        former[row["merged_into"]].append(
            FormerCommune(
                code=row["code"],
                name=row["name"],
                department=row["department"],
                postcode=row["postcode"],
                merged_into=row["merged_into"],
                merged_on=date.fromisoformat(row["merged_on"]),
            )
        )
    countries = tuple(
        Country(
            code=row["code"],
            name=row["name"],
            weight=int(row["weight"]),
            ceam=row["ceam"] == "1",
            names=row["names"],
        )
        for row in _rows(base / "countries.csv")
    )
    departments = {
        row["code"]: Department(row["code"], row["name"], row["caisse"])
        for row in _rows(base / "departments.csv")
    }
    mutuelles = tuple(
        Mutuelle(row["name"], int(row["share"])) for row in _rows(base / "mutuelles.csv")
    )
    origin: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in _rows(base / "names_by_origin.csv"):
        origin[(row["origin"], row["kind"])].append(row["name"])
    return ReferenceData(
        communes=tuple(communes),
        arrondissements={code: tuple(items) for code, items in arrondissements.items()},
        former_communes={code: tuple(items) for code, items in former.items()},
        countries=countries,
        departments=departments,
        mutuelles=mutuelles,
        first_names=_first_names(base / "first_names.csv"),
        origin_names={key: tuple(items) for key, items in origin.items()},
    )
