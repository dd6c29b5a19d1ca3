"""The assessor's replay, without a terminal: steps, changes, evidence, manual grades."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, insert, update

from simsec import i18n
from simsec.db.models import Base, Structure
from simsec.runlog.reader import read_log
from simsec.runlog.replay import replay_log
from simsec.runlog.verify import verify_log
from simsec.scenario.loader import load_scenario
from simsec.scenario.replay_view import (
    ChangeKind,
    ChangeTracker,
    GradeError,
    ReplayView,
    open_replay,
    parse_points,
)
from simsec.scenario.solutions import run_solution
from simsec.scenario.world_cache import WorldCache, memory_engine

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "accueil_premiere_consultation.yaml"
_CACHE = WorldCache()


def _wall() -> Callable[[], datetime]:
    state = {"now": datetime(2026, 3, 2, 7, 40, tzinfo=UTC)}

    def now() -> datetime:
        state["now"] += timedelta(milliseconds=250)
        return state["now"]

    return now


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped scenario's reference solution and one typical mistake, played and
    logged (a header path that does not resolve, so that tests name the scenario)."""
    i18n.activate("fr")
    loaded = load_scenario(SCENARIO)
    assert loaded.scenario is not None
    folder = tmp_path_factory.mktemp("replay-logs")
    out: dict[str, Path] = {}
    for solution in loaded.scenario.solutions:
        if solution.id in ("reference", "nouveau_dossier_sans_recherche"):
            result = run_solution(
                loaded.scenario,
                solution,
                sha256=loaded.sha256,
                path="ailleurs/accueil.yaml",
                log_dir=folder,
                cache=_CACHE,
                wall_clock=_wall(),
            )
            assert result.ok, result.problems
            assert result.log_path is not None
            out[solution.id] = result.log_path
    return out


@pytest.fixture
def reference(logs: dict[str, Path], tmp_path: Path) -> Path:
    """A private copy of the reference solution's log (tests append to it)."""
    target = tmp_path / "reference.jsonl"
    shutil.copyfile(logs["reference"], target)
    return target


@pytest.fixture
def view(reference: Path) -> Iterator[ReplayView]:
    opened = open_replay(reference, scenario_path=SCENARIO, cache=_CACHE)
    yield opened
    opened.close()


def _step_of(view: ReplayView, do: str, nth: int = 0) -> int:
    found = [s.index for s in view.steps if s.record.get("do") == do]
    return found[nth]


# ----------------------------------------------------------------------------- steps


def test_every_record_is_a_step_and_the_replay_rebuilds_the_run(view: ReplayView) -> None:
    records = verify_log(view.path).records
    assert [s.seq for s in view.steps] == [r.seq for r in records]
    assert [s.index for s in view.steps] == list(range(len(records)))
    assert all(s.verified for s in view.steps)
    chain = view.chain
    assert chain.ok and chain.complete and chain.trustworthy
    assert chain.rebuilt is True  # the state hash of the end record is found again
    assert chain.divergences == 0 and not chain.scenario_changed
    assert view.trainee == "solution:reference"


def test_steps_know_the_module_in_use(view: ReplayView) -> None:
    assert view.step(_step_of(view, "attend")).area == "desk"
    assert view.step(_step_of(view, "update_patient")).area == "identity"
    assert view.step(_step_of(view, "bill")).area == "payment"
    assert view.area_at(0) is None
    assert view.area_at(_step_of(view, "update_patient") + 1) in ("identity", "desk")


def test_a_step_shows_what_it_changed_in_the_database(view: ReplayView) -> None:
    step = view.step(_step_of(view, "update_patient"))
    [change] = step.changes
    assert (change.table, change.key, change.kind) == ("patient", "p_giraud", ChangeKind.UPDATE)
    fields = {f.column: (f.before, f.after) for f in change.fields}
    assert fields["first_names"] == ("NATHALIE", "NATHALIE MARIE")
    assert fields["city"] == (None, "VILLEURBANNE")
    assert "birth_name" not in fields  # unchanged columns are left out

    coverage = view.step(_step_of(view, "set_coverage")).changes
    assert [(c.table, c.key, c.kind) for c in coverage] == [
        ("coverage", "p_giraud", ChangeKind.INSERT)
    ]
    values = {f.column: f.after for f in coverage[0].fields}
    assert values["amo_rights_until"] == date(2026, 9, 30)  # typed values, not SQLite text
    assert values["patient_id"] == "p_giraud"  # a foreign key shows the key it points to

    bill = view.step(_step_of(view, "bill")).changes
    invoice = next(c for c in bill if c.table == "invoice")
    values = {f.column: f.after for f in invoice.fields}
    assert values["appointment_id"] == "rdv_giraud"
    assert values["amo_part"] == Decimal("19.00") and values["acts"] == ["G"]
    assert "id" not in values


