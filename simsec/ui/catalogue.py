"""What the home lists: the scenarios found in the scenario folders, and the interrupted
runs (logs without an ``end`` record) that can be resumed.

Read in a worker thread after the home is shown (a fast start): nothing here is
imported by the home at start-up but this module, which imports the scenario loader
only when it scans.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any, Final

from simsec.i18n import _
from simsec.ui.views import InterruptedRun, ScenarioCard

__all__ = ["interrupted_runs", "scan_scenarios", "scenario_files"]

_PATTERNS: Final = ("*.yaml", "*.yml", "*/*.yaml", "*/*.yml")


def scenario_files(directories: Iterable[Path]) -> list[Path]:
    """The YAML files of the folders (and of their sub-folders, one level), sorted."""
    found: dict[Path, None] = {}
    for directory in directories:
        if not directory.is_dir():
            continue
        for pattern in _PATTERNS:
            for path in sorted(directory.glob(pattern)):
                if path.is_file():
                    found.setdefault(path.resolve(), None)
    return list(found)


def _looks_like_scenario(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return b"simsec/scenario@" in head


def scan_scenarios(directories: Iterable[Path]) -> list[ScenarioCard]:
    """A card per scenario file; an invalid one is listed with its first error (so the
    trainer sees why it cannot be played). Files that are not scenarios are skipped."""
    from simsec.scenario.loader import load_scenario

    cards: list[ScenarioCard] = []
    for path in scenario_files(directories):
        if not _looks_like_scenario(path):
            continue
        loaded = load_scenario(path)
        scenario = loaded.scenario
        if scenario is None:
            error = loaded.errors[0].format() if loaded.errors else _("scénario invalide")
            cards.append(
                ScenarioCard(path, path.stem, path.name, "", (), 0, timedelta(0), "", False, error)
            )
            continue
        cards.append(
            ScenarioCard(
                path=path,
                id=scenario.id,
                title=scenario.title,
                summary=scenario.summary or "",
                competencies=tuple(scenario.competencies),
                difficulty=scenario.difficulty,
                duration=scenario.duration,
                guidance=scenario.guidance,
                debrief=scenario.debrief,
            )
        )
    cards.sort(key=lambda card: (card.error is not None, card.difficulty, card.title.casefold()))
    return cards


def _first_and_last(path: Path) -> tuple[dict[str, Any], dict[str, Any], int] | None:
    """The header, the last complete record and the number of records of a log."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    lines = data.split(b"\n")
    complete = [line for line in lines[:-1] if line.strip()]
    if lines[-1].strip():  # a last line without its newline may be complete or cut
        try:
            json.loads(lines[-1])
            complete.append(lines[-1])
        except ValueError:
            pass
    if not complete:
        return None
    try:
        header = json.loads(complete[0])
        last = json.loads(complete[-1])
    except ValueError:
        return None
    if not isinstance(header, dict) or not isinstance(last, dict):
        return None
    return header, last, len(complete)


def interrupted_runs(runs_dir: Path) -> list[InterruptedRun]:
    """The logs of ``runs_dir`` whose last record is not an ``end``: runs interrupted
    (a closed or killed terminal) that can be resumed, the most recent first."""
    if not runs_dir.is_dir():
        return []
    found: list[InterruptedRun] = []
    for path in runs_dir.glob("*.jsonl"):
        read = _first_and_last(path)
        if read is None:
            continue
        header, last, count = read
        if header.get("kind") != "header" or last.get("kind") == "end":
            continue
        scenario = header.get("scenario") or {}
        found.append(
            InterruptedRun(
                path=path,
                scenario_id=str(scenario.get("id", "")),
                trainee=str(header.get("trainee", "")),
                started=str(header.get("started", "")),
                last_t=str(last.get("t", "")),
                records=count,
            )
        )
    found.sort(key=lambda run: run.started, reverse=True)
    return found
