"""Letters, transcriptions and answers."""

from __future__ import annotations

from typing import get_args

import pytest
from test_svc_support import World, apply, build_world, refused

from simsec.actions.catalogue import LetterTemplate
from simsec.db.models import Letter, Submission
from simsec.services.documents import load_letters, placeholders


@pytest.fixture
def w() -> World:
    return build_world()


def test_templates_cover_the_catalogue() -> None:
    assert set(load_letters().templates) == set(get_args(LetterTemplate))


def test_placeholders() -> None:
    assert placeholders("{a} et {b}, encore {a}") == ["a", "b"]


def test_convocation_filled_from_the_record(w: World) -> None:
    result, _ = apply(
        w, "write_letter", {"template": "convocation", "to": "Mme LEROY", "patient": "p_dupont"}
    )
    body = result["body"]
    assert "Madame Marie LEROY," in body
    assert "le 2 mars 2026 à 9 h avec le docteur Claire MARTIN" in body
    assert body.startswith("Centre de santé des Tilleuls")
    assert result["subject"] == "Votre rendez-vous du 2 mars 2026"
    letter = w.get(Letter, result["key"])
    assert letter.status == "draft" and letter.recipient == "Mme LEROY"


def test_letter_refused_when_a_field_is_missing(w: World) -> None:
    error = refused(
        w,
        "write_letter",
        {"template": "convocation", "to": "M. PETIT", "patient": "p_petit"},
        "letter_field_missing",
    )
    assert "rdv_date" in error.message
    refused(
        w,
        "write_letter",
        {"template": "courrier_confrere", "to": "Dr B.", "patient": "p_dupont"},
        "letter_field_missing",
    )
    refused(
        w, "write_letter", {"template": "convocation", "to": "X", "patient": "ghost"}, "not_found"
    )


def test_courrier_confrere_with_fields(w: World) -> None:
    fields = {
        "objet": "Adressage",
        "message": "Merci de recevoir Mme LEROY.",
        "signataire": "Dr Claire MARTIN",
    }
    result, _ = apply(
        w,
        "write_letter",
        {"template": "courrier_confrere", "to": "Dr B.", "patient": "p_dupont", "fields": fields},
    )
    assert result["subject"] == "Adressage"
    assert "Merci de recevoir Mme LEROY." in result["body"]
    assert "né(e) le 12 avril 1985" in result["body"]


def test_access_letters(w: World) -> None:
    apply(
        w,
        "register_access_request",
        {
            "patient": "p_dupont",
            "requester": {"kind": "patient", "name": "Marie DUPONT"},
            "received_on": "2026-03-02",
            "channel": "guichet",
            "items": "all",
            "delivery": "envoi_postal",
        },
    )
    result, _ = apply(
        w,
        "write_letter",
        {"template": "demande_pieces_manquantes", "to": "Mme DUPONT", "patient": "p_dupont"},
    )
    assert "demande écrite ; pièce d'identité du demandeur" in result["body"]
    result, _ = apply(
        w,
        "write_letter",
        {"template": "accuse_reception", "to": "Mme DUPONT", "patient": "p_dupont"},
    )
    assert "reçu le 2 mars 2026" in result["body"]


def test_send_letter(w: World) -> None:
    written, _ = apply(
        w, "write_letter", {"template": "convocation", "to": "Mme LEROY", "patient": "p_dupont"}
    )
    result, _ = apply(w, "send_letter", {"letter": written["key"]})
    assert result["status"] == "sent" and result["sent_at"] == "2026-03-02T08:45"
    refused(w, "send_letter", {"letter": written["key"]}, "letter_already_sent")
    refused(w, "send_letter", {"letter": "letter#42"}, "not_found")


def test_submissions(w: World) -> None:
    result, _ = apply(
        w, "submit_transcription", {"task": "dictee_1", "text": "Compte rendu de consultation."}
    )
    assert result["words"] == 4
    assert w.get(Submission, result["key"]).kind == "transcription"
    answer, _ = apply(w, "submit_answer", {"question": "taux_absence", "value": 12})
    assert answer["value"] == "12"
    assert w.get(Submission, answer["key"]).target == "taux_absence"
    refused(w, "submit_transcription", {"task": "dictee_1", "text": "  "}, "empty_text")
    refused(w, "submit_answer", {"question": "q", "value": ""}, "empty_text")