def test_reading_steps_and_events_change_nothing(view: ReplayView) -> None:
    assert view.step(_step_of(view, "ask")).changes == ()
    assert view.step(_step_of(view, "search_patients")).changes == ()
    assert all(s.changes == () for s in view.steps if s.kind != "action")


def test_a_refused_action_is_marked_and_changed_nothing(logs: dict[str, Path]) -> None:
    opened = open_replay(
        logs["nouveau_dossier_sans_recherche"], scenario_path=SCENARIO, cache=_CACHE
    )
    try:
        bills = [s for s in opened.steps if s.record.get("do") == "bill"]
        assert [s.ok for s in bills] == [False, True]
        assert bills[0].changes == ()
        assert [c.table for c in bills[1].changes] == ["invoice"]
        created = next(s for s in opened.steps if s.record.get("do") == "create_patient")
        assert (created.changes[0].table, created.changes[0].kind) == (
            "patient",
            ChangeKind.INSERT,
        )
    finally:
        opened.close()


def test_open_tasks_follow_the_run(view: ReplayView) -> None:
    first_end = _step_of(view, "end_interaction")
    assert [t.id for t in view.open_tasks_at(1)] == ["arrivee_giraud"]
    assert view.open_tasks_at(first_end) == []
    assert view.tasks["arrivee_giraud"].text.startswith("Accueillir Mme Giraud")


def test_seek_by_number_and_by_scenario_time(view: ReplayView) -> None:
    assert view.step_for_seq(5) == 5
    assert view.step_for_seq(999) is None
    back = view.step(_step_of(view, "attend", 1))
    assert back.t is not None
    assert view.step_at_time(back.t) is not None
    assert view.step(view.step_at_time(back.t) or 0).t == back.t
    assert view.step_at_time(datetime(2026, 3, 2, 8, 0)) is None


# ----------------------------------------------------------------------------- rubric


def test_criteria_jump_to_their_evidence(view: ReplayView) -> None:
    assert view.report is not None and view.report.percent == 100
    found = view.evidence_steps("dossier_retrouve")
    assert [view.step(i).record.get("do") for i in found] == [
        "search_patients",
        "check_identity_document",
    ]
    arrival = view.evidence_steps("arrivee_signalee")
    assert view.step(arrival[0]).record.get("id") == "arrivee_giraud"
    assert view.step(arrival[-1]).record.get("do") == "mark_arrived"
    assert view.evidence_steps("posture") == []  # a manual criterion not graded yet


def test_entity_evidence_goes_to_its_last_change(view: ReplayView) -> None:
    payment = _step_of(view, "record_payment")
    assert view.last_change_of("invoice#1", "invoice") == payment
    assert view.last_change_of("p_giraud", "patient") == _step_of(view, "call_insi")
    assert view.last_change_of("nothing") is None


# ----------------------------------------------------------------------------- grades


def test_a_manual_grade_extends_the_chain_and_is_scored(
    view: ReplayView, reference: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = len(view.steps)
    record = view.add_grade(
        "posture", "1,5", "Accueil courtois", "Mme Lebrun", wall_clock=_wall(), fsync=False
    )
    assert record.kind == "grade" and record.seq == before
    assert dict(record.body) == {
        "criterion": "posture",
        "points": 1.5,
        "comment": "Accueil courtois",
        "assessor": "Mme Lebrun",
    }
    report = verify_log(reference)
    assert report.ok and report.records[-1].hash == record.hash
    assert report.records[-1].prev == report.records[-2].hash
    assert len(view.steps) == before + 1 and view.chain.ok and view.chain.records == before + 1
    graded = view.criterion("posture")
    assert graded is not None and graded.points == Decimal("1.5")
    assert view.evidence_steps("posture") == [before]
    assert view.report is not None and view.report.manual_graded == 1

    replayed = replay_log(reference, scenario_path=SCENARIO, cache=_CACHE)
    assert replayed.ok and replayed.report is not None
    assert replayed.report.criterion("posture").grade is not None  # type: ignore[union-attr]

    from simsec.cli import main

    assert main(["score", str(reference), "--scenario", str(SCENARIO)]) == 0
    assert "noté 1,5/2 par l'évaluateur" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("criterion", "points", "assessor", "message"),
    [
        ("posture", "", "Jury", "Indiquez le nombre de points."),
        ("posture", "beaucoup", "Jury", "n'est pas un nombre de points"),
        ("posture", "3", "Jury", "entre 0 et 2"),
        ("posture", "-1", "Jury", "entre 0 et 2"),
        ("posture", "1,255", "Jury", "au plus deux décimales"),
        ("posture", "1", "  ", "Indiquez le nom de l'évaluateur."),
        ("dossier_retrouve", "1", "Jury", "évalué automatiquement"),
        ("inconnu", "1", "Jury", "Critère inconnu"),
    ],
)
def test_a_bad_grade_is_refused_in_french_and_writes_nothing(
    view: ReplayView, reference: Path, criterion: str, points: str, assessor: str, message: str
) -> None:
    before = reference.read_bytes()
    with pytest.raises(GradeError) as caught:
        view.add_grade(criterion, points, "", assessor, fsync=False)
    assert message in caught.value.message
    assert reference.read_bytes() == before


