"""Doublon detection on 100 000 patients (issue "Database", item 6).

Data: :func:`benchmarks.dupdata.make_dup_dataset`, 100 000 records of which 5 % are
doublons (the search errors, a missing birth place, a missing NIR) with homonym traps
(twins; same name and date with another NIR or birth place). Its error model is in the
docstring of :mod:`benchmarks.dupdata`.

Targets: F1 ≥ 0.97 and higher than Splink's on the same data in the same run; wall
time ≤ half of Splink's; peak memory ≤ 1 GiB.

Reference: **Splink** (DuckDB backend), the record-linkage library of the UK Ministry
of Justice, trained the usual way: the probability that two random records match from
a deterministic rule (same NIR), u by random sampling, m by expectation-maximisation on
two blocking rules; pairs predicted with a match probability ≥ 0.5. Its comparisons
use the same columns (birth name with term frequencies, first name, birth date, birth
place, sex, NIR) and its prediction blocks are the same as simsec's (birth date,
names, NIR).

Each contender runs in its own fresh process (``spawn``), reading the same SQLite file,
so that the wall time counts the loading and the peak memory (``VmHWM`` on Linux,
psutil elsewhere) is its own.
"""

from __future__ import annotations

import hashlib
import importlib.util
import multiprocessing
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import dupdata
from benchmarks.bench_search import OUT, ROOT

N_RECORDS = 100_000
SEED = 3

Report = Callable[..., None]
Pairs = set[frozenset[str]]


def dataset(n: int = N_RECORDS, seed: int = SEED) -> tuple[Path, dupdata.DupDataset]:
    """The generated data set and its cached SQLite file."""
    data = dupdata.make_dup_dataset(n, seed=seed)
    digest = hashlib.sha256()
    for name in ("benchmarks/dupdata.py", "simsec/services/search_keys.py",
                 "simsec/rules/phonetic.py", "simsec/db/models/patient.py"):  # fmt: skip
        digest.update((ROOT / name).read_bytes())
    path = OUT / f"doublons-{n}-{seed}-{digest.hexdigest()[:12]}.sqlite"
    if not path.exists():
        for stale in OUT.glob(f"doublons-{n}-{seed}-*.sqlite*"):
            stale.unlink()
        tmp = path.with_suffix(".tmp")
        dupdata.build_sqlite(tmp, data.records).dispose()
        tmp.rename(path)
    return path, data


def _peak_mib() -> float:
    """The peak resident memory of this process, in MiB.

    Linux: ``VmHWM`` of ``/proc/self/status``, which belongs to this process image
    (``ru_maxrss`` would not do: Linux keeps the parent's high-water mark across the
    ``exec`` of a spawned child). Elsewhere: psutil (``peak_wset`` on Windows, else the
    current RSS).
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import psutil

    info = psutil.Process().memory_info()
    return float(getattr(info, "peak_wset", info.rss)) / 2**20


# ------------------------------------------------------------------------- contenders


def _simsec(path: str) -> tuple[list[tuple[str, str]], float, float]:
    from simsec.db.engine import make_engine
    from simsec.services.duplicates import find_duplicates

    started = time.perf_counter()
    engine = make_engine(f"sqlite:///{path}")
    pairs = find_duplicates(engine, threshold=0.5)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return [(p.a, p.b) for p in pairs], elapsed, _peak_mib()


def _splink(path: str) -> tuple[list[tuple[str, str]], float, float]:
    import logging
    import sqlite3

    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT key, birth_name, first_names, birth_date, sex, birth_place, nir FROM patient"
    ).fetchall()
    conn.close()
    columns: dict[str, list[Any]] = {
        "unique_id": [],
        "surname": [],
        "first_name": [],
        "dob": [],
        "sex": [],
        "birth_place": [],
        "nir": [],
    }
    for key, birth_name, first_names, birth_date, sex, place, nir in rows:
        columns["unique_id"].append(key)
        columns["surname"].append(birth_name)
        columns["first_name"].append((first_names or "").split(" ")[0] or None)
        columns["dob"].append(birth_date)
        columns["sex"].append(sex)
        columns["birth_place"].append(place)
        columns["nir"].append(nir)
    db_api = DuckDBAPI()
    table = db_api.register(columns)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.NameComparison("first_name"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("birth_place"),
            cl.ExactMatch("sex"),
            # two random people almost never share a NIR: give Splink that knowledge
            # (random sampling cannot estimate it, no random pair shares one)
            cl.ExactMatch("nir").configure(u_probabilities=[1e-9, 1.0]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("dob"),
            block_on("surname", "first_name"),
            block_on("nir"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(table, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match([block_on("nir")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=SEED)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("surname"), estimate_without_term_frequencies=True
    )
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    found = [(r["unique_id_l"], r["unique_id_r"]) for r in predictions.as_record_list()]
    elapsed = time.perf_counter() - started
    return found, elapsed, _peak_mib()


def _in_fresh_process(
    target: Callable[[str], tuple[list[tuple[str, str]], float, float]], path: Path
) -> tuple[list[tuple[str, str]], float, float]:
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(target, (str(path),))


# ----------------------------------------------------------------------------- scores


def f1(found: Pairs, truth: Pairs) -> tuple[float, float, float]:
    """Precision, recall and F1 of ``found`` pairs against ``truth``."""
    true_positives = len(found & truth)
    precision = true_positives / len(found) if found else 0.0
    recall = true_positives / len(truth) if truth else 0.0
    if not precision + recall:
        return precision, recall, 0.0
    return precision, recall, 2 * precision * recall / (precision + recall)


def run(report: Report, n: int = N_RECORDS) -> None:
    path, data = dataset(n)
    label = f"doublons {n // 1000}k"
    splink_time: float | None = None
    sp_f1: float | None = None
    if importlib.util.find_spec("splink") is None:
        print("  Splink is not installed (pip install -e '.[bench]'): no reference")
    else:
        splink_found, splink_time, splink_mem = _in_fresh_process(_splink, path)
        splink_pairs = {frozenset(p) for p in splink_found}
        sp_p, sp_r, sp_f1 = f1(splink_pairs, data.true_pairs)
        report(f"{label}: reference Splink F1 (p >= 0.5)", sp_f1, None, "")
        report(f"{label}: reference Splink precision / recall", sp_p, None, f"/ {sp_r:.4f}")
        report(f"{label}: reference Splink wall time", splink_time, None, "s")
        report(f"{label}: reference Splink peak memory", splink_mem, None, "MiB")
    found, elapsed, memory = _in_fresh_process(_simsec, path)
    pairs = {frozenset(p) for p in found}
    precision, recall, score = f1(pairs, data.true_pairs)
    traps = len(pairs & (data.twin_pairs | data.homonym_pairs))
    report(f"{label}: simsec F1", score, 0.97, "", ratio_ref=sp_f1, higher_is_better=True)
    report(f"{label}: simsec precision / recall", precision, None, f"/ {recall:.4f}")
    if sp_f1 is not None:
        report(f"{label}: simsec F1 minus Splink F1", score - sp_f1, 0.0, "",
               higher_is_better=True)  # fmt: skip
    report(f"{label}: simsec twins/homonyms reported", traps, 0, "pairs")
    report(
        f"{label}: simsec wall time", elapsed,
        splink_time / 2 if splink_time else None, "s", ratio_ref=splink_time,
    )  # fmt: skip
    report(f"{label}: simsec peak memory", memory, 1024, "MiB")
