"""Pools of names and streets the generator draws from, built once per seed.

Faker is slow per call (tens of microseconds), far too slow for a million people. The
pools are built once: Faker's ``fr_FR`` locale (seeded with the world seed) gives the
street names; the name lists of Faker's person providers (static data, no randomness)
and ``fake_data/`` give the names. The generator then draws from the pools with its own
``random.Random``, a few hundred nanoseconds a draw.

Every name is stored in the RNIV typing form (capitals, no diacritics, hyphens,
apostrophes and inner spaces kept) through :func:`simsec.rules.identity.normalise_name`;
a name that the rules would reject (a character outside the allowed set) is left out.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from faker import Faker

from simsec.rules.identity import normalise_name
from simsec.world.reference import ReferenceData

__all__ = ["NamePools", "WeightedPool", "build_pools"]

#: Number of distinct street names drawn from Faker per world.
STREETS: Final = 2500
#: French surnames: Faker's fr_FR list is ordered by frequency; the other French-speaking
#: lists (Belgium, Canada, Switzerland) add variety with a lower weight.
_FRENCH_LOCALES: Final = (("fr_FR", 1.0), ("fr_BE", 0.25), ("fr_CA", 0.15), ("fr_CH", 0.1))
#: Diminutive and derivative endings of French surnames (MARTIN → MARTINEAU, MARTINET...).
_SUFFIXES: Final = ("EAU", "ET", "OT", "ON", "IN")
_VOWELS: Final = frozenset("AEIOUY")


@dataclass(frozen=True, slots=True)
class WeightedPool:
    """Names with cumulative weights, for ``random.choices(..., cum_weights=...)``."""

    names: tuple[str, ...]
    cum_weights: tuple[float, ...]

    @classmethod
    def of(cls, names: Sequence[str], weights: Sequence[float] | None = None) -> WeightedPool:
        if not names:
            raise ValueError("empty pool")
        ws = weights if weights is not None else [1.0] * len(names)
        return cls(tuple(names), tuple(itertools.accumulate(float(w) for w in ws)))


@dataclass(frozen=True, slots=True)
class NamePools:
    french_last: WeightedPool
    """French surnames (most common first), with derived forms."""
    origin_last: dict[str, WeightedPool]
    """Name-pool id of a country (``maghreb``, ``pt_PT``...) → surnames."""
    origin_first: dict[tuple[str, str], WeightedPool]
    """(name-pool id, sex) → first names."""
    streets: tuple[str, ...]
    """Street names (``rue Étienne Coulon``), as Faker writes them."""


def _clean(raw: str) -> str | None:
    """The RNIV form of a name, or None when the identity rules would refuse it."""
    result = normalise_name(raw)
    if not result.value or not result.ok:
        return None
    return result.value


def _unique_clean(raw_names: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for raw in raw_names:
        name = _clean(raw)
        if name is not None and name not in seen:
            seen[name] = None
    return list(seen)


def _provider_names(locale: str, *attributes: str) -> list[str]:
    """Names from the static lists of Faker's person provider of ``locale``."""
    module = importlib.import_module(f"faker.providers.person.{locale}")
    provider = module.Provider
    names: list[str] = []
    for attribute in attributes:
        value = getattr(provider, attribute, None)
        if value:
            names.extend(str(name) for name in value)
    return names


def _derived(base: str) -> list[str]:
    """Plausible French surnames derived from ``base`` with a diminutive ending
    (MARTIN → MARTINEAU, GARNIER → no: only stems ending in a single consonant)."""
    if not base.isalpha() or len(base) < 4:
        return []
    stem = base[:-1] if base[-1] in "ETDS" else base
    if stem[-1] in _VOWELS or stem[-2] not in _VOWELS:
        return []
    return [stem + suffix for suffix in _SUFFIXES if not base.endswith(suffix)]


def _french_last() -> WeightedPool:
    names: list[str] = []
    weights: list[float] = []
    seen: set[str] = set()
    for locale, factor in _FRENCH_LOCALES:
        for rank, name in enumerate(_unique_clean(_provider_names(locale, "last_names"))):
            if name in seen:
                continue
            seen.add(name)
            names.append(name)
            # Zipf-like: the first names of Faker's fr_FR list are the most frequent.
            weights.append(factor * 40.0 / (rank + 40.0))
    for base in list(names[:400]):
        for name in _derived(base):
            if name not in seen:
                seen.add(name)
                names.append(name)
                weights.append(0.01)
    return WeightedPool.of(names, weights)


def _origin_pools(
    reference: ReferenceData,
) -> tuple[dict[str, WeightedPool], dict[tuple[str, str], WeightedPool]]:
    last: dict[str, WeightedPool] = {}
    first: dict[tuple[str, str], WeightedPool] = {}
    for pool_id in sorted({country.names for country in reference.countries}):
        if pool_id == "fr":
            continue
        if (pool_id, "last") in reference.origin_names:
            last_names = _unique_clean(reference.origin_names[(pool_id, "last")])
            male = _unique_clean(reference.origin_names[(pool_id, "first_m")])
            female = _unique_clean(reference.origin_names[(pool_id, "first_f")])
        else:
            last_names = _unique_clean(
                _provider_names(pool_id, "last_names", "last_names_male", "last_names_female")
            )
            male = _unique_clean(_provider_names(pool_id, "first_names_male"))
            female = _unique_clean(_provider_names(pool_id, "first_names_female"))
        if not (last_names and male and female):
            continue
        last[pool_id] = WeightedPool.of(last_names)
        first[(pool_id, "M")] = WeightedPool.of(male)
        first[(pool_id, "F")] = WeightedPool.of(female)
    return last, first


def build_pools(seed: int, reference: ReferenceData) -> NamePools:
    """The pools of one world. Only the street names depend on ``seed`` (Faker ``fr_FR``
    seeded with it); the name lists are static data."""
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    streets: dict[str, None] = {}
    for _ in range(STREETS * 2):
        streets[fake.street_name()] = None
        if len(streets) >= STREETS:
            break
    origin_last, origin_first = _origin_pools(reference)
    return NamePools(
        french_last=_french_last(),
        origin_last=origin_last,
        origin_first=origin_first,
        streets=tuple(streets),
    )