@given(cents=st.integers(min_value=0, max_value=400))
def test_points_in_range_are_read_back(cents: int) -> None:
    value = Decimal(cents) / 100
    french = f"{value:.2f}".replace(".", ",")
    assert parse_points(french, Decimal(4)) == value
    assert parse_points(f" {value} ", Decimal(4)) == value


@given(cents=st.integers(min_value=401, max_value=10**6))
def test_points_above_the_maximum_are_refused(cents: int) -> None:
    with pytest.raises(GradeError):
        parse_points(str(Decimal(cents) / 100), Decimal(4))


# ----------------------------------------------------------------------------- damage


def _alter(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))


def test_an_altered_log_is_shown_with_its_first_bad_record(reference: Path) -> None:
    _alter(reference, b'"outcome":"oriented"', b'"outcome":"done"')
    opened = open_replay(reference, scenario_path=SCENARIO, cache=_CACHE)
    try:
        chain = opened.chain
        assert chain.altered and not chain.trustworthy
        bad = chain.first_bad_seq
        assert bad is not None and opened.step(bad).record.get("do") == "end_interaction"
        assert [s.verified for s in opened.steps] == [s.index < bad for s in opened.steps]
        assert len(verify_log(reference).records) == bad
        assert len(opened.steps) == len(read_log(reference).records)  # all still shown
        before = reference.read_bytes()
        with pytest.raises(GradeError) as caught:
            opened.add_grade("posture", "1", "", "Jury", fsync=False)
        assert "altéré" in caught.value.message
        assert reference.read_bytes() == before
    finally:
        opened.close()


def test_a_changed_scenario_is_reported(reference: Path, tmp_path: Path) -> None:
    changed = tmp_path / "accueil_premiere_consultation.yaml"
    changed.write_bytes(SCENARIO.read_bytes() + "\n# corrigé par le formateur\n".encode())
    opened = open_replay(reference, scenario_path=changed, cache=_CACHE)
    try:
        assert opened.chain.ok and opened.chain.scenario_changed
        assert not opened.chain.trustworthy
        assert opened.report is not None
    finally:
        opened.close()


def test_a_missing_scenario_still_shows_the_timeline(reference: Path) -> None:
    opened = open_replay(reference, cache=_CACHE)
    assert opened.scenario is None and opened.report is None
    assert opened.chain.scenario_error is not None
    assert "Scénario introuvable" in opened.chain.scenario_error
    assert len(opened.steps) == len(verify_log(reference).records)
    assert all(s.changes == () for s in opened.steps)
    assert opened.can_grade() is not None


# ----------------------------------------------------------------------------- tracker


def test_the_tracker_sees_inserts_updates_deletes_and_forgets_rollbacks() -> None:
    db = memory_engine(sqlite3.connect(":memory:", check_same_thread=False))
    Base.metadata.create_all(db)
    tracker = ChangeTracker(db)
    table = Structure.__table__
    with db.begin() as conn:
        conn.execute(insert(table).values(key="s1", kind="cabinet", name="A", services=["x"]))
        conn.execute(update(table).where(table.c.key == "s1").values(name="B"))
    [created] = tracker.collect()
    assert (created.kind, created.key) == (ChangeKind.INSERT, "s1")
    assert {f.column: f.after for f in created.fields}["name"] == "B"  # inserted as it ended
    with db.begin() as conn:
        conn.execute(update(table).where(table.c.key == "s1").values(name="C"))
        conn.execute(update(table).where(table.c.key == "s1").values(name="D"))
    [changed] = tracker.collect()
    assert changed.kind == ChangeKind.UPDATE
    assert [(f.column, f.before, f.after) for f in changed.fields] == [("name", "B", "D")]
    with db.connect() as conn:
        transaction = conn.begin()
        conn.execute(update(table).where(table.c.key == "s1").values(name="Z"))
        transaction.rollback()
    assert tracker.collect() == ()
    with db.begin() as conn:
        conn.execute(delete(table).where(table.c.key == "s1"))
    [removed] = tracker.collect()
    assert removed.kind == ChangeKind.DELETE
    assert {f.column: f.before for f in removed.fields}["services"] == ["x"]
    assert tracker.collect() == ()
