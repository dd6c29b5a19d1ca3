"""Helpers for the run-log tests: a fixed clock and a small complete log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from simsec.runlog.writer import RunLogWriter

START = datetime(2026, 3, 2, 8, 45)


def fake_clock(start: datetime = datetime(2026, 3, 2, 7, 45, tzinfo=UTC)) -> Callable[[], datetime]:
    """A wall clock that advances 1.5 s at each reading (no real clock read)."""
    state = {"now": start}

    def now() -> datetime:
        state["now"] += timedelta(milliseconds=1500)
        return state["now"]

    return now


def write_sample(directory: Path, *, fsync: bool = False) -> Path:
    """A complete log: header, events, actions (ok and refused), a view, an end."""
    with RunLogWriter.create(
        directory, scenario_id="exemple_complet", trainee="Émilie Durand",
        wall_clock=fake_clock(), fsync=fsync,
    ) as log:  # fmt: skip
        log.header(
            START,
            simsec_version="0.1.0",
            scenario_id="exemple_complet",
            scenario_sha256="ab" * 32,
            scenario_path="scenarios/exemple_complet.yaml",
            seed=42,
            trainee="Émilie Durand",
            locale="fr-FR",
            guidance="guided",
        )
        log.event(START, "arrivee_dupont", "visitor", {"person": "v_dupont", "says": "Bonjour"})
        log.action(START + timedelta(seconds=10), "attend", {"person": "v_dupont"}, {"ok": True})
        log.action(
            START + timedelta(seconds=40),
            "search_patients",
            {"birth_name": "DUPONT", "birth_date": "1985-04-12"},
            {"ok": True, "results": ["p_dupont"]},
            as_="recherche1",
        )
        log.view(START + timedelta(seconds=50), "patient", "p_dupont")
        log.action(
            START + timedelta(minutes=2),
            "book_appointment",
            {"patient": "p_dupont", "practitioner": "dr_martin", "type": "C",
             "start": "2026-03-02T09:00"},
            {"ok": False, "error": {"code": "agenda.conflict", "message": "Créneau déjà pris"}},
        )  # fmt: skip
        log.event(START + timedelta(minutes=4), "appel", "call", {"says": "Allô « ici » \u2028"})
        log.end(START + timedelta(minutes=5), "completed", {"percent": 75, "points": "6"})
        return log.path
