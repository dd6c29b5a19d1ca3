"""Desk services: attending, asking, documents, ending, messages."""

from __future__ import annotations

import pytest
from test_svc_support import World, apply, build_world, refused

from simsec.db.models import Interaction, Message


@pytest.fixture
def w() -> World:
    return build_world()


def test_attend_opens_one_interaction(w: World) -> None:
    result, _ = apply(w, "attend", {"person": "v_dupont"})
    assert result["patient"] == "p_dupont"
    assert not result["already"]
    assert [d["key"] for d in result["documents"]] == ["vitale_dupont"]
    again, _ = apply(w, "attend", {"person": "v_dupont"})
    assert again["already"] and again["interaction"] == result["interaction"]


def test_ask_scripted_and_unscripted(w: World) -> None:
    result, _ = apply(w, "ask", {"person": "v_dupont", "question": "birth_name"})
    assert result["answer"] == "DUPONT" and result["scripted"]
    result, _ = apply(w, "ask", {"person": "v_dupont", "question": "phone"})
    assert result["answer"] == "Je ne sais pas." and not result["scripted"]
    result, _ = apply(w, "ask", {"person": "v_dupont", "question": "free", "keyword": "allergie"})
    assert result["answer"] == "Aucune allergie."


def test_request_document(w: World) -> None:
    result, _ = apply(w, "request_document", {"person": "v_dupont", "kind": "cni"})
    assert result["shown"]
    assert result["documents"][0]["key"] == "cni_dupont"
    assert result["documents"][0]["birth_date"] == "1985-04-12"
    # a passport shown "never" is not handed over
    result, _ = apply(w, "request_document", {"person": "v_dupont", "kind": "passeport"})
    assert not result["shown"] and result["answer"]


def test_end_interaction_records_the_outcome(w: World) -> None:
    started, _ = apply(w, "attend", {"person": "v_dupont"})
    result, _ = apply(
        w,
        "end_interaction",
        {"person": "v_dupont", "outcome": "oriented", "note": "Salle d'attente"},
    )
    assert result["interaction"] == started["interaction"]
    row = w.get(Interaction, started["interaction"])
    assert row.outcome == "oriented" and row.ended_at == w.now
    # the next visit of the same person is a new interaction
    again, _ = apply(w, "attend", {"person": "v_dupont"})
    assert again["interaction"] != started["interaction"]


def test_desk_refusals(w: World) -> None:
    refused(w, "attend", {"person": "c_absent"}, "person_not_present")
    refused(w, "ask", {"person": "inconnu", "question": "reason"}, "person_unknown")
    refused(w, "say", {"person": "v_dupont", "text": "   "}, "empty_text")
    refused(w, "end_interaction", {"person": "c_absent", "outcome": "done"}, "person_not_present")


def test_say(w: World) -> None:
    result, _ = apply(w, "say", {"person": "v_dupont", "text": "Bonjour madame."})
    assert result == {"person": "v_dupont"}


def test_send_message(w: World) -> None:
    result, _ = apply(
        w,
        "send_message",
        {
            "to": "dr_martin",
            "subject": "Retard",
            "body": "Mme Dupont est arrivée.",
            "patient": "p_dupont",
        },
    )
    message = w.get(Message, result["key"])
    assert message.direction == "out" and message.recipient == "dr_martin"
    assert result["patient"] == "p_dupont"
    refused(
        w,
        "send_message",
        {"to": "dr_martin", "subject": "x", "body": "", "patient": "ghost"},
        "not_found",
    )
    refused(w, "send_message", {"to": "dr_martin", "subject": " ", "body": "x"}, "empty_text")
