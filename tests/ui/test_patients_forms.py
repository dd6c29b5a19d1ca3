"""The identity form's rules without a terminal: what is sent, what is shown.

RNIV input rules (identitovigilance.md): names in capitals without diacritics (the
service normalises, the form says what will be stored); first names separated by a space,
a compound first name keeps its hyphen; ``00`` for an unknown day or month.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from simsec.services.readmodels import PatientRecord
from simsec.ui.screens.patients import last_action, run_patients
from simsec.ui.widgets.identity_form import (
    FORM_FIELDS,
    changes_payload,
    create_payload,
    form_findings,
    parse_date,
    record_values,
    split_first_names,
)

TODAY = date(2026, 3, 2)


def _record(**changes: object) -> PatientRecord:
    values: dict[str, object] = {
        "key": "p_dupont",
        "birth_name": "DUPONT",
        "first_names": ("MARIE", "CLAIRE"),
        "used_name": None,
        "used_first_name": None,
        "birth_date": date(1985, 4, 12),
        "sex": "F",
        "birth_place": "75056",
        "nir": None,
        "ins": None,
        "ins_oid": None,
        "identity_status": "provisoire",
        "ins_retrieved_on": None,
        "document_checked": None,
        "document_checked_on": None,
        "collection_method": "SM",
        "attributes": (),
        "phone": "06 12 34 56 78",
        "email": None,
        "address_line": "3 rue des Lilas",
        "postcode": "69003",
        "city": "LYON",
        "medecin_traitant": None,
        "deceased_on": None,
        "created_at": None,
        "documents": (),
    }
    values.update(changes)
    return PatientRecord(**values)  # type: ignore[arg-type]


def test_first_names_keep_their_hyphen_and_their_order() -> None:
    assert split_first_names(" Jean-Pierre  Marie, Paul ") == ["Jean-Pierre", "Marie", "Paul"]
    assert split_first_names("") == []


@given(st.lists(st.from_regex(r"[A-Z]{1,8}(-[A-Z]{1,8})?", fullmatch=True), min_size=1, max_size=4))
def test_first_names_typed_with_spaces_come_back_as_typed(names: list[str]) -> None:
    assert split_first_names(" ".join(names)) == names


def test_dates_as_typed_at_the_desk() -> None:
    assert parse_date("12/04/1985") == (date(1985, 4, 12), None)
    assert parse_date("12041985") == (date(1985, 4, 12), None)
    assert parse_date("1985-04-12") == (date(1985, 4, 12), None)
    # an unknown day: the RNIV convention (the first of the month)
    assert parse_date("00/04/1985")[0] == date(1985, 4, 1)
    day, error = parse_date("31/02/1985")
    assert day is None and error and "invalide" in error


def test_a_creation_sends_only_what_was_typed() -> None:
    values = {spec.name: "" for spec in FORM_FIELDS}
    values.update(
        birth_name="Lefèvre", first_names="Éloïse Anne-Marie", birth_date="03/02/1990", sex="f"
    )
    parsed = create_payload(values)
    assert parsed.errors == []
    assert parsed.fields == {
        "birth_name": "Lefèvre",
        "first_names": ["Éloïse", "Anne-Marie"],
        "birth_date": date(1990, 2, 3),
        "sex": "F",
    }


def test_a_creation_without_the_mandatory_traits_is_refused_by_the_form() -> None:
    parsed = create_payload({"birth_name": "MARTIN", "address_line": "3 rue des Lilas"})
    messages = " ".join(parsed.errors)
    assert "prénoms de naissance" in messages and "sexe" in messages
    assert "Adresse incomplète" in messages


def test_an_update_sends_the_changed_fields_and_clears_the_emptied_ones() -> None:
    loaded = record_values(_record())
    values = dict(loaded, first_names="MARIE CLAIRE ANNE", phone="", postcode="69004")
    parsed = changes_payload(values, loaded)
    assert parsed.errors == []
    assert parsed.fields == {
        "first_names": ["MARIE", "CLAIRE", "ANNE"],
        "phone": None,
        "address": {"line": "3 rue des Lilas", "postcode": "69004", "city": "LYON"},
    }
    assert changes_payload(loaded, loaded).fields == {}


def test_the_form_explains_the_rules_before_saving() -> None:
    values = {
        "birth_name": "Lefèvre",
        "first_names": "éloïse",
        "birth_date": "03/02/2030",
        "sex": "I",
        "birth_place": "75056",
        "nir": "2 85 04 75 056 123 45",
    }
    findings = form_findings(values, TODAY)
    texts = [f.text for f in findings]
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=lambda s: {"error": 0, "warning": 1}.get(s, 2))
    assert any("« LEFEVRE »" in t for t in texts)
    assert any("« ELOISE »" in t for t in texts)
    assert any("postérieure" in t for t in texts)  # born in the future
    assert any("INSi ne connaît que F et M" in t for t in texts)
    assert any(f.severity == "error" and "clé" in f.text.lower() for f in findings)  # NIR key


def test_a_clean_identity_has_no_error() -> None:
    values = record_values(_record())
    assert [f for f in form_findings(values, TODAY) if f.severity == "error"] == []


def test_the_records_of_the_run() -> None:
    records = [
        {
            "kind": "action",
            "do": "create_patient",
            "with": {},
            "result": {"ok": True, "key": "patient#31"},
        },
        {
            "kind": "action",
            "do": "call_insi",
            "with": {"patient": "p_a", "mode": "traits"},
            "result": {"ok": False},
        },
        {
            "kind": "action",
            "do": "call_insi",
            "with": {"patient": "p_b", "mode": "traits"},
            "result": {"ok": True},
            "seq": 3,
        },
        {
            "kind": "action",
            "do": "report_identity_issue",
            "with": {"patients": ["p_b", "p_c"]},
            "result": {"ok": True},
        },
    ]
    assert run_patients(records) == ["p_b", "p_c", "patient#31"]  # refused actions left out
    assert last_action(records, "call_insi", "p_b") == records[2]
    assert last_action(records, "call_insi", "p_a") == records[1]  # a refusal is shown too
    assert last_action(records, "call_insi", "p_z") is None
