"""Search before creating: find the patients that may be the person at the desk.

RNIV practice (volet 1, identification primaire; identito-na.fr): the **date of birth** is
the first criterion, narrowed by **at most 3 first letters** of the name; then the search
is widened to the used name, swapped first names and phonetic matches, and every strict
trait of the candidates is compared. The search tolerates what the desk usually gets
wrong: typing slips, accents and case, hyphens typed as spaces, first names in another
order, a used (married) name given as the birth name, and a day and month swapped.

How (simsec architecture, performance notes):

1. **Candidates** from a few indexed lookups, unioned in one SQL statement built once:
   the birth date and its day/month-swapped twin; the phonetic key of the name (as birth
   name and as used name) with the phonetic keys its first name may have; without a
   date, the phonetic name alone and the name prefix; the NIR or INS. With a date, a
   query reads a few dozen rows even on a million patients.
2. **Shortlist**: a cheap pass (one rapidfuzz call per reading of the name, over all the
   candidates) ranks them on the date and the name; the best :data:`SHORTLIST` go on.
3. **Scoring** in Python on the derived keys (:mod:`simsec.services.search_keys`): each
   trait gets a match kind and a similarity, combined as a weighted mean over the
   traits the query gives (date 0.40, name 0.35, first names 0.25; sex and NIR when
   given). A free text is read every plausible way (which words are the name) and the
   best reading counts. When the query gives a name or first names, a candidate whose
   names and first names all differ is dropped (born the same day is not enough).

The result is a ranked list of :class:`~simsec.services.dto.PatientHit`, each with its
score and the traits that matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, TypeAlias

from rapidfuzz import process
from rapidfuzz.distance import Indel
from sqlalchemy import BindParameter, Engine, Select, bindparam, select, union_all
from sqlalchemy.orm import Session

from simsec.db.models import Patient
from simsec.rules.identity import parse_birth_date
from simsec.rules.phonetic import letters_only
from simsec.services.dto import MatchKind, PatientHit, PatientQuery, TraitMatch
from simsec.services.search_keys import (
    first_name_words,
    is_typo,
    match_dates,
    match_first_names,
    match_name,
    phonetic_key,
    swapped_date,
)

__all__ = [
    "DEFAULT_LIMIT",
    "MIN_SCORE",
    "ParsedText",
    "parse_text",
    "search_patients",
]

DEFAULT_LIMIT = 10
#: Hits below this score are not shown (a person born the same day with another name).
MIN_SCORE = 0.5
#: A name of at most this many letters is read as the first letters of a name (RNIV).
PREFIX_LENGTH = 3
#: Rows taken from one widened lookup (phonetic name alone, name prefix without date).
WIDE_LIMIT = 200
#: Phonetic name lookups per query (a free text gives several readings of its words).
NAME_SLOTS = 6
#: Candidates compared in full after the cheap first pass (at least 2 × the limit).
SHORTLIST = 20

_WEIGHT_DATE = 0.40
_WEIGHT_NAME = 0.35
_WEIGHT_FIRST = 0.25
_WEIGHT_SEX = 0.05
_WEIGHT_NIR = 0.50

_COLUMNS = (
    Patient.key,
    Patient.birth_name,
    Patient.first_names,
    Patient.used_name,
    Patient.birth_date,
    Patient.sex,
    Patient.birth_place,
    Patient.k_birth_name,
    Patient.k_used_name,
    Patient.nir,
    Patient.ins,
    Patient.p_birth_name,
    Patient.p_used_name,
)
#: A select of the candidate columns (SQLAlchemy 2.1 types selects by their columns).
_Select: TypeAlias = Select[*tuple[Any, ...]]

(_KEY, _BIRTH, _FIRST, _USED, _DATE, _SEX, _PLACE, _KB, _KU, _NIR, _INS, _PB, _PU) = range(
    len(_COLUMNS)
)


# ------------------------------------------------------------------------- free text

_TOKEN_SPLIT = re.compile(r"[\s,;]+")
_DIGITS_DATE = re.compile(r"^\d{8}$")
_NIR_TOKEN = re.compile(r"^[1-478]\d{4}(?:\d{2}|2[AB])\d{6}(?:\d{2})?$", re.IGNORECASE)
_DATE_LIKE = re.compile(r"^[\d/.\-]+$")


@dataclass(frozen=True, slots=True)
class ParsedText:
    """A free query split into dates, identifiers (NIR/INS) and name words."""

    dates: tuple[date, ...]
    nirs: tuple[str, ...]
    words: tuple[str, ...]
    unreadable: tuple[str, ...]  # tokens that look like a date but are not one


def parse_text(text: str) -> ParsedText:
    """Split a free query: ``"dupont marie 12/04/1985"`` gives a date and two words.

    Dates are ``JJ/MM/AAAA`` (or with ``-``/``.``), ``AAAA-MM-JJ`` or ``JJMMAAAA``
    (:func:`simsec.rules.identity.parse_birth_date`); a NIR or INS is 13 or 15
    characters; every other token is a name word (kept as typed).
    """
    dates: list[date] = []
    nirs: list[str] = []
    words: list[str] = []
    unreadable: list[str] = []
    for token in _TOKEN_SPLIT.split(text.strip()):
        if not token:
            continue
        if _NIR_TOKEN.match(token):
            nirs.append(token.upper())
            continue
        if _DATE_LIKE.match(token) and any(ch.isdigit() for ch in token):
            candidate = token
            if _DIGITS_DATE.match(token):
                candidate = f"{token[:2]}/{token[2:4]}/{token[4:]}"
            parsed = parse_birth_date(candidate)
            if parsed.value is not None:
                dates.append(parsed.value)
            else:
                unreadable.append(token)
            continue
        if letters_only(token):
            words.append(token)
    return ParsedText(tuple(dates), tuple(nirs), tuple(words), tuple(unreadable))


# ------------------------------------------------------------------ interpretations


@dataclass(frozen=True, slots=True)
class _Reading:
    """One reading of the query: the name typed (letters only) and the first-name words."""

    name: str
    prefix: bool
    first: tuple[str, ...]
    sound: str  # the phonetic key of the name


def _reading(name: str, first: Sequence[str]) -> _Reading:
    key = letters_only(name)
    words = tuple(w for f in first for w in first_name_words(f))
    return _Reading(key, 0 < len(key) <= PREFIX_LENGTH, words, phonetic_key(key))


def _readings(query: PatientQuery, words: Sequence[str]) -> list[_Reading]:
    """The ways to read the query: fields as given, or the words of the free text with
    one to three consecutive words as the name and the others as first names."""
    first_given = [query.first_names] if query.first_names else []
    if query.birth_name or not words:
        extra = list(words)
        return [_reading(query.birth_name or "", [*first_given, *extra])]
    readings: list[_Reading] = []
    n = min(len(words), 6)
    for length in range(1, min(3, n) + 1):
        for start in range(n - length + 1):
            name = " ".join(words[start : start + length])
            rest = [*words[:start], *words[start + length : n], *first_given]
            readings.append(_reading(name, rest))
    return readings


# -------------------------------------------------------------------------- candidates


def _first_keys(first: Sequence[str]) -> set[str]:
    """Phonetic keys the premier prénom may have: each of the first words typed, and the
    first two words joined (a compound first name typed with a space)."""
    keys = {phonetic_key(w) for w in first[:3]}
    if len(first) >= 2:
        keys.add(phonetic_key(first[0] + first[1]))
    keys.discard("")
    return keys


@cache
def _candidate_statement() -> _Select:
    """The one candidate statement, built once (its compiled form is then cached by
    SQLAlchemy): the union of the indexed lookups, as patient ids, then their rows.

    The lookups (an empty parameter list matches nothing):

    - the birth dates, typed and with day and month swapped (index on ``birth_date``);
    - :data:`NAME_SLOTS` slots, each a phonetic name with the phonetic keys its first
      name may have, as birth name and as used name (indexes ``(p_birth_name,
      p_first_name)`` and ``(p_used_name, p_first_name)``);
    - without a date: the phonetic names alone and the name prefix, both capped at
      :data:`WIDE_LIMIT`;
    - the NIR or INS.
    """
    p = Patient.__table__.c
    dates: BindParameter[Any] = bindparam("dates", expanding=True)
    alone: BindParameter[Any] = bindparam("alone", expanding=True)
    nirs: BindParameter[Any] = bindparam("nirs", expanding=True)
    parts = [select(p.id).where(p.birth_date.in_(dates))]
    for slot in range(NAME_SLOTS):
        name: BindParameter[Any] = bindparam(f"name{slot}")
        firsts: BindParameter[Any] = bindparam(f"firsts{slot}", expanding=True)
        parts.append(select(p.id).where(p.p_birth_name == name, p.p_first_name.in_(firsts)))
        parts.append(select(p.id).where(p.p_used_name == name, p.p_first_name.in_(firsts)))
    parts += [
        _limited(select(p.id).where(p.p_birth_name.in_(alone))),
        _limited(select(p.id).where(p.p_used_name.in_(alone))),
        _limited(
            select(p.id).where(
                p.k_birth_name >= bindparam("prefix"), p.k_birth_name < bindparam("prefix_end")
            )
        ),
        # two lookups, not an OR: SQLite would scan the table for the OR
        select(p.id).where(p.nir.in_(nirs)),
        select(p.id).where(p.ins.in_(nirs)),
    ]
    ids = union_all(*parts)
    columns = [p[c.key] for c in _COLUMNS]
    return select(*columns).where(p.id.in_(ids))


def _limited(part: _Select) -> _Select:
    """A lookup capped at :data:`WIDE_LIMIT` rows (wrapped: SQLite refuses a LIMIT inside
    a compound select)."""
    sub = part.limit(WIDE_LIMIT).subquery()
    return select(*sub.c)


def _candidate_params(
    dates: Iterable[date], readings: Sequence[_Reading], nirs: Sequence[str]
) -> dict[str, Any] | None:
    """The parameters of :func:`_candidate_statement` for a query; None if it gives no
    criterion at all."""
    all_dates: set[date] = set()
    for d in dates:
        all_dates.add(d)
        swapped = swapped_date(d)
        if swapped is not None:
            all_dates.add(swapped)
    slots: dict[str, set[str]] = {}
    alone: set[str] = set()
    prefix = ""
    for reading in readings:  # the readings come most likely first
        if reading.prefix:
            prefix = prefix or reading.name
            continue
        name_key = reading.sound
        if not name_key:
            continue
        first_keys = _first_keys(reading.first)
        if first_keys and (name_key in slots or len(slots) < NAME_SLOTS):
            slots.setdefault(name_key, set()).update(first_keys)
        elif not first_keys:
            alone.add(name_key)
    if all_dates:
        # the date lookup already returns every name of that date
        prefix = ""
        alone.clear()
    if not (all_dates or slots or alone or prefix or nirs):
        return None
    params: dict[str, Any] = {
        "dates": sorted(all_dates),
        "alone": sorted(alone),
        # an empty range when there is no prefix: "" <= k < "" matches nothing
        "prefix": prefix,
        "prefix_end": prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else "",
        "nirs": sorted(set(nirs)),
    }
    filled = sorted(slots.items())
    for slot in range(NAME_SLOTS):
        name_key, first_keys = filled[slot] if slot < len(filled) else ("", set())
        params[f"name{slot}"] = name_key
        params[f"firsts{slot}"] = sorted(first_keys)
    return params


def _fetch(db: Session | Engine, params: dict[str, Any]) -> Sequence[Any]:
    statement = _candidate_statement()
    if isinstance(db, Engine):
        with db.connect() as conn:
            return conn.execute(statement, params).all()
    return db.execute(statement, params).all()


# ----------------------------------------------------------------------------- scoring


def _prefix_typo(prefix: str, key: str) -> bool:
    """The first letters typed with one slip (a letter wrong, dropped or added)."""
    size = len(prefix)
    return any(is_typo(prefix, key[:n]) for n in (size, size + 1, size - 1) if n > 0)


def _match_query_name(
    reading: _Reading, k_birth: str, k_used: str, p_birth: str, p_used: str
) -> tuple[TraitMatch, float]:
    """The typed name against the record's birth name and used name (the person may give
    either: RNIV, widen the search to the used name)."""
    if reading.prefix:
        if k_birth.startswith(reading.name):
            return TraitMatch("birth_name", MatchKind.PREFIX), 1.0
        if k_used.startswith(reading.name):
            return TraitMatch("used_name", MatchKind.PREFIX), 0.97
        size = len(reading.name)
        if _prefix_typo(reading.name, k_birth):
            return TraitMatch("birth_name", MatchKind.TYPO), 0.8
        if k_used and _prefix_typo(reading.name, k_used):
            return TraitMatch("used_name", MatchKind.TYPO), 0.78
        ratio = max(
            Indel.normalized_similarity(reading.name, k_birth[:size]),
            Indel.normalized_similarity(reading.name, k_used[:size]),
        )
        return TraitMatch("birth_name", MatchKind.DIFFERENT), 0.3 * ratio
    kind, sim = match_name(reading.name, k_birth, reading.sound, p_birth)
    if k_used and sim < 1.0:
        used_kind, used_sim = match_name(reading.name, k_used, reading.sound, p_used)
        if 0.97 * used_sim > sim:
            return TraitMatch("used_name", used_kind), 0.97 * used_sim
    return TraitMatch("birth_name", kind), sim


def _match_query_first(typed: tuple[str, ...], stored: tuple[str, ...]) -> tuple[MatchKind, float]:
    """Typed first names against the stored list: giving only the first first name (or
    the first few, in order) is a full match at the desk."""
    if typed and len(typed) < len(stored) and stored[: len(typed)] == typed:
        return MatchKind.FIRST_NAMES_PARTIAL, 1.0
    return match_first_names(typed, stored)


def _score_row(
    row: Sequence[Any],
    readings: Sequence[_Reading],
    dates: Sequence[date],
    sex: str | None,
    nirs: Sequence[str],
) -> tuple[float, tuple[TraitMatch, ...], bool]:
    """The score of a candidate (weighted mean over the traits the query gives), the
    matched traits, and whether it is relevant: when the query gives a name or first
    names, at least one of them must match somehow (a person merely born the same day is
    not a hit)."""
    weight = 0.0
    total = 0.0
    matched: list[TraitMatch] = []
    relevant = True
    if dates:
        kind, sim = max((match_dates(d, row[_DATE]) for d in dates), key=lambda m: m[1])
        weight += _WEIGHT_DATE
        total += _WEIGHT_DATE * sim
        matched.append(TraitMatch("birth_date", kind))
    if sex:
        weight += _WEIGHT_SEX
        same = (row[_SEX] or "") == sex
        total += _WEIGHT_SEX * same
        matched.append(TraitMatch("sex", MatchKind.IDENTICAL if same else MatchKind.DIFFERENT))
    nir_hit = False
    if nirs:
        nir_hit = row[_NIR] in nirs or row[_INS] in nirs
        weight += _WEIGHT_NIR
        total += _WEIGHT_NIR * nir_hit
        matched.append(TraitMatch("nir", MatchKind.IDENTICAL if nir_hit else MatchKind.DIFFERENT))
    if readings:
        stored_words = first_name_words(row[_FIRST] or "")
        k_birth, k_used = row[_KB] or "", row[_KU] or ""
        p_birth, p_used = row[_PB] or "", row[_PU] or ""
        # a reading that leaves no word for the first names still owes their weight
        wants_first = any(r.first for r in readings)
        best_score, best = -1.0, (0.0, 0.0, list[TraitMatch]())
        for reading in readings:
            r_weight, r_total, r_matched = weight, total, []
            if reading.name:
                trait, sim = _match_query_name(reading, k_birth, k_used, p_birth, p_used)
                r_weight += _WEIGHT_NAME
                r_total += _WEIGHT_NAME * sim
                r_matched.append(trait)
            if reading.first:
                kind, sim = _match_query_first(reading.first, stored_words)
                r_total += _WEIGHT_FIRST * sim
                r_matched.append(TraitMatch("first_names", kind))
            if wants_first:
                r_weight += _WEIGHT_FIRST
            r_score = r_total / r_weight if r_weight else 0.0
            if r_score > best_score:
                best_score, best = r_score, (r_weight, r_total, r_matched)
        weight, total = best[0], best[1]
        matched.extend(best[2])
        relevant = nir_hit or any(m.kind not in _NO_MATCH for m in best[2])
    matched.sort(key=lambda m: _TRAIT_ORDER.get(m.trait, 9))
    return (total / weight if weight else 0.0), tuple(matched), relevant


_NO_MATCH = (MatchKind.DIFFERENT, MatchKind.MISSING)
_TRAIT_ORDER = {
    "birth_name": 0,
    "used_name": 1,
    "first_names": 2,
    "birth_date": 3,
    "sex": 4,
    "nir": 5,
}


# ------------------------------------------------------------------------------ search


def _shortlist(
    rows: Sequence[Any], readings: Sequence[_Reading], dates: Sequence[date], keep: int
) -> list[tuple[Any, Sequence[_Reading]]]:
    """The rows worth a full comparison, each with the readings worth trying on it.

    A cheap first pass (one rapidfuzz call per reading over all the candidate names)
    ranks the rows on the birth date and the name only; the ``keep`` best go on, each
    with the readings whose name comes within 0.15 of its best one.
    """
    if len(rows) <= keep or not any(r.name for r in readings):
        return [(row, readings) for row in rows]
    n = len(rows)
    names = [row[_KB] or "" for row in rows] + [row[_KU] or "" for row in rows]
    name_sims: dict[tuple[str, bool], list[float]] = {}
    best_names = [0.0] * n
    for name, prefix in {(r.name, r.prefix) for r in readings if r.name}:
        sims = [0.0] * n
        if prefix:
            for i in range(n):
                if names[i].startswith(name) or names[n + i].startswith(name):
                    sims[i] = 1.0
                elif _prefix_typo(name, names[i]) or _prefix_typo(name, names[n + i]):
                    sims[i] = 0.8
        else:
            for _, sim, index in process.extract(
                name, names, scorer=Indel.normalized_similarity, limit=None, score_cutoff=0.3
            ):
                i = index % n
                if sim > sims[i]:
                    sims[i] = sim
        name_sims[name, prefix] = sims
        for i, sim in enumerate(sims):
            if sim > best_names[i]:
                best_names[i] = sim
    ranked: list[tuple[float, int, float]] = []
    for i, row in enumerate(rows):
        born = row[_DATE]
        date_sim = 0.0
        for d in dates:
            date_sim = max(date_sim, 1.0 if d == born else match_dates(d, born)[1])
        score = _WEIGHT_DATE * date_sim + _WEIGHT_NAME * best_names[i]
        ranked.append((score, i, best_names[i]))
    ranked.sort(key=lambda item: (-item[0], item[1]))
    out: list[tuple[Any, Sequence[_Reading]]] = []
    for _, i, best_name in ranked[:keep]:
        tried = [
            r for r in readings if not r.name or name_sims[r.name, r.prefix][i] >= best_name - 0.15
        ]
        out.append((rows[i], tried))
    return out


def search_patients(
    db: Session | Engine,
    query: PatientQuery,
    *,
    limit: int = DEFAULT_LIMIT,
    min_score: float = MIN_SCORE,
) -> list[PatientHit]:
    """The patients that may match ``query``, best first (at most ``limit``).

    ``db`` is the session of the running action, or an engine (command line). Hits
    scoring below ``min_score`` are left out. Ties are ordered by key, so the result is
    deterministic.
    """
    parsed = parse_text(query.text) if query.text else ParsedText((), (), (), ())
    dates = [*([query.birth_date] if query.birth_date else []), *parsed.dates]
    nirs = [n for n in (*([query.nir.upper()] if query.nir else []), *parsed.nirs) if n]
    readings = [r for r in _readings(query, parsed.words) if r.name or r.first]
    params = _candidate_params(dates, readings, nirs)
    if params is None:
        return []
    sex = (query.sex or "").strip().upper() or None
    hits: list[PatientHit] = []
    rows = _fetch(db, params)
    for row, row_readings in _shortlist(rows, readings, dates, max(2 * limit, SHORTLIST)):
        key = row[_KEY]
        score, matched, relevant = _score_row(row, row_readings, dates, sex, nirs)
        if score < min_score or not relevant:
            continue
        hits.append(
            PatientHit(
                id=key,
                birth_name=row[_BIRTH],
                first_names=row[_FIRST],
                used_name=row[_USED],
                birth_date=row[_DATE],
                sex=row[_SEX],
                birth_place=row[_PLACE],
                score=round(score, 6),
                matched=matched,
            )
        )
    hits.sort(key=lambda h: (-h.score, h.id))
    return hits[:limit]
