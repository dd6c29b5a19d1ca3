"""The trainer's guide ``docs/scenarios.md``: its worked example is a real file that
validates, whose solutions pass, and the guide quotes it exactly."""

from __future__ import annotations

import re
from pathlib import Path

from reports_helpers import ROOT

from simsec.actions.catalogue import ACTION_NAMES
from simsec.scenario.entities import STATE_FIELDS
from simsec.scenario.loader import load_scenario
from simsec.scenario.solutions import run_solutions
from simsec.scenario.world_cache import WorldCache

GUIDE = ROOT / "docs" / "scenarios.md"
EXAMPLE = ROOT / "docs" / "exemple_guide.yaml"
_BLOCK = re.compile(r"<!-- (extrait|fichier complet)[^>]*-->\n```yaml\n(.*?)\n```", re.DOTALL)


def test_the_worked_example_validates_and_its_solutions_pass(world_cache: WorldCache) -> None:
    loaded = load_scenario(EXAMPLE)
    assert loaded.ok, [str(e) for e in loaded.errors]
    assert loaded.scenario is not None
    results = run_solutions(loaded.scenario, sha256=loaded.sha256, cache=world_cache)
    assert [(r.solution, r.problems) for r in results] == [
        ("reference", []),
        ("nouveau_dossier", []),
    ]
    reference = results[0].report
    assert reference is not None and reference.percent == 100


def test_the_guide_quotes_the_example_exactly() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    example = EXAMPLE.read_text(encoding="utf-8")
    blocks = _BLOCK.findall(guide)
    excerpts = [text for kind, text in blocks if kind == "extrait"]
    complete = [text for kind, text in blocks if kind == "fichier complet"]
    assert len(excerpts) >= 10
    for excerpt in excerpts:
        assert excerpt + "\n" in example, excerpt.splitlines()[0]
    assert complete == [example.rstrip("\n")]


def test_the_guide_covers_the_whole_format() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    missing_actions = [name for name in ACTION_NAMES if f"`{name}`" not in guide]
    assert missing_actions == []
    missing_entities = [name for name in STATE_FIELDS if f"`{name}`" not in guide]
    assert missing_entities == []
    for check in ("action", "no_action", "before", "within", "state", "no_duplicates",
                  "no_conflicts", "answer", "transcription", "all", "any", "not"):  # fmt: skip
        assert f"`{check}" in guide, check


def test_the_guide_is_in_french() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert text.startswith("# Écrire un scénario simsec")
    assert Path(EXAMPLE).name in text
