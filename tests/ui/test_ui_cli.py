"""``simsec play`` and ``simsec serve`` (the TUI itself is driven by the Pilot tests)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from ui_support import DATA

from simsec.cli import play, serve
from simsec.ui import runner
from simsec.ui.context import RestartRequest


@pytest.fixture
def root() -> click.Group:
    """A root group like ``simsec``'s (``--lang``), with ``play`` and ``serve``."""

    @click.group()
    @click.option("--lang", default=None)
    def group(lang: str | None) -> None:
        pass

    play.register(group)
    serve.register(group)
    return group


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def fake_run_tui(lang: str | None, **kwargs: Any) -> int:
        seen.append({"lang": lang, **kwargs})
        return 0

    monkeypatch.setattr(play, "run_tui", fake_run_tui)
    return seen


def test_play_starts_the_tui_on_the_scenario(
    root: click.Group, calls: list[dict[str, Any]]
) -> None:
    scenario = DATA / "accueil.yaml"
    result = CliRunner().invoke(
        root, ["--lang", "en", "play", str(scenario), "--trainee", " Emilie "]
    )
    assert result.exit_code == 0, result.output
    assert calls == [{"lang": "en", "trainee": "Emilie", "scenario": scenario, "speed": 1.0}]


def test_play_asks_for_the_trainee_name(root: click.Group, calls: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(root, ["play", str(DATA / "accueil.yaml")], input="Emilie\n")
    assert result.exit_code == 0, result.output
    assert "Nom du stagiaire" in result.output and calls[0]["trainee"] == "Emilie"


def test_play_refuses_an_invalid_scenario_before_the_tui(
    root: click.Group, calls: list[dict[str, Any]]
) -> None:
    result = CliRunner().invoke(root, ["play", str(DATA / "casse.yaml"), "--trainee", "x"])
    assert result.exit_code == 1
    assert "Scénario invalide" in result.output
    assert "casse.yaml:4:8" in result.output  # the position of the bad value
    assert calls == []


def test_play_missing_file_is_a_usage_error(root: click.Group, calls: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(root, ["play", "absent.yaml", "--trainee", "x"])
    assert result.exit_code == 2 and calls == []


def test_a_language_change_rebuilds_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[dict[str, Any]] = []
    results = [RestartRequest("en", "Emilie"), None]

    class FakeApp:
        def run(self) -> RestartRequest | None:
            return results.pop(0)

    def fake_make_app(settings: Any, **kwargs: Any) -> FakeApp:
        built.append(kwargs)
        return FakeApp()

    import simsec.ui.factory

    monkeypatch.setattr(simsec.ui.factory, "make_app", fake_make_app)
    assert runner.run_tui("fr", scenario=Path("x.yaml")) == 0
    assert [(b["lang"], b["trainee"], b["scenario"]) for b in built] == [
        ("fr", "", Path("x.yaml")),
        ("en", "Emilie", None),  # back to the home, in English
    ]


def test_serve_runs_the_home_for_each_browser() -> None:
    command = serve.serve_command("en")
    assert shlex.split(command) == [sys.executable, "-m", "simsec.ui", "--lang", "en"]


def test_serve_rejects_a_bad_port(root: click.Group) -> None:
    result = CliRunner().invoke(root, ["serve", "--port", "70000"])
    assert result.exit_code == 2
