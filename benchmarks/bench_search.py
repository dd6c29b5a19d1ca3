"""Search before creating on 1 000 000 patients in SQLite (issue "Database", item 5).

Targets: over 1 000 queries typed from known records with the search error model of
:mod:`benchmarks.dupdata`, median ≤ 2 ms, p95 ≤ 5 ms, recall@10 ≥ 0.99.

References measured in the same run on the same database and queries:

- **exact lookup**: the indexed exact birth date + first 3 letters of the typed name
  (``birth_date = ? AND k_birth_name`` in the prefix range), the RNIV basic search with
  no tolerance: the floor of what an indexed query costs (~0.1 ms);
- **rapidfuzz**: the patients born on the typed date (indexed), ranked with
  ``rapidfuzz.process.extract`` (``WRatio``) of the typed "name first names" against
  theirs: the naive fuzzy search (~1 ms; it misses a swapped day and month).

The 1M database is cached under ``bench-out/`` (git-ignored), keyed by a hash of the
generator, the search keys and the model, so that it is rebuilt only when they change.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from benchmarks import dupdata
from simsec.db.engine import make_engine
from simsec.db.models import Patient
from simsec.rules.phonetic import letters_only
from simsec.services import search_keys
from simsec.services.dto import PatientQuery
from simsec.services.patients_search import parse_text, search_patients

N_PATIENTS = 1_000_000
N_QUERIES = 1_000
SEED = 1
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-out"
Report = Callable[..., None]

#: What the content of the cached 1M database depends on (the doublon and query parts of
#: the generator do not change it).
_SOURCE_FILES = ("simsec/rules/phonetic.py", "simsec/db/models/patient.py")


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in _SOURCE_FILES:
        digest.update((ROOT / name).read_bytes())
    functions = (
        search_keys.patient_search_columns, search_keys.name_key, search_keys.phonetic_key,
        search_keys.first_first_name, dupdata.make_population, dupdata._Builder,
        dupdata._name_tables, dupdata._synthetic_surnames, dupdata._birth_place,
        dupdata.make_nir, dupdata._rows, dupdata.insert_records,
    )  # fmt: skip
    for function in functions:
        digest.update(inspect.getsource(function).encode())
    tables = (dupdata._ONSETS, dupdata._NUCLEI, dupdata._CODAS, dupdata._ENDINGS,
              dupdata._PARTICLES, dupdata._COUNTRIES, dupdata._OVERSEAS, dupdata._DEPARTMENTS,
              dupdata.FIRST_DATE, dupdata.LAST_DATE)  # fmt: skip
    digest.update(repr(tables).encode())
    return digest.hexdigest()[:12]


def database(n: int = N_PATIENTS, seed: int = SEED) -> Engine:
    """The cached SQLite database of ``n`` generated patients (built if missing)."""
    path = OUT / f"patients-{n}-{seed}-{_fingerprint()}.sqlite"
    if not path.exists():
        for stale in OUT.glob(f"patients-{n}-{seed}-*.sqlite*"):
            stale.unlink()
        started = time.perf_counter()
        print(f"  building {path.name} ({n} patients)...", flush=True)
        records = dupdata.make_population(n, seed=seed)
        tmp = path.with_suffix(".tmp")
        dupdata.build_sqlite(tmp, records).dispose()
        tmp.rename(path)
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    return make_engine(f"sqlite:///{path}")


def _sample_records(engine: Engine, count: int, seed: int) -> list[dupdata.Record]:
    """``count`` stored records drawn with ``seed`` (the targets of the queries)."""
    with engine.connect() as conn:
        total = conn.execute(text("SELECT max(id) FROM patient")).scalar_one()
        ids = random.Random(seed).sample(range(1, total + 1), count)
        t = Patient.__table__.c
        rows = conn.execute(
            select(
                t.key, t.birth_name, t.first_names, t.used_name, t.birth_date, t.sex,
                t.birth_place, t.nir, t.phone, t.postcode,
            ).where(t.id.in_(ids))
        ).all()  # fmt: skip
    return [
        dupdata.Record(
            id=key, birth_name=birth_name, first_names=first_names, used_name=used_name,
            birth_date=birth_date, sex=sex, birth_place=place, nir=nir, phone=phone,
            postcode=postcode, person=0,
        )
        for key, birth_name, first_names, used_name, birth_date, sex, place, nir, phone,
        postcode in rows
    ]  # fmt: skip


def _query_fields(q: dupdata.Query) -> PatientQuery:
    return PatientQuery(
        birth_name=q.birth_name, first_names=q.first_name, birth_date=q.birth_date, text=q.text
    )


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _run_simsec(
    engine: Engine, queries: Sequence[dupdata.Query], warm_up: Sequence[dupdata.Query]
) -> tuple[list[float], list[float], float]:
    """Wall-clock and CPU times of each search, and the recall@10."""
    times: list[float] = []
    cpu_times: list[float] = []
    found = 0
    with Session(engine) as session:
        for q in warm_up:  # other records: compiled statement, caches, not these rows
            search_patients(session, _query_fields(q))
        for q in queries:
            query = _query_fields(q)
            cpu_started = time.process_time()
            started = time.perf_counter()
            hits = search_patients(session, query, limit=10)
            times.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu_started)
            found += any(h.id == q.target for h in hits)
    return times, cpu_times, found / len(queries)


def _typed(q: dupdata.Query) -> tuple[str, str, object]:
    """The name, first names and date a plain search would use (free text read naively:
    the first word is the name)."""
    if q.text is None:
        return letters_only(q.birth_name or ""), q.first_name or "", q.birth_date
    parsed = parse_text(q.text)
    words = parsed.words
    name = letters_only(words[0]) if words else ""
    return name, " ".join(words[1:]), (parsed.dates[0] if parsed.dates else None)


def _run_exact(engine: Engine, queries: Sequence[dupdata.Query]) -> tuple[list[float], float]:
    t = Patient.__table__.c
    statement = (
        select(t.key)
        .where(t.birth_date == text(":d"))
        .where(t.k_birth_name >= text(":lo"), t.k_birth_name < text(":hi"))
        .limit(10)
    )
    times: list[float] = []
    found = 0
    with engine.connect() as conn:
        for q in queries:
            name, _, birth_date = _typed(q)
            prefix = name[:3] or "A"
            params = {"d": birth_date, "lo": prefix, "hi": prefix + "~"}
            started = time.perf_counter()
            keys = conn.execute(statement, params).scalars().all()
            times.append(time.perf_counter() - started)
            found += q.target in keys
    return times, found / len(queries)


def _run_rapidfuzz(engine: Engine, queries: Sequence[dupdata.Query]) -> tuple[list[float], float]:
    """The naive fuzzy search: the patients born on the typed date (indexed), ranked by
    rapidfuzz ``WRatio`` of "name first names" against theirs."""
    t = Patient.__table__.c
    statement = select(t.key, t.k_birth_name, t.k_used_name, t.first_names).where(
        t.birth_date == text(":d")
    )
    times: list[float] = []
    found = 0
    with engine.connect() as conn:
        for q in queries:
            name, first, birth_date = _typed(q)
            typed = f"{name} {letters_only(first)}"
            started = time.perf_counter()
            rows = conn.execute(statement, {"d": birth_date}).all()
            choices = {r[0]: f"{r[1]} {letters_only(r[3])} {r[2] or ''}".strip() for r in rows}
            best = process.extract(typed, choices, scorer=fuzz.WRatio, limit=10)
            times.append(time.perf_counter() - started)
            found += any(b[2] == q.target for b in best)
    return times, found / len(queries)


def run(report: Report, n: int = N_PATIENTS, n_queries: int = N_QUERIES) -> None:
    engine = database(n)
    records = _sample_records(engine, n_queries, seed=SEED + 1)
    queries = dupdata.make_queries(records, n_queries, seed=SEED + 2)
    warm_up = dupdata.make_queries(_sample_records(engine, 50, seed=SEED + 3), 50, seed=SEED)
    label = f"search {n // 1000}k"
    if hasattr(os, "getloadavg"):
        report(f"{label}: machine load average before the run", os.getloadavg()[0], None, "")
    exact_times, exact_recall = _run_exact(engine, queries)
    fuzzy_times, fuzzy_recall = _run_rapidfuzz(engine, queries)
    times, cpu_times, recall = _run_simsec(engine, queries, warm_up)
    exact_median = statistics.median(exact_times) * 1000
    fuzzy_median = statistics.median(fuzzy_times) * 1000
    report(f"{label}: reference exact date+prefix, median", exact_median, None, "ms")
    report(f"{label}: reference exact date+prefix, recall@10", exact_recall, None, "")
    report(f"{label}: reference rapidfuzz on the date, median", fuzzy_median, None, "ms")
    report(f"{label}: reference rapidfuzz on the date, recall@10", fuzzy_recall, None, "")
    report(
        f"{label}: simsec median", statistics.median(times) * 1000, 2.0, "ms",
        ratio_ref=exact_median,
    )  # fmt: skip
    report(
        f"{label}: simsec p95", _percentile(times, 0.95) * 1000, 5.0, "ms",
        ratio_ref=_percentile(exact_times, 0.95) * 1000,
    )  # fmt: skip
    # CPU time: the same figures without the time other processes took the cores
    report(f"{label}: simsec median CPU time", statistics.median(cpu_times) * 1000, None, "ms")
    report(f"{label}: simsec p95 CPU time", _percentile(cpu_times, 0.95) * 1000, None, "ms")
    report(
        f"{label}: simsec recall@10", recall, 0.99, "", ratio_ref=fuzzy_recall,
        higher_is_better=True,
    )  # fmt: skip
    engine.dispose()
