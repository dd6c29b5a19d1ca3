"""Editing and discarding a drafted letter (``edit_letter``, ``discard_letter``)."""

from __future__ import annotations

from typing import Any

import pytest
from test_svc_support import World, apply, build_world, refused

from simsec.actions.catalogue import CATALOGUE, parse_action
from simsec.db.models import Letter
from simsec.scenario.schema import scenario_json_schema
from simsec.services.documents import DISCARDED, DRAFT, SENT


@pytest.fixture
def w() -> World:
    return build_world()


def _convocation(w: World) -> dict[str, Any]:
    written, _ = apply(
        w, "write_letter", {"template": "convocation", "to": "Mme LEROY", "patient": "p_dupont"}
    )
    return written


def _confrere(w: World) -> dict[str, Any]:
    fields = {"objet": "Adressage", "message": "Merci de la recevoir.", "signataire": "Dr MARTIN"}
    written, _ = apply(
        w,
        "write_letter",
        {"template": "courrier_confrere", "to": "Dr B.", "patient": "p_dupont", "fields": fields},
    )
    return written


def test_the_actions_are_in_the_catalogue_and_the_schema() -> None:
    assert CATALOGUE["edit_letter"].area == CATALOGUE["discard_letter"].area == "documents"
    assert CATALOGUE["edit_letter"].creates is None
    action = parse_action(
        {"do": "edit_letter", "with": {"letter": "l1", "fields": {"body": "x"}, "to": "Y"}}
    )
    assert action.with_.model_dump(by_alias=True) == {
        "letter": "l1",
        "fields": {"body": "x"},
        "to": "Y",
    }
    schema = str(scenario_json_schema())
    assert "'edit_letter'" in schema and "'discard_letter'" in schema


def test_a_placeholder_edit_writes_the_template_again(w: World) -> None:
    written = _convocation(w)
    assert "à 9 h avec" in written["body"]
    result, _ = apply(
        w, "edit_letter", {"letter": written["key"], "fields": {"rdv_heure": "9 h 15"}}
    )
    assert result["changed"] == ["body", "rdv_heure"]
    assert "le 2 mars 2026 à 9 h 15 avec le docteur Claire MARTIN" in result["body"]
    letter = w.get(Letter, written["key"])
    assert letter.status == DRAFT and letter.body == result["body"]
    assert letter.fields["rdv_heure"] == "9 h 15"
    assert letter.fields["subject"] == written["subject"]  # the subject does not use it
    assert letter.recipient == "Mme LEROY"


def test_the_body_and_subject_as_typed(w: World) -> None:
    written = _convocation(w)
    body = "Madame,\n\nVotre rendez-vous est avancé à 8 h 30.\n\nLe secrétariat"
    result, _ = apply(
        w,
        "edit_letter",
        {"letter": written["key"], "fields": {"body": body, "subject": "Rendez-vous avancé"}},
    )
    assert result["changed"] == ["subject", "body"]
    letter = w.get(Letter, written["key"])
    assert letter.body == body and letter.fields["subject"] == "Rendez-vous avancé"
    # the body was retouched: a placeholder it uses can no longer be applied to it
    error = refused(
        w, "edit_letter", {"letter": written["key"], "fields": {"rdv_heure": "10 h"}},
        "letter_text_edited",
    )  # fmt: skip
    assert "« body »" in error.message and "« rdv_heure »" in error.message
    # ... but the letter can still be changed as typed, with the placeholder alongside
    result, _ = apply(
        w,
        "edit_letter",
        {"letter": written["key"], "fields": {"rdv_heure": "10 h", "body": body + "."}},
    )
    assert result["changed"] == ["body", "rdv_heure"] and result["body"] == body + "."


def test_the_recipient_and_the_destinataire_follow(w: World) -> None:
    written = _confrere(w)
    assert "À l'attention de Dr B." in written["body"]
    result, _ = apply(w, "edit_letter", {"letter": written["key"], "to": " Dr Paul BERNARD "})
    assert result["to"] == "Dr Paul BERNARD"
    assert result["changed"] == ["to", "body", "destinataire"]
    assert "À l'attention de Dr Paul BERNARD" in result["body"]
    letter = w.get(Letter, written["key"])
    assert letter.recipient == "Dr Paul BERNARD"
    assert letter.fields["destinataire"] == "Dr Paul BERNARD"
    # a destinataire set apart stays when the recipient changes again
    apply(
        w,
        "edit_letter",
        {"letter": written["key"], "fields": {"destinataire": "Cabinet du Dr BERNARD"}},
    )
    result, _ = apply(w, "edit_letter", {"letter": written["key"], "to": "Dr P. BERNARD"})
    assert result["changed"] == ["to"]
    assert "À l'attention de Cabinet du Dr BERNARD" in result["body"]
    # the subject of this template is a placeholder: it follows too
    result, _ = apply(
        w, "edit_letter", {"letter": written["key"], "fields": {"objet": "Avis spécialisé"}}
    )
    assert result["subject"] == "Avis spécialisé" and "Objet : Avis spécialisé" in result["body"]


