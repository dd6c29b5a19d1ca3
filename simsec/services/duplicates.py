"""Doublon report over a whole database: the pairs of records that may be one person.

A **doublon** is one person with two records; a **homonymy** is two people who look
alike and must never be merged (RNIV; identito-na.fr; simsec domain reference §1.5). The
front desk and the trainer only *report* suspected doublons; the identitovigilance
cell (CIV) decides and merges. This report lists candidate pairs with a score in 0..1
and the reasons, most likely first.

Method (record linkage, in the Fellegi-Sunter spirit, with RNIV-aware evidence):

1. **Blocking**: records are grouped by keys a doublon almost always shares with its
   original: the birth date with day and month sorted (so a swapped day/month falls in
   the same block), the phonetic birth name and the phonetic used name each with the
   phonetic first first name, the NIR and the INS. Only pairs that share a block are
   compared; a block larger than :data:`MAX_BLOCK` (a placeholder value typed for many
   patients) is skipped.
   Within a block, cheap bounds come first: most pairs of a date block are strangers
   whose names cannot match, and are dropped with one rapidfuzz call.
2. **Comparison**: every strict trait gets a match kind (identical, typo, phonetic,
   used name typed as birth name, first names reordered or partial, day/month swapped,
   missing, different: :mod:`simsec.services.search_keys`), and each kind adds evidence
   for or against (a log-odds weight, :data:`EVIDENCE`). The score is the logistic of
   the sum.
3. **Strong negative evidence** (RNIV: compare every strict trait; homonyms are not
   doublons): two different *valid* NIRs (or INS) are two people; a different birth
   place known on both sides weighs heavily against; **twins** (same birth name, date
   and place, a different first first name) get the reason ``twins:suspected`` and a
   first-name difference that outweighs everything they share.

The weights are simsec's tuning, checked by the tests and the benchmark (generated
doublons and homonym traps, :mod:`benchmarks.dupdata`), not a regulation.
"""

from __future__ import annotations

import gc
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import chain, combinations
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import Indel
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from simsec.db.models import Patient
from simsec.rules.nir import is_valid_nir
from simsec.services.dto import DuplicatePair, MatchKind, TraitMatch
from simsec.services.search_keys import (
    first_name_words,
    match_codes,
    match_dates,
    match_first_names,
    match_name,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "EVIDENCE",
    "MAX_BLOCK",
    "PRIOR",
    "find_duplicates",
]

DEFAULT_THRESHOLD = 0.5
#: Blocks with more records than this are skipped (a placeholder typed for many people).
MAX_BLOCK = 1_000

#: Log-odds of a pair sharing a block before its traits are compared.
PRIOR: Final = -7.0

#: Evidence (log-odds) that each match kind of each trait brings; a missing kind is 0.
EVIDENCE: Final[Mapping[str, Mapping[MatchKind, float]]] = {
    "birth_name": {
        MatchKind.IDENTICAL: 4.0,
        MatchKind.SEPARATORS: 3.5,
        MatchKind.TYPO: 2.5,
        MatchKind.PHONETIC: 2.0,
        MatchKind.USED_NAME_AS_BIRTH_NAME: 2.5,
        MatchKind.CLOSE: -1.0,
        MatchKind.DIFFERENT: -4.0,
    },
    "first_names": {
        MatchKind.IDENTICAL: 4.0,
        MatchKind.COMPOUND_FIRST_NAME: 3.5,
        MatchKind.FIRST_NAMES_ORDER: 3.0,
        MatchKind.FIRST_NAMES_PARTIAL: 2.5,
        MatchKind.TYPO: 2.5,
        MatchKind.PHONETIC: 2.0,
        MatchKind.CLOSE: -2.0,
        MatchKind.DIFFERENT: -6.0,
    },
    "birth_date": {
        MatchKind.IDENTICAL: 3.0,
        MatchKind.DAY_MONTH_SWAPPED: 2.0,
        MatchKind.TYPO: 0.5,
        MatchKind.DIFFERENT: -4.0,
    },
    "sex": {MatchKind.IDENTICAL: 0.3, MatchKind.DIFFERENT: -3.0},
    "birth_place": {MatchKind.IDENTICAL: 1.5, MatchKind.DIFFERENT: -7.0},
    "nir": {MatchKind.IDENTICAL: 6.0, MatchKind.CONFLICT: -10.0, MatchKind.DIFFERENT: -1.0},
    "ins": {MatchKind.IDENTICAL: 8.0, MatchKind.CONFLICT: -10.0, MatchKind.DIFFERENT: -1.0},
    "phone": {MatchKind.IDENTICAL: 0.5},
}


