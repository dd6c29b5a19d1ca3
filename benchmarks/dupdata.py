"""Benchmark and test data for the patient search and the doublon detection.

A seeded, fast generator of a French-looking population of patients, of search queries
typed with realistic errors, and of a data set with injected doublons and homonym traps.
It draws nothing from the network and needs no reference file: names come from Faker's
``fr_FR`` lists (the 400 most frequent French surnames, in frequency order, and about 220
first names) plus synthetic French-sounding surnames for the long tail.

Population model (:func:`make_population`)
------------------------------------------
- **Surnames**: the 400 Faker surnames followed by up to 200 000 synthetic ones (French
  syllables, 4 % with a particle ``LE``/``DE``/``DU``/``D'``…, 3 % double-barrelled with a
  hyphen), drawn with a Zipf-like law ``1 / (rank + 60) ** 0.93``: the most frequent name
  (MARTIN) takes about 0.35 % of the population, as in France (INSEE, fichier des noms
  1891-1990), and a million patients carry well over 100 000 distinct surnames.
- **First names**: 1 first name (55 %), 2 (35 %) or 3 (10 %), drawn by sex with a
  Zipf-like law; 12 % of the first first names are compound (``JEAN-PIERRE``,
  ``MARIE-CLAIRE``).
- **Birth date**: uniform over 1930-01-01 … 2023-12-31 (~27 patients a day per million).
- **Sex**: F or M, one half each.
- **Birth place**: 86 % a metropolitan commune (department + 3-digit commune, Corsica
  ``2A``/``2B``), 2 % overseas (``971``-``976`` + 2 digits), 12 % abroad (``99`` + INSEE
  country code). The commune codes have the INSEE shape but are not all real communes.
- **NIR**: present for 90 % of the patients, always valid and coherent with sex, year and
  month of birth and birth place (key ``97 - N mod 97``, Corsica ``20`` before 1976).
- **Used name**: 70 % of the women born before 2000 carry a married name (another
  surname), 2 % of the others a used name.
- **Twins**: 1 % of the patients are one of a pair of twins: same birth name, birth date,
  birth place, phone and postcode, *different* first first name, own NIR (next order
  number). They are two people, never doublons.
- Every name is stored in RNIV typography (capitals, no diacritics, hyphens,
  apostrophes and inner spaces kept), as simsec stores them after normalisation.

Search error model (:func:`make_queries`)
-----------------------------------------
A query is built from the traits of a known record, in one of these shapes:
birth name + first name + birth date (60 %), the RNIV short form "date + first
3 letters of the name" (15 %, with the first name too half of the time), or a free text
``"dupont marie 12/04/1985"`` in any order (25 %). The first name given is the first
first name (70 %) or the whole list. Then 1 error (65 %) or 2 errors (35 %), each drawn
among those that apply to the record:

========================  =====  ====================================================
error                     weight what it does
========================  =====  ====================================================
``typo_birth_name``        25    one keyboard slip in the name: a neighbour key, a
                                 dropped, doubled or swapped letter (rarely the first)
``typo_first_name``        15    the same slip in the first name
``accents_case``           20    lower/title case and accents added ("Lefèvre", "hélène")
``hyphen_space``           10    a hyphen typed as a space or the reverse, or dropped
``first_names_order``      10    the first names in another order (2 or more)
``used_name_as_birth``     20    the used (married) name typed as the birth name
``swapped_day_month``      15    day and month swapped (only when both are ≤ 12)
========================  =====  ====================================================

Doublon error model (:func:`make_dup_dataset`)
----------------------------------------------
A population of ``n`` records of which ``dup_rate`` (5 %) are doublons: copies of a
distinct original record made at another admission, each with 1 to 3 errors drawn
among the search errors that change a stored record (``typo_birth_name``,
``typo_first_name``, ``hyphen_space``, ``first_names_order``, ``used_name_as_birth``,
``swapped_day_month``), plus ``only_first_first_name`` (the later first names
omitted), ``missing_birth_place`` and ``missing_nir``; the phone is kept half of the
time. Homonym traps are added: **twins** (1 % of the people, as in the population),
and **homonyms** (0.4 % of the records, far more than chance would give): another
person with the same birth name, first names and birth date but a different birth
place and a different NIR (one of the two NIRs missing a third of the time), or the
same birth place and a different NIR. Neither is a doublon.
The ground truth is the set of (original, doublon) id pairs.

Everything is deterministic for a given seed.
"""

