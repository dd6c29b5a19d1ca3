"""``simsec report``: the grid, the timeline, the banner of an altered log, escaping, HTML
that prints on A4, exit codes. On the engine tests' scenario (stable, small)."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from reports_helpers import (
    ASSESSOR,
    COMMENT,
    ENGINE_SCENARIO,
    PlayedLog,
    alter_byte,
    fixed_wall,
    play_solutions,
    rewrite_log,
)

from simsec.reports.html import render_html
from simsec.reports.markdown import escape, render_markdown
from simsec.reports.model import CheckStatus, RunReport, build_report
from simsec.scenario.loader import load_scenario
from simsec.scenario.run import Run
from simsec.scenario.world_cache import WorldCache

HOSTILE = "<script>alert('x')</script> | **gras** [lien](http://exemple.invalid)\nligne 2"


@pytest.fixture(scope="module")
def engine_logs(
    tmp_path_factory: pytest.TempPathFactory, world_cache: WorldCache
) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("engine-logs")
    played: list[PlayedLog] = play_solutions([ENGINE_SCENARIO], directory, world_cache)
    return {log.solution: log.path for log in played}


@pytest.fixture(scope="module")
def hostile_log(tmp_path_factory: pytest.TempPathFactory, world_cache: WorldCache) -> Path:
    """A run where the trainee types markup, and stops without ending (killed run)."""
    loaded = load_scenario(ENGINE_SCENARIO)
    assert loaded.scenario is not None
    path = tmp_path_factory.mktemp("hostile") / "hostile.jsonl"
    run = Run.start(
        loaded.scenario, sha256=loaded.sha256, path=str(ENGINE_SCENARIO), log_path=path,
        cache=world_cache, wall_clock=fixed_wall(), fsync=False, trainee="<b>Eve</b>",
    )  # fmt: skip
    run.perform({"do": "attend", "with": {"person": "v_dupont"}}, at=timedelta(minutes=3))
    run.perform({"do": "say", "with": {"person": "v_dupont", "text": HOSTILE}})
    run.close()
    return path


@pytest.fixture(scope="module")
def reference(engine_logs: dict[str, Path], world_cache: WorldCache) -> RunReport:
    return build_report(engine_logs["reference"], cache=world_cache)


def _invoke(cli: click.Group, *args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# ---------------------------------------------------------------- the model


def test_the_grid_follows_the_certification_order(reference: RunReport) -> None:
    assert reference.verification.chain_ok and reference.verification.replay_ok is True
    assert [ccp.code for ccp in reference.grid] == ["SAMA.1", "TR"]
    sama = reference.grid[0]
    assert sama.label.startswith("Assurer l'accueil du patient")
    assert [c.code for c in sama.competences] == ["SAMA.1.1", "SAMA.1.2", "SAMA.1.3"]
    criteria = [row.id for c in sama.competences for row in c.criteria]
    assert criteria == [
        "accueil_rapide",
        "arrivee_notee",
        "pas_de_chevauchement",
        "recherche_avant_creation",
        "piece_identite",
        "pas_de_doublon",
    ]
    search = sama.competences[2].criteria[0]
    assert search.reac == "Les procédures sont respectées"
    assert search.feedback is not None and search.passed is True


def test_evidence_cites_records_with_their_scenario_time(reference: RunReport) -> None:
    row = reference.grid[0].competences[0].criteria[0]
    assert [(e.seq, e.t.strftime("%H:%M:%S") if e.t else None) for e in row.evidence] == [
        (1, "08:45:00"),
        (2, "08:45:30"),
    ]
    assert "attend" in row.evidence[1].text


def test_manual_grades_are_counted_and_shown(reference: RunReport) -> None:
    assert reference.totals is not None
    assert reference.totals.percent == 100
    assert reference.totals.manual_open == 0
    assert reference.totals.manual_points == reference.totals.manual_max == 1
    posture = reference.grid[1].competences[-1].criteria[0]
    assert posture.manual and posture.grade is not None
    assert (posture.grade.comment, posture.grade.assessor) == (COMMENT, ASSESSOR)
    general = [g for g in reference.grades if not g.criterion]
    assert [g.comment for g in general] == ["Partie sérieuse ; rythme à améliorer."]


def test_response_times_and_refusals(reference: RunReport) -> None:
    delays = {r.person: r.delay for r in reference.responses}
    assert delays == {"v_dupont": timedelta(seconds=30), "c_pharmacien": timedelta(minutes=1)}
    outcomes = {r.person: r.outcome for r in reference.responses}
    assert outcomes == {"v_dupont": "done", "c_pharmacien": "refused"}
    assert [(r.do, r.code) for r in reference.refusals] == [("call_insi", "insi_unavailable")]
    assert reference.counts["refused"] == 1


def test_a_visitor_never_attended_is_reported(
    engine_logs: dict[str, Path], world_cache: WorldCache
) -> None:
    report = build_report(engine_logs["creation_en_doublon"], cache=world_cache)
    assert report.totals is not None and report.totals.manual_open == 1
    assert [(r.person, r.attended is not None) for r in report.responses] == [("v_dupont", True)]
    assert all(r.ended is None for r in report.responses)


def test_an_interrupted_run_is_reported_without_finding(
    hostile_log: Path, world_cache: WorldCache
) -> None:
    report = build_report(hostile_log, cache=world_cache)
    assert report.findings == ()
    assert not report.verification.complete
    assert any(
        item.status is CheckStatus.WARNING and "interrompue" in item.message
        for item in report.verification.items
    )


# ---------------------------------------------------------------- rendering


def test_markdown_escapes_what_the_trainee_typed(
    hostile_log: Path, world_cache: WorldCache
) -> None:
    text = render_markdown(build_report(hostile_log, cache=world_cache))
    assert "<script>" not in text and "<b>" not in text
    assert r"\<script\>" in text and r"\*\*gras\*\*" in text and r"\[lien\]" in text
    row = next(line for line in text.splitlines() if "Dire (say)" in line and line.startswith("|"))
    unescaped_pipes = len(re.findall(r"(?<!\\)\|", row))
    assert unescaped_pipes == 6  # five columns
    assert "ligne 2" in row  # the newline did not end the row


def test_html_escapes_what_the_trainee_typed(hostile_log: Path, world_cache: WorldCache) -> None:
    text = render_html(build_report(hostile_log, cache=world_cache))
    assert "<script" not in text and "<b>Eve" not in text
    assert "&lt;script&gt;" in text and "&lt;b&gt;Eve&lt;/b&gt;" in text


@pytest.mark.parametrize("text", ["a|b", "x\ny", "# titre", "_x_", "<i>", "`code`"])
def test_markdown_escape_neutralises_markup(text: str) -> None:
    escaped = escape(text)
    assert "\n" not in escaped
    assert not re.search(r"(?<!\\)[|<`]", escaped)
    assert not escaped.startswith("#")


@given(st.text(max_size=60))
def test_markdown_escape_never_breaks_a_table_cell(text: str) -> None:
    escaped = escape(text)
    assert "\n" not in escaped and "\r" not in escaped
    bare = re.sub(r"\\.", "", escaped)  # every backslash escape removed
    assert not set(bare) & set("|<>`*[]")


def test_markdown_escape_keeps_keys_readable() -> None:
    assert escape("p_dupont") == "p_dupont"
    assert escape("patient#12") == "patient#12"


def test_html_is_self_contained_and_prints_on_a4(reference: RunReport) -> None:
    text = render_html(reference)
    assert text.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in text and '<meta charset="utf-8">' in text
    assert re.search(r"@page\s*\{\s*size:\s*A4", text)
    assert "display: table-header-group" in text
    for external in ("http://", "https://", "<link", "<script", "src=", "@import", "url("):
        assert external not in text, external
    assert "Heure réelle (UTC)" in text  # the wall clock, as a secondary column


def test_markdown_has_no_wall_clock_column(reference: RunReport) -> None:
    text = render_markdown(reference)
    assert "Heure réelle" not in text
    assert "07:45:0" not in text.split("## Vérification")[1]


# ---------------------------------------------------------------- the command


def test_report_prints_markdown_by_default(cli: click.Group, engine_logs: dict[str, Path]) -> None:
    result = _invoke(cli, "report", str(engine_logs["reference"]))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Rapport d'évaluation : ")
    assert "## Grille d'évaluation" in result.output


def test_report_writes_html_to_a_file(
    cli: click.Group, engine_logs: dict[str, Path], tmp_path: Path
) -> None:
    target = tmp_path / "rapport.html"
    result = _invoke(cli, "report", str(engine_logs["reference"]), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    markdown = tmp_path / "rapport.txt"
    result = _invoke(
        cli, "report", str(engine_logs["reference"]), "--format", "md", "-o", str(markdown)
    )
    assert result.exit_code == 0
    assert markdown.read_text(encoding="utf-8").startswith("# ")


def test_report_in_english(cli: click.Group, engine_logs: dict[str, Path]) -> None:
    # The failing solution's log: its results carry no translated message besides
    # ``error.message`` (a replay in another language than the run's compares them).
    log = str(engine_logs["creation_en_doublon"])
    result = _invoke(cli, "report", log, "--format", "html", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert '<html lang="en">' in result.output


def test_a_broken_chain_gives_a_banner_and_exit_1(
    cli: click.Group, engine_logs: dict[str, Path], tmp_path: Path
) -> None:
    altered = tmp_path / "altere.jsonl"
    shutil.copyfile(engine_logs["reference"], altered)
    alter_byte(altered, "Je ne peux rien communiquer", "Je peux tout communiquer")
    target = tmp_path / "altere.md"
    result = _invoke(cli, "report", str(altered), "-o", str(target))
    assert result.exit_code == 1
    text = target.read_text(encoding="utf-8")
    banner = text.split("## Partie")[0]
    assert "JOURNAL ALTÉRÉ" in banner and "n° 13" in banner
    assert "Je peux tout communiquer" in text  # what the file says is still shown
    html = tmp_path / "altere.html"
    assert _invoke(cli, "report", str(altered), "-o", str(html)).exit_code == 1
    assert 'class="banner"' in html.read_text(encoding="utf-8")


def test_a_rechained_forgery_is_caught_by_the_replay(
    cli: click.Group, engine_logs: dict[str, Path], tmp_path: Path
) -> None:
    def forge(body: dict[str, Any]) -> dict[str, Any]:
        if body.get("do") == "call_insi" and body["result"].get("ok") is False:
            return {**body, "result": {"ok": True, "identity_status": "qualifiee"}}
        return body

    forged = rewrite_log(engine_logs["reference"], tmp_path, change=forge)
    result = _invoke(cli, "report", str(forged))
    assert result.exit_code == 1
    assert "RAPPORT À VÉRIFIER" in result.output.split("## Partie")[0]
    verification = build_report(forged).verification
    assert verification.chain_ok and verification.replay_ok is False


@pytest.mark.parametrize(
    "args",
    [
        ["report", "absent.jsonl"],
        ["report", "LOG", "--format", "pdf"],
        ["report", "LOG", "--scenario", "absent.yaml"],
        ["report", "LOG", "-o", "/nonexistent-dir/x.md"],
        ["report", "SCENARIO"],
        ["report", "EMPTY"],
    ],
)
def test_bad_usage_exits_2(
    cli: click.Group, engine_logs: dict[str, Path], tmp_path: Path, args: list[str]
) -> None:
    empty = tmp_path / "vide.jsonl"
    empty.write_bytes(b"")
    names = {
        "LOG": str(engine_logs["reference"]),
        "SCENARIO": str(ENGINE_SCENARIO),
        "EMPTY": str(empty),
    }
    result = CliRunner().invoke(cli, [names.get(a, a) for a in args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_every_action_of_the_catalogue_has_a_label() -> None:
    """A report names each action in words, never by its ``do`` (a new action needs one)."""
    from simsec.actions.catalogue import ACTION_NAMES
    from simsec.reports.labels import ACTION_LABELS

    assert set(ACTION_NAMES) <= set(ACTION_LABELS), set(ACTION_NAMES) - set(ACTION_LABELS)