@dataclass(slots=True)
class _Record:
    """A patient row with its comparison keys (built once per record)."""

    key: str
    birth_name: str
    first_names: str
    birth_date: date | None
    sex: str | None
    birth_place: str | None
    nir: str | None
    ins: str | None
    phone: str | None
    k_birth: str
    k_used: str
    p_birth: str
    p_used: str
    words: tuple[str, ...]
    joined: str  # the letters of every first name, in order
    blocks: tuple[int | str, ...]


_COLUMNS = (
    Patient.key,
    Patient.birth_name,
    Patient.first_names,
    Patient.birth_date,
    Patient.sex,
    Patient.birth_place,
    Patient.nir,
    Patient.ins,
    Patient.phone,
    Patient.k_birth_name,
    Patient.k_used_name,
    Patient.p_birth_name,
    Patient.p_used_name,
    Patient.p_first_name,
)


def _block_keys(
    birth_date: date | None,
    p_birth: str | None,
    p_used: str | None,
    p_first: str | None,
    nir: str | None,
    ins: str | None,
) -> tuple[int | str, ...]:
    """The blocks of a record: the birth date with day and month sorted (an int, so that
    a swapped day and month gives the same key), the phonetic birth and used names each
    with the phonetic first first name, the NIR, the INS."""
    keys: list[int | str] = []
    if birth_date is not None:
        day, month = birth_date.day, birth_date.month
        low, high = (day, month) if day <= month else (month, day)
        keys.append(birth_date.year * 10_000 + low * 100 + high)
    if p_first:
        if p_birth:
            keys.append("N" + p_birth + "|" + p_first)
        if p_used and p_used != p_birth:
            keys.append("N" + p_used + "|" + p_first)
    if nir:
        keys.append("I" + nir)
    if ins:
        keys.append("S" + ins)
    return tuple(keys)


def _load(db: Session | Engine) -> list[_Record]:
    t = Patient.__table__.c
    statement = select(*(t[c.key] for c in _COLUMNS)).order_by(t.id)
    if isinstance(db, Engine):
        with db.connect() as conn:
            rows = conn.execute(statement).all()
    else:
        rows = list(db.execute(statement).all())
    records = []
    for key, birth, firsts, bdate, sex, place, nir, ins, phone, kb, ku, pb, pu, pf in rows:
        words = first_name_words(firsts or "")
        records.append(
            _Record(
                key,
                birth,
                firsts or "",
                bdate,
                sex or None,
                place or None,
                nir or None,
                ins or None,
                phone or None,
                kb or "",
                ku or "",
                pb or "",
                pu or "",
                words,
                "".join(words),
                _block_keys(bdate, pb, pu, pf, nir, ins),
            )
        )
    return records


_similarity = Indel.normalized_similarity


@lru_cache(maxsize=65_536)
def _valid_nir(value: str) -> bool:
    return is_valid_nir(value)


def _identifier_kind(a: str | None, b: str | None) -> MatchKind:
    """Two different NIRs (or INS): a conflict when both are valid (the NIR identifies
    one person, décret 82-103), otherwise maybe a typing slip."""
    if a and b and _valid_nir(a) and _valid_nir(b):
        return MatchKind.CONFLICT
    return MatchKind.DIFFERENT


def _birth_name(a: _Record, b: _Record) -> MatchKind:
    """Birth names, or a used (married) name typed as the birth name (RNIV: the classic
    cause of doublons)."""
    kind, sim = match_name(a.k_birth, b.k_birth, a.p_birth, b.p_birth)
    if kind is MatchKind.IDENTICAL and a.birth_name != b.birth_name:
        return MatchKind.SEPARATORS
    if sim < 0.9:
        cross = max(
            match_name(a.k_used, b.k_birth, a.p_used, b.p_birth)[1] if a.k_used else 0.0,
            match_name(b.k_used, a.k_birth, b.p_used, a.p_birth)[1] if b.k_used else 0.0,
        )
        if cross >= 0.85:  # identical, a typing slip or the same sound
            return MatchKind.USED_NAME_AS_BIRTH_NAME
    return kind