from __future__ import annotations

import bisect
import itertools
import random
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import cast

from sqlalchemy import Engine, Table, insert
from sqlalchemy.schema import CreateTable
from stdnum.fr import nir as stdnum_nir

from simsec.db.engine import make_engine
from simsec.db.models import Patient
from simsec.services.search_keys import patient_search_columns

__all__ = [
    "DupDataset",
    "Query",
    "Record",
    "build_sqlite",
    "insert_records",
    "make_dup_dataset",
    "make_population",
    "make_queries",
]

FIRST_DATE = date(1930, 1, 1)
LAST_DATE = date(2023, 12, 31)
CORSICA_SPLIT = date(1976, 1, 1)


@dataclass(frozen=True, slots=True)
class Record:
    """One patient record as it is stored (RNIV typography)."""

    id: str
    birth_name: str
    first_names: str
    used_name: str | None
    birth_date: date
    sex: str
    birth_place: str | None
    nir: str | None
    phone: str | None
    postcode: str | None
    person: int  # the real person behind the record (ground truth)


@dataclass(frozen=True, slots=True)
class Query:
    """A search typed at the desk for the record ``target`` (with ``errors``)."""

    target: str
    birth_name: str | None = None
    first_name: str | None = None
    birth_date: date | None = None
    text: str | None = None
    errors: tuple[str, ...] = ()


@dataclass
class DupDataset:
    records: list[Record]
    true_pairs: set[frozenset[str]]
    twin_pairs: set[frozenset[str]] = field(default_factory=set)
    homonym_pairs: set[frozenset[str]] = field(default_factory=set)


# ------------------------------------------------------------------------------ names


