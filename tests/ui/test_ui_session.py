"""The play session and the desk journal, without a terminal."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from ui_support import DATA, fake_wall

from simsec.actions.engine import ActionOutcome
from simsec.rules import mrz
from simsec.scenario.world_cache import WorldCache
from simsec.ui.session import PlaySession, SessionOptions, start_session
from simsec.ui.views import DeskJournal, card_mrz, document_card


@pytest.fixture
def session(tmp_path: Path, world_cache: WorldCache) -> PlaySession:
    options = SessionOptions(
        runs_dir=tmp_path, speed=60.0, fsync=False, cache=world_cache, wall_clock=fake_wall()
    )
    return start_session(DATA / "accueil.yaml", trainee="Emilie", options=options)


def test_the_clock_moves_at_its_speed_in_whole_seconds(session: PlaySession) -> None:
    start = session.now
    assert session.tick(0.01) == ()  # 0.6 s of scenario time: not yet a second
    assert session.now == start
    notices = session.tick(2.0)  # 120.6 s in all: 120 s now, 0.6 s kept for later
    assert session.now == start + timedelta(seconds=120)
    assert [n.id for n in notices] == ["message_martin"]
    assert session.shell_state().unread_messages == 1
    session.toggle_pause()
    assert session.tick(60) == () and session.shell_state().speed == 0


def test_the_clock_stops_at_the_end(session: PlaySession) -> None:
    session.advance(timedelta(hours=5))
    assert session.now == session.run.clock.end and session.time_up


def test_queue_puts_ringing_calls_first(session: PlaySession) -> None:
    session.advance(timedelta(minutes=6))
    waiting = session.journal.waiting()
    assert [p.key for p in waiting] == ["c_pharmacien", "v_dupont", "v_smith"]
    state = session.shell_state()
    assert (state.waiting_visitors, state.ringing_calls) == (2, 1)
    assert waiting[0].display_name() == "Pharmacie du Centre"  # a caller's scenario name
    assert waiting[1].display_name() == "Visiteur (08:45)"  # not her name before asking


def test_answers_name_the_visitor_and_end_interaction_removes_her(session: PlaySession) -> None:
    for action in (
        {"do": "attend", "with": {"person": "v_dupont"}},
        {"do": "ask", "with": {"person": "v_dupont", "question": "birth_name"}},
        {"do": "ask", "with": {"person": "v_dupont", "question": "email"}},
        {"do": "end_interaction", "with": {"person": "v_dupont", "outcome": "done"}},
    ):
        assert session.perform(action).ok
    person = session.journal.people["v_dupont"]
    assert person.display_name() == "DUPONT"
    assert person.lines[-2].text == "Je ne sais pas."  # unscripted: not kept as an answer
    assert "email" not in person.answers
    assert session.journal.attending is None and not session.journal.waiting()
    assert [t.id for t in session.shell_state().tasks] == []  # her task is done


def test_warnings_are_shown_in_guided_mode_only(
    session: PlaySession, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = ActionOutcome("say", {}, None, {"ok": True, "warnings": ["Attention !"]})
    monkeypatch.setattr(session.run, "perform", lambda action: outcome)
    assert session.perform({"do": "say", "with": {}}).warnings == ("Attention !",)
    monkeypatch.setattr(type(session), "guided", property(lambda self: False))
    assert session.perform({"do": "say", "with": {}}).warnings == ()


def test_no_action_after_the_end(session: PlaySession) -> None:
    report = session.end("completed")
    assert report.scenario == "ui_accueil" and session.ended
    feedback = session.perform({"do": "attend", "with": {"person": "v_dupont"}})
    assert not feedback.ok and feedback.code == "run_ended"


def test_the_journal_is_rebuilt_from_records_alone(session: PlaySession) -> None:
    session.perform({"do": "attend", "with": {"person": "v_dupont"}})
    session.perform({"do": "request_document", "with": {"person": "v_dupont", "kind": "cni"}})
    rebuilt = DeskJournal({"c_pharmacien": "Pharmacie du Centre"})
    rebuilt.absorb_all(session.run.records)
    assert rebuilt.attending == "v_dupont"
    assert rebuilt.people["v_dupont"].lines == session.journal.people["v_dupont"].lines
    assert rebuilt.documents() == session.journal.documents()


def test_card_mrz_follows_the_document_and_its_check_digit() -> None:
    fields = {
        "kind": "passeport",
        "birth_name": "MARTIN",
        "first_names": ["ANNE"],
        "birth_date": "1990-01-31",
        "sex": "F",
        "number": "18AB12345",
        "expires": "2030-06-01",
        "mrz": "valid",
    }
    good = card_mrz("passeport", fields)
    assert len(good) == 2 and len(good[0]) == 44  # TD3: 2 lines of 44
    assert mrz.verify("\n".join(good)).ok
    bad = card_mrz("passeport", {**fields, "mrz": "bad_check_digit"})
    assert not mrz.verify("\n".join(bad)).ok
    assert card_mrz("carte_vitale", fields) == ()
    assert card_mrz("passeport", {k: v for k, v in fields.items() if k != "mrz"}) == ()


def test_document_card_marks_an_expired_document() -> None:
    view = {"key": "cni_x", "kind": "cni", "birth_name": "X", "expires": "2020-01-01"}
    card = document_card(view, person="v_x", today=date(2026, 3, 2))
    assert card.expired and card.expires == date(2020, 1, 1)
    assert ("Nom de naissance", "X") in card.fields
    assert card.title == "Carte nationale d'identité"


def test_fired_events_become_notices() -> None:
    journal = DeskJournal()
    notice = journal.absorb(
        {
            "kind": "event",
            "t": "2026-03-02T09:00:00",
            "id": "panne",
            "event_kind": "fault",
            "shown": {"service": "insi", "mode": "unavailable", "until": "2026-03-02T09:15:00"},
        }
    )
    assert notice is not None and notice.kind == "fault"
    assert "INSi indisponible jusqu'à 09:15" in notice.text
    assert journal.faults_at(datetime(2026, 3, 2, 9, 10))
    assert not journal.faults_at(datetime(2026, 3, 2, 9, 20))


def test_a_visitor_put_on_hold_for_a_call_is_come_back_to(session: PlaySession) -> None:
    """Attending the phone while a visitor is at the counter puts her on hold; ending the
    call brings the desk back to her, and the rebuilt journal agrees."""
    journal = session.journal
    session.advance(timedelta(minutes=4))
    assert session.perform({"do": "attend", "with": {"person": "v_dupont"}}).ok
    assert session.perform({"do": "attend", "with": {"person": "c_pharmacien"}}).ok
    assert journal.attending == "c_pharmacien" and journal.on_hold("v_dupont")
    assert not journal.on_hold("c_pharmacien")
    end_call = {"person": "c_pharmacien", "outcome": "message_taken"}
    assert session.perform({"do": "end_interaction", "with": end_call}).ok
    assert journal.attending == "v_dupont" and not journal.on_hold("v_dupont")
    rebuilt = DeskJournal()
    rebuilt.absorb_all(session.run.records)
    assert (rebuilt.attending, rebuilt.held) == ("v_dupont", ["v_dupont"])
    # switching by hand is only for someone whose exchange is open
    assert not journal.switch_to("c_pharmacien") and journal.attending == "v_dupont"
    assert session.perform(
        {"do": "end_interaction", "with": {"person": "v_dupont", "outcome": "done"}}
    ).ok
    assert journal.attending is None and journal.held == []


def test_the_desk_can_ask_for_every_document_kind() -> None:
    """A visitor may carry any kind of document the format knows: the desk's quick menu
    offers each, once."""
    from simsec.actions.catalogue import DocumentKind, literal_values
    from simsec.ui.labels import DESK_DOCUMENT_KINDS

    assert sorted(DESK_DOCUMENT_KINDS) == sorted(literal_values(DocumentKind))


def test_coming_back_to_a_person_on_hold_is_rebuilt_from_the_log(session: PlaySession) -> None:
    """Enter on a person on hold is not an action; what is then said to her is, so the
    rebuilt journal (resume, the assessor's replay) knows who was attended."""
    journal = session.journal
    session.advance(timedelta(minutes=4))
    for person in ("v_dupont", "c_pharmacien"):
        assert session.perform({"do": "attend", "with": {"person": person}}).ok
    assert journal.switch_to("v_dupont")
    assert session.perform({"do": "say", "with": {"person": "v_dupont", "text": "Pardon."}}).ok
    rebuilt = DeskJournal()
    rebuilt.absorb_all(session.run.records)
    assert rebuilt.attending == journal.attending == "v_dupont"
    assert rebuilt.on_hold("c_pharmacien")