def _score_pair(
    a: _Record, b: _Record, floor: float = -math.inf
) -> tuple[float, tuple[TraitMatch, ...]] | None:
    """The doublon score of two records and its reasons.

    None when neither the names nor the first names are alike (not worth reporting,
    whatever the rest), or when the log-odds fall below ``floor`` before the identifiers
    are checked (two different numbers can only lower the score; checking that both are
    valid is the costly part).
    """
    name = _birth_name(a, b)
    born = match_dates(a.birth_date, b.birth_date)[0]
    best = (
        PRIOR
        + EVIDENCE["birth_name"].get(name, 0.0)
        + EVIDENCE["birth_date"].get(born, 0.0)
        + _BEST_REST
        + (EVIDENCE["nir"][MatchKind.IDENTICAL] if a.nir and a.nir == b.nir else 0.0)
        + (EVIDENCE["ins"][MatchKind.IDENTICAL] if a.ins and a.ins == b.ins else 0.0)
    )
    if best < floor:  # even perfect first names, sex and place would not do
        return None
    first, _ = match_first_names(a.words, b.words)
    if first is MatchKind.IDENTICAL and a.first_names != b.first_names:
        first = MatchKind.COMPOUND_FIRST_NAME  # the same words, another hyphenation
    if name is MatchKind.DIFFERENT and first in (MatchKind.DIFFERENT, MatchKind.CLOSE):
        return None
    place = match_codes(a.birth_place, b.birth_place)
    reasons = [
        TraitMatch("birth_name", name),
        TraitMatch("first_names", first),
        TraitMatch("birth_date", born),
        TraitMatch("sex", match_codes(a.sex, b.sex)),
        TraitMatch("birth_place", place),
    ]
    if a.phone and a.phone == b.phone:
        reasons.append(TraitMatch("phone", MatchKind.IDENTICAL))
    if (
        first is MatchKind.DIFFERENT
        and a.birth_date == b.birth_date
        and name in (MatchKind.IDENTICAL, MatchKind.SEPARATORS, MatchKind.TYPO)
        and place is not MatchKind.DIFFERENT
    ):
        reasons.append(TraitMatch("twins", MatchKind.SUSPECTED))
    logit = PRIOR + sum(_evidence(r) for r in reasons)
    for trait, value_a, value_b in (("nir", a.nir, b.nir), ("ins", a.ins, b.ins)):
        if not (value_a or value_b):
            continue
        kind = match_codes(value_a, value_b)
        if kind is MatchKind.DIFFERENT:
            if logit + EVIDENCE[trait][MatchKind.DIFFERENT] < floor:
                return None
            kind = _identifier_kind(value_a, value_b)
        reasons.append(TraitMatch(trait, kind))
        logit += EVIDENCE[trait].get(kind, 0.0)
    reasons.sort(key=lambda r: _REASON_ORDER.index(r.trait))
    return _probability(logit), tuple(reasons)


#: The most that first names, sex, birth place and phone can add.
_BEST_REST: Final = sum(
    max(0.0, *EVIDENCE[trait].values()) for trait in ("first_names", "sex", "birth_place", "phone")
)

_REASON_ORDER: Final = (
    "birth_name",
    "first_names",
    "birth_date",
    "sex",
    "birth_place",
    "nir",
    "ins",
    "phone",
    "twins",
)


def _evidence(reason: TraitMatch) -> float:
    return EVIDENCE.get(reason.trait, {}).get(reason.kind, 0.0)


def _logit(probability: float) -> float:
    if probability <= 0.0:
        return -math.inf
    if probability >= 1.0:
        return math.inf
    return math.log(probability / (1.0 - probability))


def _probability(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-logit))


def _names_unlike(a: str, pa: str, b: str, pb: str) -> bool:
    """Two name keys that cannot be a typo, a phonetic spelling or a close spelling of
    each other (the ``different`` kind): a cheap bound on :func:`match_name`.

    A slip (OSA ≤ 1, or 2 from 9 letters) leaves an Indel similarity of at least
    ``1 - 2 * limit / (len(a) + len(b))``, which is 0.75 or more from 8 letters in all
    (a close spelling is 0.75 or more too).
    """
    if not a or not b:
        return True
    if pa == pb:
        return False
    total = len(a) + len(b)
    return _similarity(a, b) < (_CLOSE if total >= 8 else 1 - 2 / total)


_CLOSE: Final = 0.75
_UNLIKE_FIRST: Final = 0.4


def _all_names_unlike(a: _Record, b: _Record) -> bool:
    """The birth names, and each used name against the other birth name, cannot match."""
    return (
        _names_unlike(a.k_birth, a.p_birth, b.k_birth, b.p_birth)
        and (not a.k_used or _names_unlike(a.k_used, a.p_used, b.k_birth, b.p_birth))
        and (not b.k_used or _names_unlike(b.k_used, b.p_used, a.k_birth, a.p_birth))
    )


