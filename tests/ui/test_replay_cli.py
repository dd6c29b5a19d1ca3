"""``simsec replay LOG`` and ``simsec scenario play FILE``: arguments, errors, the app they
build (the TUI itself is replaced by a stub that records how it was built)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from simsec.cli import play_trial, replay
from simsec.runlog.writer import RunLogWriter

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "accueil_premiere_consultation.yaml"


class _StubApp:
    def __init__(self, calls: list[dict[str, Any]], **kwargs: Any) -> None:
        self.kwargs = kwargs
        calls.append(kwargs)

    def run(self) -> None:
        runs = self.kwargs.get("runs_dir")
        if isinstance(runs, Path):  # what a trial leaves: one log in its folder
            (runs / "trial.jsonl").write_text("", encoding="utf-8")


def _cli() -> click.Group:
    @click.group()
    @click.option("--lang", default=None)
    def root(lang: str | None) -> None:
        pass

    replay.register(root)

    @root.group(name="scenario")
    def scenario() -> None:
        pass

    play_trial.add_play_command(scenario)
    return root


def _log(directory: Path) -> Path:
    with RunLogWriter.create(
        directory,
        scenario_id="accueil_premiere_consultation",
        trainee="Emilie",
        wall_clock=lambda: datetime(2026, 3, 2, 7, 45),
        fsync=False,
    ) as writer:
        writer.header(
            "2026-03-02T08:40:00",
            simsec_version="0.1.0",
            scenario_id="accueil_premiere_consultation",
            scenario_sha256="",
            scenario_path=str(SCENARIO),
            seed=101,
            trainee="Emilie",
            locale="fr-FR",
            guidance="guided",
        )
        return writer.path


def test_replay_opens_the_viewer_on_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []

    def fake(settings: Any, log: Path, **kwargs: Any) -> _StubApp:
        return _StubApp(calls, log=log, **kwargs)

    opened: list[tuple[Path, Path | None]] = []

    def fake_open(path: Path, *, scenario_path: Path | None, cache: Any) -> str:
        opened.append((path, scenario_path))
        return "the replay"

    monkeypatch.setattr("simsec.ui.screens.replay.make_replay_app", fake)
    monkeypatch.setattr("simsec.scenario.replay_view.open_replay", fake_open)
    log = _log(tmp_path)
    result = CliRunner().invoke(
        _cli(), ["replay", str(log), "--scenario", str(SCENARIO), "--assessor", " Jury "]
    )
    assert result.exit_code == 0, result.output
    [call] = calls
    assert call["log"] == log and call["scenario"] == SCENARIO
    assert call["assessor"] == "Jury" and call["lang"] == "fr"
    assert opened == [(log, SCENARIO)] and call["opened"] == "the replay"  # opened first


def test_replay_refuses_a_file_that_is_not_a_log(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("pas un journal\n", encoding="utf-8")
    result = CliRunner().invoke(_cli(), ["replay", str(other)])
    assert result.exit_code == 1
    assert "n'est pas un journal de partie simsec" in result.output
    assert "Traceback" not in result.output


def test_replay_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(_cli(), ["replay", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 2


def test_scenario_play_is_an_unassessed_trial_in_a_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []

    def fake(settings: Any, **kwargs: Any) -> _StubApp:
        return _StubApp(calls, **kwargs)

    monkeypatch.setattr("simsec.ui.factory.make_app", fake)
    trial = tmp_path / "essai"
    trial.mkdir()
    monkeypatch.setattr(play_trial, "trial_directory", lambda: trial)
    result = CliRunner().invoke(_cli(), ["scenario", "play", str(SCENARIO), "--speed", "0"])
    assert result.exit_code == 0, result.output
    [call] = calls
    assert call["assessed"] is False and call["runs_dir"] == trial
    assert call["scenario"] == SCENARIO and call["trainee"] == "essai" and call["speed"] == 0
    assert "Essai non évalué" in result.output and str(trial) in result.output
    assert str(trial / "trial.jsonl") in result.output


def test_scenario_play_refuses_an_invalid_scenario_with_positions(tmp_path: Path) -> None:
    broken = tmp_path / "casse.yaml"
    broken.write_text("format: simsec/scenario@1\nid: casse\ntitle: [\n", encoding="utf-8")
    result = CliRunner().invoke(_cli(), ["scenario", "play", str(broken)])
    assert result.exit_code == 1
    assert "Scénario invalide" in result.output and "casse.yaml:" in result.output
