"""JSON Schema export, the ``scenario new`` template, and the ``scenario`` commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from simsec.actions.catalogue import ACTION_NAMES
from simsec.cli import scenario as scenario_cli
from simsec.scenario.loader import load_scenario_bytes
from simsec.scenario.schema import SCHEMA_FILE_NAME, scenario_json_schema, schema_text
from simsec.scenario.template import render_template
from tests.scenario.conftest import EXAMPLE


def run(*args: str) -> Result:
    group = click.Group(name="simsec")
    scenario_cli.register(group)
    return CliRunner().invoke(group, ["scenario", *args])


def _objects(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            found.append(node)
        for value in node.values():
            found += _objects(value)
    elif isinstance(node, list):
        for value in node:
            found += _objects(value)
    return found


def test_the_schema_is_strict_and_names_every_action() -> None:
    schema = scenario_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "simsec/scenario@1"
    assert schema["properties"]["format"]["const"] == "simsec/scenario@1"
    objects = _objects(schema)
    assert len(objects) > 80
    assert all(obj.get("additionalProperties") is False for obj in objects)
    actions = {
        obj["properties"]["do"]["const"]
        for obj in objects
        if "const" in obj["properties"].get("do", {})
    }
    assert actions == set(ACTION_NAMES)
    assert json.loads(schema_text()) == schema


def test_the_template_validates_and_starts_with_the_modeline() -> None:
    text = render_template("mon_scenario", "mon_scenario.yaml")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={SCHEMA_FILE_NAME}"
    result = load_scenario_bytes(text.encode(), "mon_scenario.yaml")
    assert result.errors == []
    assert result.scenario is not None and result.scenario.id == "mon_scenario"


def test_validate_a_valid_file_exits_0() -> None:
    result = run("validate", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert "scénario valide" in result.output


def test_validate_reports_every_error_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        EXAMPLE.read_text(encoding="utf-8")
        .replace("difficulty: 3", "difficulty: 9")
        .replace("  seed: 42", "  sed: 42"),
        encoding="utf-8",
    )
    result = run("validate", str(bad), str(EXAMPLE))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{bad}:11:13: difficulty: ")
    assert lines[1].startswith(f"{bad}:23:3: world.sed: Clé inconnue « sed »")
    assert "2 erreurs" in result.stderr
    assert "Traceback" not in result.output


def test_validate_json_output(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: simsec/scenario@1\n", encoding="utf-8")
    result = run("validate", "--json", str(bad))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report[0]["valid"] is False
    assert {"file", "line", "column", "path", "code", "message"} <= set(report[0]["errors"][0])


def test_validate_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "absent.yaml"))
    assert result.exit_code == 2
    assert "introuvable" in result.stderr


def test_schema_prints_the_json_schema() -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "simsec/scenario@1"


def test_new_writes_a_valid_template_and_its_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("new", "accueil_matin")
    assert result.exit_code == 0, result.output
    written = tmp_path / "accueil_matin.yaml"
    assert written.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    assert (tmp_path / SCHEMA_FILE_NAME).is_file()
    assert run("validate", str(written)).exit_code == 0
    again = run("new", "accueil_matin")
    assert again.exit_code == 1
    assert "existe déjà" in again.stderr
    assert run("new", "accueil_matin", "--force").exit_code == 0


def test_new_refuses_a_name_that_is_not_snake_case(tmp_path: Path) -> None:
    result = run("new", str(tmp_path / "Mon-Scénario"))
    assert result.exit_code == 2
    assert "snake_case" in result.stderr