def fold(text: str) -> str:
    """RNIV typography: capitals without diacritics (Œ → OE, Æ → AE)."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


_ONSETS = [
    "B",
    "BR",
    "C",
    "CH",
    "D",
    "DR",
    "F",
    "FR",
    "G",
    "GR",
    "J",
    "L",
    "M",
    "N",
    "P",
    "PR",
    "R",
    "S",
    "T",
    "TR",
    "V",
] + [""] * 2
_NUCLEI = ["A", "A", "A", "E", "E", "I", "O", "O", "OU", "AU", "U", "AI"]
_CODAS = ["R", "L", "N", "S"]
_ENDINGS = [
    "ET",
    "IN",
    "EAU",
    "IER",
    "ARD",
    "AUD",
    "OT",
    "ON",
    "AND",
    "ERT",
    "EL",
    "AS",
    "Y",
    "AC",
    "OUX",
    "ERON",
    "IAT",
    "ELLE",
    "IN",
    "ENS",
    "IGNY",
    "EUIL",
    "ARGUES",
] + [""] * 3
_VOWELS = frozenset("AEIOUY")
_PARTICLES = ("LE ", "LA ", "DE ", "DU ", "D'", "DE LA ", "LE ")


def _synthetic_surnames(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    seen = set(taken)
    while len(names) < count:
        syllables = rng.choice((1, 1, 2, 2, 2, 3))
        stem = "".join(
            rng.choice(_ONSETS)
            + rng.choice(_NUCLEI)
            + (rng.choice(_CODAS) if rng.random() < 0.2 else "")
            for _ in range(syllables)
        )
        ending = rng.choice(_ENDINGS)
        if ending[:1] in _VOWELS and stem[-1:] in _VOWELS:
            stem += rng.choice("RLNTDSV")
        name = stem + ending
        if len(name) < 3 or name in seen:
            continue
        seen.add(name)
        names.append(name)
    for i in range(len(names)):
        roll = rng.random()
        if roll < 0.04:
            names[i] = rng.choice(_PARTICLES) + names[i]
        elif roll < 0.07:
            names[i] += "-" + names[rng.randrange(len(names))].split()[-1].split("-")[0]
    return names


def _zipf_cum_weights(size: int, offset: float, exponent: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + offset) ** exponent for rank in range(size)))


@dataclass
class _Names:
    surnames: list[str]
    surname_cum: list[float]
    male: list[str]
    male_cum: list[float]
    female: list[str]
    female_cum: list[float]
    accented: dict[str, str]  # folded name → its usual accented spelling

    def surname(self, rng: random.Random) -> str:
        return _draw(rng, self.surnames, self.surname_cum)

    def first_name(self, rng: random.Random, sex: str) -> str:
        if sex == "F":
            return _draw(rng, self.female, self.female_cum)
        return _draw(rng, self.male, self.male_cum)


def _draw(rng: random.Random, items: Sequence[str], cum: Sequence[float]) -> str:
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


def _name_tables(seed: int, synthetic: int = 200_000) -> _Names:
    from faker.providers.person.fr_FR import Provider

    rng = random.Random(f"names-{seed}")
    accented: dict[str, str] = {}
    real: list[str] = []
    for name in Provider.last_names:
        folded = fold(name)
        if folded not in accented:
            real.append(folded)
            accented[folded] = name
    surnames = real + _synthetic_surnames(rng, synthetic, set(real))

    def first_names(source: Iterable[str]) -> list[str]:
        out: list[str] = []
        for name in source:
            folded = fold(name)
            if folded not in accented:
                accented[folded] = name
            if folded not in out:
                out.append(folded)
        rng.shuffle(out)
        return out

    male = first_names(Provider.first_names_male)
    female = first_names(Provider.first_names_female)
    return _Names(
        surnames=surnames,
        surname_cum=_zipf_cum_weights(len(surnames), 60.0, 0.93),
        male=male,
        male_cum=_zipf_cum_weights(len(male), 5.0, 1.0),
        female=female,
        female_cum=_zipf_cum_weights(len(female), 5.0, 1.0),
        accented=accented,
    )


# ------------------------------------------------------------------------ birth place

_COUNTRIES = [
    "99350",
    "99352",
    "99351",
    "99109",
    "99134",
    "99139",
    "99127",
    "99131",
    "99132",
    "99100",
    "99122",
    "99216",
    "99243",
    "99401",
    "99345",
    "99341",
    "99330",
    "99322",
    "99335",
    "99326",
]
_OVERSEAS = ("971", "972", "973", "974", "976")
_DEPARTMENTS = [f"{d:02d}" for d in range(1, 96) if d != 20] + ["2A", "2B"]


def _birth_place(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.86:
        return rng.choice(_DEPARTMENTS) + f"{rng.randint(1, 450):03d}"
    if roll < 0.88:
        return rng.choice(_OVERSEAS) + f"{rng.randint(1, 30):02d}"
    return rng.choice(_COUNTRIES)


def make_nir(sex: str, birth_date: date, birth_place: str, order: int) -> str:
    """A valid NIR coherent with the traits (décret 82-103 art. 4; key as stdnum)."""
    place = birth_place
    if place[:2] in ("2A", "2B") and birth_date < CORSICA_SPLIT:
        place = "20" + place[2:]
    body = f"{1 if sex == 'M' else 2}{birth_date.year % 100:02d}{birth_date.month:02d}"
    body += f"{place}{order:03d}"
    return body + str(stdnum_nir.calc_check_digits(body))


# ------------------------------------------------------------------------- population


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.names = _name_tables(seed)
        self.span = (LAST_DATE - FIRST_DATE).days
        self.person = itertools.count()

    def first_names(self, sex: str) -> str:
        rng = self.rng
        count = rng.choices((1, 2, 3), (55, 35, 10))[0]
        chosen: list[str] = []
        while len(chosen) < count:
            name = self.names.first_name(rng, sex)
            if name not in chosen:
                chosen.append(name)
        if rng.random() < 0.12:
            head = "MARIE" if sex == "F" else "JEAN"
            if chosen[0] != head:
                chosen[0] = f"{head}-{chosen[0]}"
        return " ".join(chosen)

    def person_record(self, rid: str) -> Record:
        rng = self.rng
        sex = "F" if rng.random() < 0.5 else "M"
        birth_date = FIRST_DATE + timedelta(days=rng.randrange(self.span + 1))
        place = _birth_place(rng)
        used = None
        married = sex == "F" and birth_date.year < 2000 and rng.random() < 0.7
        if married or rng.random() < 0.02:
            used = self.names.surname(rng)
        nir = make_nir(sex, birth_date, place, rng.randint(1, 990)) if rng.random() < 0.9 else None
        return Record(
            id=rid,
            birth_name=self.names.surname(rng),
            first_names=self.first_names(sex),
            used_name=used,
            birth_date=birth_date,
            sex=sex,
            birth_place=place,
            nir=nir,
            phone=f"0{rng.choice('1234567')}{rng.randrange(10**8):08d}",
            postcode=f"{rng.randint(1, 95):02d}{rng.randrange(1000):03d}",
            person=next(self.person),
        )

    def twin(self, base: Record, rid: str) -> Record:
        rng = self.rng
        sex = "F" if rng.random() < 0.5 else "M"
        taken = {base.first_names.split()[0]}
        while True:
            first = self.first_names(sex)
            if first.split()[0] not in taken:
                break
        nir = None
        if base.nir is not None and base.birth_place is not None:
            nir = make_nir(sex, base.birth_date, base.birth_place, int(base.nir[10:13]) % 990 + 1)
        used = base.used_name if sex == base.sex and base.birth_date.year >= 2000 else None
        if sex == "F" and base.birth_date.year < 2000 and rng.random() < 0.7:
            used = self.names.surname(rng)
        return replace(
            base, id=rid, first_names=first, sex=sex, nir=nir, used_name=used,
            person=next(self.person),
        )  # fmt: skip

    def population(self, n: int, prefix: str, twin_rate: float = 0.01) -> list[Record]:
        records: list[Record] = []
        while len(records) < n:
            rid = f"{prefix}{len(records):07d}"
            if records and self.rng.random() < twin_rate / 2 and len(records) + 1 < n:
                base = self.person_record(rid)
                records.append(base)
                records.append(self.twin(base, f"{prefix}{len(records):07d}"))
            else:
                records.append(self.person_record(rid))
        return records


def make_population(n: int, seed: int = 1, prefix: str = "p") -> list[Record]:
    """``n`` records of distinct people (twins included), ids ``p0000000``…"""
    return _Builder(seed).population(n, prefix)


# --------------------------------------------------------------------------- errors

_KEYBOARD_ROWS = ("AZERTYUIOP", "QSDFGHJKLM", "WXCVBN")  # French AZERTY


def _neighbours() -> dict[str, str]:
    out: dict[str, str] = {}
    for r, row in enumerate(_KEYBOARD_ROWS):
        for c, ch in enumerate(row):
            near = [row[i] for i in (c - 1, c + 1) if 0 <= i < len(row)]
            for other in (r - 1, r + 1):
                if 0 <= other < len(_KEYBOARD_ROWS):
                    near += [
                        _KEYBOARD_ROWS[other][i]
                        for i in (c - 1, c, c + 1)
                        if 0 <= i < len(_KEYBOARD_ROWS[other])
                    ]
            out[ch] = "".join(near)
    return out


_NEAR = _neighbours()


def typo(rng: random.Random, text: str) -> str:
    """One keyboard slip: a neighbour key, a dropped, doubled or swapped letter.

    The first letter is hit 1 time in 10 only (typists check the start of a name)."""
    positions = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(positions) < 3:
        return text
    inner = positions[1:] if rng.random() > 0.1 else positions
    i = rng.choice(inner)
    kind = rng.choice(("substitute", "delete", "double", "swap"))
    if kind == "substitute":
        return text[:i] + rng.choice(_NEAR.get(text[i], "E")) + text[i + 1 :]
    if kind == "delete":
        return text[:i] + text[i + 1 :]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    j = i + 1 if i + 1 < len(text) and text[i + 1].isalpha() else i - 1
    lo, hi = min(i, j), max(i, j)
    return text[:lo] + text[hi] + text[lo] + text[hi + 1 :]


def _accents_case(rng: random.Random, names: _Names, text: str) -> str:
    words = []
    for word in text.split(" "):
        spelled = names.accented.get(word)
        if spelled is None:
            spelled = word.capitalize()
            if "E" in word[1:] and rng.random() < 0.6:
                k = word.index("E", 1)
                spelled = spelled[:k] + rng.choice("éè") + spelled[k + 1 :]
        words.append(spelled.lower() if rng.random() < 0.5 else spelled)
    return " ".join(words)


def _hyphen_space(rng: random.Random, text: str) -> str:
    if "-" in text:
        return text.replace("-", rng.choice((" ", "")), 1)
    if " " in text:
        return text.replace(" ", "-", 1)
    return text


def _swap_day_month(d: date) -> date:
    return date(d.year, d.day, d.month)


def _can_swap(d: date) -> bool:
    return d.day <= 12 and d.day != d.month


def _applicable(record: Record, kinds: Sequence[str]) -> list[str]:
    out = []
    for kind in kinds:
        if kind == "used_name_as_birth" and not record.used_name:
            continue
        if kind == "swapped_day_month" and not _can_swap(record.birth_date):
            continue
        if kind == "first_names_order" and len(record.first_names.split()) < 2:
            continue
        if kind == "only_first_first_name" and len(record.first_names.split()) < 2:
            continue
        if kind == "hyphen_space" and not any(
            sep in record.birth_name + record.first_names for sep in "- "
        ):
            continue
        if kind == "missing_nir" and record.nir is None:
            continue
        if kind == "missing_birth_place" and record.birth_place is None:
            continue
        out.append(kind)
    return out


def _draw_errors(
    rng: random.Random, record: Record, weights: dict[str, int], count: int
) -> list[str]:
    kinds = _applicable(record, list(weights))
    chosen: list[str] = []
    while kinds and len(chosen) < count:
        kind = rng.choices(kinds, [weights[k] for k in kinds])[0]
        kinds.remove(kind)
        chosen.append(kind)
    return chosen


_QUERY_ERRORS = {
    "typo_birth_name": 25,
    "typo_first_name": 15,
    "accents_case": 20,
    "hyphen_space": 10,
    "first_names_order": 10,
    "used_name_as_birth": 20,
    "swapped_day_month": 15,
}


def _format_date(rng: random.Random, d: date) -> str:
    style = rng.randrange(3)
    if style == 0:
        return d.strftime("%d/%m/%Y")
    if style == 1:
        return d.isoformat()
    return d.strftime("%d%m%Y")


def make_queries(records: Sequence[Record], count: int, seed: int = 7) -> list[Query]:
    """``count`` queries typed for known ``records`` with the search error model."""
    rng = random.Random(seed)
    names = _name_tables(0, synthetic=0)
    queries: list[Query] = []
    for record in rng.sample(list(records), count):
        errors = _draw_errors(rng, record, _QUERY_ERRORS, 1 if rng.random() < 0.65 else 2)
        name = record.birth_name
        firsts = record.first_names.split()
        birth_date = record.birth_date
        for kind in errors:
            if kind == "used_name_as_birth":
                name = record.used_name or name
            elif kind == "swapped_day_month":
                birth_date = _swap_day_month(birth_date)
            elif kind == "first_names_order":
                firsts = firsts[1:] + firsts[:1]
        whole = rng.random() < 0.3 or "first_names_order" in errors
        first = " ".join(firsts) if whole else firsts[0]
        for kind in errors:
            if kind == "typo_birth_name":
                name = typo(rng, name)
            elif kind == "typo_first_name":
                first = typo(rng, first)
            elif kind == "hyphen_space":
                if any(sep in name for sep in "- ") and ("-" not in first or rng.random() < 0.5):
                    name = _hyphen_space(rng, name)
                else:
                    first = _hyphen_space(rng, first)
            elif kind == "accents_case":
                name = _accents_case(rng, names, name)
                first = _accents_case(rng, names, first)
        shape = rng.random()
        if shape < 0.6:
            query = Query(record.id, name, first, birth_date, errors=tuple(errors))
        elif shape < 0.75:
            short = name.replace(" ", "")[:3]
            given = first if rng.random() < 0.5 else None
            query = Query(record.id, short, given, birth_date, errors=(*errors, "prefix"))
        else:
            parts = [name, first, _format_date(rng, birth_date)]
            rng.shuffle(parts)
            query = Query(record.id, text=" ".join(parts), errors=(*errors, "text"))
        queries.append(query)
    return queries


# ------------------------------------------------------------------------- doublons

_DUP_ERRORS = {
    "typo_birth_name": 25,
    "typo_first_name": 15,
    "hyphen_space": 8,
    "first_names_order": 8,
    "only_first_first_name": 12,
    "used_name_as_birth": 20,
    "swapped_day_month": 12,
    "missing_birth_place": 20,
    "missing_nir": 25,
}


def make_doublon(rng: random.Random, original: Record, rid: str) -> Record:
    """A second record of the same person, typed with 1 to 3 errors."""
    errors = _draw_errors(rng, original, _DUP_ERRORS, rng.choices((1, 2, 3), (50, 35, 15))[0])
    out = replace(original, id=rid)
    if rng.random() < 0.5:
        out = replace(out, phone=None if rng.random() < 0.5 else f"06{rng.randrange(10**8):08d}")
    for kind in errors:
        if kind == "typo_birth_name":
            out = replace(out, birth_name=typo(rng, out.birth_name))
        elif kind == "typo_first_name":
            firsts = out.first_names.split()
            k = 0 if rng.random() < 0.7 else rng.randrange(len(firsts))
            firsts[k] = typo(rng, firsts[k])
            out = replace(out, first_names=" ".join(firsts))
        elif kind == "hyphen_space":
            if any(sep in out.birth_name for sep in "- ") and rng.random() < 0.5:
                out = replace(out, birth_name=_hyphen_space(rng, out.birth_name))
            else:
                out = replace(out, first_names=_hyphen_space(rng, out.first_names))
        elif kind == "first_names_order":
            firsts = out.first_names.split()
            out = replace(out, first_names=" ".join(firsts[1:] + firsts[:1]))
        elif kind == "only_first_first_name":
            out = replace(out, first_names=out.first_names.split()[0])
        elif kind == "used_name_as_birth":
            out = replace(out, birth_name=original.used_name or out.birth_name)
        elif kind == "swapped_day_month":
            out = replace(out, birth_date=_swap_day_month(out.birth_date))
        elif kind == "missing_birth_place":
            out = replace(out, birth_place=None)
        elif kind == "missing_nir":
            out = replace(out, nir=None)
    return out


def _homonym(builder: _Builder, base: Record, rid: str) -> Record:
    rng = builder.rng
    other = builder.person_record(rid)
    # same place only when both NIRs are there to tell them apart (a conflicting NIR)
    same_place = base.nir is not None and rng.random() < 0.25
    place = base.birth_place if same_place and base.birth_place else other.birth_place
    while place == base.birth_place and not same_place:
        place = _birth_place(rng)
    assert place is not None
    order = (int(base.nir[10:13]) % 990 + 7) if base.nir else rng.randint(1, 990)
    nir: str | None = make_nir(base.sex, base.birth_date, place, order)
    if not same_place and rng.random() < 0.33:
        nir = None
    return replace(
        other, birth_name=base.birth_name, first_names=base.first_names, sex=base.sex,
        birth_date=base.birth_date, birth_place=place, nir=nir,
    )  # fmt: skip


def make_dup_dataset(
    n: int,
    dup_rate: float = 0.05,
    twin_rate: float = 0.01,
    homonym_rate: float = 0.004,
    seed: int = 3,
) -> DupDataset:
    """``n`` records: people (``twin_rate`` of them twins), their doublons
    (``dup_rate`` of the records) and homonyms (``homonym_rate`` of the records)."""
    builder = _Builder(seed)
    rng = builder.rng
    n_dups = round(n * dup_rate)
    n_homonyms = round(n * homonym_rate)
    base = builder.population(n - n_dups - n_homonyms, "p", twin_rate=twin_rate)
    records = list(base)
    twins = {
        frozenset((a.id, b.id))
        for a, b in itertools.pairwise(base)
        if a.birth_date == b.birth_date and a.birth_name == b.birth_name and a.person != b.person
    }
    picks = rng.sample(base, n_dups + n_homonyms)
    true_pairs: set[frozenset[str]] = set()
    for i, original in enumerate(picks[:n_dups]):
        dup = make_doublon(rng, original, f"d{i:07d}")
        records.append(dup)
        true_pairs.add(frozenset((original.id, dup.id)))
    homonyms: set[frozenset[str]] = set()
    for i, original in enumerate(picks[n_dups:]):
        other = _homonym(builder, original, f"h{i:07d}")
        records.append(other)
        homonyms.add(frozenset((original.id, other.id)))
    rng.shuffle(records)
    return DupDataset(records, true_pairs, twins, homonyms)


# ---------------------------------------------------------------------------- storage


def _rows(records: Iterable[Record]) -> Iterator[dict[str, object]]:
    for r in records:
        row: dict[str, object] = {
            "key": r.id,
            "birth_name": r.birth_name,
            "first_names": r.first_names,
            "used_name": r.used_name,
            "birth_date": r.birth_date,
            "sex": r.sex,
            "birth_place": r.birth_place,
            "nir": r.nir,
            "phone": r.phone,
            "postcode": r.postcode,
            "identity_status": "provisoire",
            "ins_retrieved": False,
            "douteuse": False,
            "fictive": False,
            "homonyme": False,
            "access_opposition": False,
        }
        row.update(patient_search_columns(r.birth_name, r.first_names, r.used_name))
        yield row


def insert_records(engine: Engine, records: Sequence[Record], batch: int = 20_000) -> None:
    """Create the ``patient`` table and insert ``records`` with Core batched inserts;
    the indexes are built after the rows (much faster than row by row)."""
    table = cast(Table, Patient.__table__)
    with engine.begin() as conn:
        conn.execute(CreateTable(table, if_not_exists=True))
        stmt = insert(table)
        rows = _rows(records)
        while chunk := list(itertools.islice(rows, batch)):
            conn.execute(stmt, chunk)
        for index in table.indexes:
            index.create(conn, checkfirst=True)
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")


def build_sqlite(path: Path, records: Sequence[Record]) -> Engine:
    """An SQLite file at ``path`` holding ``records`` (rebuilt from scratch)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    insert_records(engine, records)
    return engine
