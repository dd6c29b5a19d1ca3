"""What the replay viewer shows, without a terminal: banner, seek, values, the desk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from ui_support import fake_wall

from simsec import i18n
from simsec.scenario.loader import load_scenario
from simsec.scenario.replay_view import ChainStatus, ReplayView, open_replay
from simsec.scenario.solutions import run_solution
from simsec.scenario.world_cache import WorldCache
from simsec.ui.replay_model import (
    DeskCursor,
    banner,
    criterion_rows,
    parse_seek,
    timeline_rows,
    trainee_screen,
    value_text,
)

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "accueil_premiere_consultation.yaml"
_CACHE = WorldCache()


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplayView]:
    i18n.activate("fr")
    loaded = load_scenario(SCENARIO)
    assert loaded.scenario is not None
    solution = next(
        s for s in loaded.scenario.solutions if s.id == "nouveau_dossier_sans_recherche"
    )
    result = run_solution(
        loaded.scenario,
        solution,
        sha256=loaded.sha256,
        path=str(SCENARIO),
        log_dir=tmp_path_factory.mktemp("model-logs"),
        cache=_CACHE,
        wall_clock=fake_wall(),
    )
    assert result.log_path is not None
    opened = open_replay(result.log_path, scenario_path=SCENARIO, cache=_CACHE)
    yield opened
    opened.close()


def test_the_banner_says_the_gravest_first() -> None:
    ok = banner(ChainStatus(ok=True, complete=True, records=12))
    assert ok.level == "ok" and "12 enregistrements" in ok.text and "terminée" in ok.text
    cut = banner(ChainStatus(ok=True, complete=False, records=3))
    assert cut.level == "ok" and "interrompue" in cut.text
    changed = banner(ChainStatus(ok=True, scenario_changed=True, divergences=2))
    assert changed.level == "warning"
    assert "SCÉNARIO MODIFIÉ" in changed.text and "2 actions rejouées" in changed.text
    trial = banner(ChainStatus(ok=True), trial=True)
    assert trial.level == "warning" and "PARTIE D'ESSAI" in trial.text
    altered = banner(
        ChainStatus(ok=False, problem="Enregistrement 4 modifié.", first_bad_seq=4),
        trial=True,
    )
    assert altered.level == "error"
    assert altered.text.startswith("JOURNAL ALTÉRÉ : Enregistrement 4 modifié.")
    assert "n° 4" in altered.text


def test_values_read_the_french_way() -> None:
    assert value_text(None) == "—"
    assert value_text(date(2026, 9, 30)) == "30/09/2026"
    assert value_text(datetime(2026, 3, 2, 8, 40)) == "02/03/2026 08:40"
    assert value_text(datetime(2026, 3, 2, 8, 40, 15)) == "02/03/2026 08:40:15"
    assert value_text(Decimal("9.00")) == "9,00"
    assert value_text(True) == "oui"
    assert value_text(["G", "MCG"]) == "G, MCG"


def test_seek_by_number_or_time_with_french_errors(view: ReplayView) -> None:
    assert parse_seek("7", view) == 7
    assert parse_seek(" 9h07 ", view) == view.step_at_time(datetime(2026, 3, 2, 9, 7))
    assert parse_seek("08:39", view) == 0  # before anything: the start
    assert parse_seek("999", view) == "Aucun enregistrement n° 999 dans ce journal."
    assert "n'est ni un numéro" in str(parse_seek("demain", view))
    assert "n'est pas une heure valide" in str(parse_seek("09:07:75", view))
    assert "Indiquez" in str(parse_seek("", view))


def test_the_timeline_marks_refusals(view: ReplayView) -> None:
    rows = timeline_rows(view)
    assert len(rows) == len(view.steps)
    refused = [row for row in rows if row.ok is False]
    assert [r.title for r in refused] == ["Facturer (bill)"]
    assert rows[0].t == "08:40:00" and rows[0].kind == "header"
    assert all(len(row.wall) == len("07:45:00.250") for row in rows)


def test_the_desk_going_back_is_the_desk_of_that_step(view: ReplayView) -> None:
    cursor = DeskCursor(view)
    last = len(view.steps) - 1
    attend = next(s.index for s in view.steps if s.record.get("do") == "attend")
    cursor.at(last)
    back = trainee_screen(view, attend, cursor.at(attend))
    fresh = trainee_screen(view, attend, DeskCursor(view).at(attend))
    assert back.desk.attending == fresh.desk.attending == "v_giraud"
    assert [p.key for p in back.desk.waiting()] == [p.key for p in fresh.desk.waiting()]
    assert back.shell.now == view.step(attend).t
    assert [t.id for t in back.shell.tasks] == ["arrivee_giraud"]
    assert back.module == "Accueil"


def test_the_rubric_rows(view: ReplayView) -> None:
    rows = {row.id: row for row in criterion_rows(view)}
    assert rows["arrivee_signalee"].mark == "✔" and rows["arrivee_signalee"].passed
    assert rows["dossier_retrouve"].mark == "✘"
    assert rows["posture"].manual and rows["posture"].mark == "○"
    assert rows["posture"].status == "à noter par l'évaluateur"