def test_bad_edits_are_refused_and_change_nothing(w: World) -> None:
    key = _convocation(w)["key"]
    error = refused(w, "edit_letter", {"letter": key, "fields": {"objet": "X"}},
                    "letter_field_unknown")  # fmt: skip
    assert "« objet »" in error.message and "rdv_heure" in error.message
    refused(w, "edit_letter", {"letter": key, "fields": {"body": "  "}}, "empty_text")
    refused(w, "edit_letter", {"letter": key, "fields": {"rdv_date": ""}}, "empty_text")
    refused(w, "edit_letter", {"letter": key, "to": " "}, "empty_text")
    refused(w, "edit_letter", {"letter": key}, "letter_unchanged")
    refused(w, "edit_letter", {"letter": key, "fields": {"rdv_heure": "9 h"}}, "letter_unchanged")
    refused(w, "edit_letter", {"letter": key, "to": "Mme LEROY"}, "letter_unchanged")
    refused(w, "edit_letter", {"letter": "letter#42", "to": "X"}, "not_found")
    refused(w, "discard_letter", {"letter": "letter#42"}, "not_found")
    assert w.get(Letter, key).status == DRAFT


def test_a_sent_letter_is_neither_edited_nor_discarded(w: World) -> None:
    key = _convocation(w)["key"]
    apply(w, "send_letter", {"letter": key})
    error = refused(
        w, "edit_letter", {"letter": key, "fields": {"body": "Autre texte"}},
        "letter_sent_not_editable",
    )  # fmt: skip
    assert error.message == (
        f"Le courrier {key} a déjà été envoyé : il ne peut plus être modifié ni abandonné."
    )
    refused(w, "edit_letter", {"letter": key, "to": "M. X"}, "letter_sent_not_editable")
    refused(w, "discard_letter", {"letter": key}, "letter_sent_not_editable")
    assert w.get(Letter, key).status == SENT


def test_a_discarded_draft_is_kept_but_cannot_be_edited_or_sent(w: World) -> None:
    written = _convocation(w)
    key = written["key"]
    result, _ = apply(w, "discard_letter", {"letter": key})
    assert result == {"key": key, "status": DISCARDED}
    letter = w.get(Letter, key)  # not deleted: the record keeps it, unchanged
    assert letter.status == "dropped" and letter.body == written["body"]
    assert letter.sent_at is None
    refused(w, "send_letter", {"letter": key}, "letter_discarded")
    refused(w, "edit_letter", {"letter": key, "fields": {"body": "X"}}, "letter_discarded")
    refused(w, "discard_letter", {"letter": key}, "letter_already_discarded")
    # another draft is not touched
    other = _convocation(w)["key"]
    assert other != key and w.get(Letter, other).status == DRAFT


def test_a_new_recipient_is_refused_when_the_text_was_edited_by_hand() -> None:
    """The body names the recipient (« À l'attention de … »): once typed by hand, the
    text no longer follows a change of ``to``, so the change is refused (nothing
    changed) rather than sending to one doctor a letter addressed to another."""
    w = build_world()
    fields = {"objet": "Adressage", "message": "Merci de la recevoir.", "signataire": "Dr MARTIN"}
    written, _ = apply(
        w,
        "write_letter",
        {"template": "courrier_confrere", "to": "Dr B.", "patient": "p_dupont", "fields": fields},
    )
    key = written["key"]
    apply(w, "edit_letter", {"letter": key, "fields": {"body": written["body"] + "\nPS : urgent."}})
    error = refused(
        w, "edit_letter", {"letter": key, "to": "Dr Paul BERNARD"}, "letter_text_edited"
    )
    assert "destinataire" in error.message or "main" in error.message
    # changing the text and the recipient together is the way
    body = written["body"].replace("Dr B.", "Dr Paul BERNARD") + "\nPS : urgent."
    done, _ = apply(
        w,
        "edit_letter",
        {
            "letter": key,
            "to": "Dr Paul BERNARD",
            "fields": {"body": body, "destinataire": "Dr Paul BERNARD"},
        },
    )
    assert done["to"] == "Dr Paul BERNARD" and "Dr B." not in done["body"]