def _first_names_unlike(a: _Record, b: _Record) -> bool:
    """The first names share no word and little of their letters."""
    if any(word in b.words for word in a.words):
        return False
    return _similarity(a.joined, b.joined) < _UNLIKE_FIRST


def _same_identifier(a: _Record, b: _Record) -> bool:
    return bool((a.nir and a.nir == b.nir) or (a.ins and a.ins == b.ins))


def _best_logit_with_unlike_names() -> float:
    """The highest log-odds a pair can reach when its names cannot match and it shares
    no NIR or INS: below the threshold, such pairs need no full comparison."""
    best = PRIOR + EVIDENCE["birth_name"][MatchKind.DIFFERENT]
    for trait in ("first_names", "birth_date", "sex", "birth_place", "phone"):
        best += max(0.0, *EVIDENCE[trait].values())
    return best


def _blocks(records: Sequence[_Record], max_block: int) -> Iterator[list[_Record]]:
    """The records of each block with at least two and at most ``max_block`` records.

    Most name and NIR keys belong to one record only: they are counted first, so that
    lists are built for the shared keys only.
    """
    counts = Counter(chain.from_iterable(r.blocks for r in records))
    blocks: defaultdict[int | str, list[_Record]] = defaultdict(list)
    for record in records:
        for key in record.blocks:
            if 2 <= counts[key] <= max_block:
                blocks[key].append(record)
    yield from blocks.values()


def _name_pairs(members: list[_Record]) -> Iterable[tuple[_Record, _Record]]:
    """The pairs of a block whose names may match (a superset of the pairs
    :func:`_all_names_unlike` keeps), found with one rapidfuzz call per name instead of
    one comparison per pair; plus the pairs sharing a phonetic name, a NIR or an INS."""
    if len(members) <= _SMALL_BLOCK:
        return combinations(members, 2)
    names = [r.k_birth for r in members]
    pairs: set[tuple[int, int]] = set()
    groups: defaultdict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(members):
        for sound in {record.p_birth, record.p_used}:
            if sound:
                groups["P" + sound].append(i)
        for identifier in (record.nir, record.ins):
            if identifier:
                groups["I" + identifier].append(i)
        for name in (record.k_birth, record.k_used):
            if not name:
                continue
            for _, _, j in process.extract(
                name, names, scorer=_similarity, score_cutoff=_LOWEST_FLOOR, limit=None
            ):
                if j != i:
                    pairs.add((i, j) if i < j else (j, i))
    for group in groups.values():
        pairs.update(combinations(group, 2))
    return [(members[i], members[j]) for i, j in sorted(pairs)]


#: Blocks up to this size are compared pair by pair (cheaper than the name index).
_SMALL_BLOCK: Final = 10
#: The lowest similarity :func:`_names_unlike` lets through (3 letters in all, one slip:
#: ``1 - 2 / 3``; two one-letter names meet only in their phonetic block).
_LOWEST_FLOOR: Final = 0.33


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the report allocates its many small,
    acyclic objects (records, keys, blocks): otherwise each generation-2 pass rescans
    them all, which doubles the run time on 100 000 patients. The previous state is
    restored (Python documentation, ``gc.disable``: for code known not to create
    reference cycles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def find_duplicates(
    db: Session | Engine,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    max_block: int = MAX_BLOCK,
) -> list[DuplicatePair]:
    """The candidate doublons of the whole ``patient`` table scoring at least
    ``threshold``, most likely first (ties by keys, so the order is deterministic)."""
    with _gc_paused():
        return _find(_load(db), threshold, max_block)


def _find(records: Sequence[_Record], threshold: float, max_block: int) -> list[DuplicatePair]:
    """Score the pairs of every block, once each, and keep those above ``threshold``."""
    found: dict[tuple[str, str], DuplicatePair] = {}
    # Most pairs of a block are strangers born the same day: cheap tests first.
    hopeless = _probability(_best_logit_with_unlike_names()) < threshold
    floor_logit = _logit(threshold)
    for members in _blocks(records, max_block):
        candidates = _name_pairs(members) if hopeless else combinations(members, 2)
        for a, b in candidates:
            if _all_names_unlike(a, b) and (
                (hopeless and not _same_identifier(a, b)) or _first_names_unlike(a, b)
            ):
                continue
            if a.key > b.key:
                a, b = b, a
            if (a.key, b.key) in found:  # already scored in another block
                continue
            scored = _score_pair(a, b, floor_logit)
            if scored is None or scored[0] < threshold:
                continue
            found[a.key, b.key] = DuplicatePair(a.key, b.key, round(scored[0], 6), scored[1])
    return sorted(found.values(), key=lambda p: (-p.score, p.a, p.b))
