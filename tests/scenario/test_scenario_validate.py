# ruff: noqa: E501 - a table of edits of the example, one per line
"""Semantic validation: what the schema cannot see (SCENARIO_FORMAT.md, last section)."""

from __future__ import annotations

import pytest

from simsec.scenario.errors import ErrorCode
from tests.scenario.conftest import edited, example_text, line_of, load_text, only

CASES = [
    # every key referenced exists
    ("person: v_dupont\n    says", "person: v_dupond\n    says", ErrorCode.REF_UNKNOWN,
     "events[0].person", "« v_dupont »"),
    ("{key: rdv1, patient: p_dupont,", "{key: rdv1, patient: p_dupon,", ErrorCode.REF_UNKNOWN,
     "fixtures.appointments[0].patient", "patient"),
    ("    - of: p_dupont\n      first_names", "    - of: p_inconnu\n      first_names",
     ErrorCode.REF_UNKNOWN, "fixtures.registry[0].of", ""),
    ("items: [cr_petit_2025]\n      delivery", "items: [cr_petit_2026]\n      delivery",
     ErrorCode.REF_UNKNOWN, "fixtures.access_requests[0].items[0]", "« cr_petit_2025 »"),
    ("within: {after: message_martin,", "within: {after: message_marti,", ErrorCode.REF_UNKNOWN,
     "rubric[3].check.within.after", "« message_martin »"),
    ("{found: recherche1, rank: 1}", "{found: creneaux, rank: 1}", ErrorCode.REF_UNKNOWN,
     "solutions[0].actions[7].with.patient.found", "search_patients"),
    ("{do: send_letter, with: {letter: lettre1}}", "{do: send_letter, with: {letter: lettre2}}",
     ErrorCode.REF_UNKNOWN, "solutions[2].actions[15].with.letter", "« lettre1 »"),
    ("{do: record_payment, with: {invoice: facture1,", "{do: record_payment, with: {invoice: facture,",
     ErrorCode.REF_UNKNOWN, "solutions[0].actions[19].with.invoice", ""),
    ("failed: [recherche_avant_creation], passed: []", "failed: [recherche_avant], passed: []",
     ErrorCode.REF_UNKNOWN, "solutions[1].expect.failed[0]", ""),
    ("{to: medecine_generale,", "{to: cardiologie,", ErrorCode.REF_UNKNOWN,
     "solutions[0].actions[24].with.to", ""),
    # keys unique and bindings sound
    ("  - key: v_smith", "  - key: v_enfant", ErrorCode.KEY_DUPLICATE, "people[4].key", "people[3].key"),
    ("  - id: consigne", "  - id: posture", ErrorCode.KEY_DUPLICATE, "rubric[10].id", "events[5].id"),
    ("as: creneaux}", "as: rdv1}", ErrorCode.AS_SHADOWS, "solutions[0].actions[14].as", ""),
    ("{do: mark_arrived, with: {appointment: rdv1}}",
     "{do: mark_arrived, with: {appointment: rdv1}, as: arrivee}",
     ErrorCode.AS_NOTHING_CREATED, "solutions[0].actions[16].as", "mark_arrived"),
    # times inside the scenario, in order
    ("    at: 4m\n", "    at: 2h\n", ErrorCode.TIME_OUTSIDE, "events[1].at", "2026-03-02T10:15"),
    ("    at: 2026-03-02T09:30\n", "    at: 2026-03-02T08:30\n", ErrorCode.TIME_OUTSIDE,
     "events[4].at", ""),
    ("{at: 4m10s, do: attend", "{at: 5s, do: attend", ErrorCode.TIME_BACKWARDS,
     "solutions[0].actions[21].at", "10s"),
    ("{do: wait, with: {until: 20m}}", "{do: wait, with: {until: 3h}}", ErrorCode.TIME_OUTSIDE,
     "solutions[0].actions[26].with.until", ""),
    # practitioners' hours, periods, RPPS
    ('mon: ["08:30-12:00", "14:00-18:00"]', 'mon: ["08:30-12:00", "11:00-18:00"]',
     ErrorCode.HOURS_OVERLAP, "fixtures.practitioners[0].hours.mon[1]", ""),
    ("to: 2026-03-06T23:59, reason: congres", "to: 2026-03-04T23:59, reason: congres",
     ErrorCode.PERIOD_ORDER, "fixtures.practitioners[0].absences[0].to", ""),
    ('rpps: "10031898637"', 'rpps: "10031898638"', ErrorCode.RPPS_INVALID,
     "fixtures.practitioners[0].rpps", "Luhn"),
    # NIR key and coherence
    ('nir: "285047505612322"\n      identity_status', 'nir: "285047505612399"\n      identity_status',
     ErrorCode.NIR_INVALID, "fixtures.patients[0].nir", "22"),
    ("      sex: F\n      birth_place: \"75056\"\n      nir", "      sex: M\n      birth_place: \"75056\"\n      nir",
     ErrorCode.NIR_INCOHERENT, "fixtures.patients[0].nir", ""),
    ('      birth_place: "13055"\n      nir: "285041305507726"',
     '      birth_place: "13055"\n      nir: "285041305507727"',
     ErrorCode.NIR_INVALID, "fixtures.registry[1].nir", ""),
    # competence codes exist
    ("competency: SAMA.1.3\n    criterion", "competency: SAMA.1.9\n    criterion",
     ErrorCode.COMPETENCY_UNKNOWN, "rubric[0].competency", ""),
    ("competencies: [SAMA.1.1,", "competencies: [SAMA.9.1,", ErrorCode.COMPETENCY_UNKNOWN,
     "competencies[0]", ""),
    # document fields coherent with their kind
    ("{key: ordonnance_dupont, kind: ordonnance,", "{key: ordonnance_dupont, kind: ordonnance, mrz: valid,",
     ErrorCode.DOCUMENT_FIELD, "people[0].documents[6].mrz", "ordonnance"),
    ("{key: permis_dupont, kind: permis_conduire,", "{key: permis_dupont, kind: permis_conduire, sex: F,",
     ErrorCode.DOCUMENT_FIELD, "people[0].documents[3].sex", ""),
    ("        issued: 2021-05-01\n        expires: 2031-04-30",
     "        issued: 2021-05-01\n        expires: 2011-04-30",
     ErrorCode.DOCUMENT_DATES, "people[0].documents[0].expires", ""),
    # each rubric check evaluable
    ("action: {do: ask, with: {person: v_dupont, question: birth_name}}",
     "action: {do: ask, with: {persn: v_dupont, question: birth_name}}",
     ErrorCode.MATCH_FIELD_UNKNOWN, "rubric[2].check.all[0].action.with.persn", "« person »"),
    ("action: {do: ask, with: {person: v_dupont, question: birth_name}}",
     "action: {do: ask, with: {person: v_dupont, question: birth_nme}}",
     ErrorCode.MATCH_VALUE_INVALID, "rubric[2].check.all[0].action.with.question", "birth_name"),
    ("where: {practitioner: dr_martin,", "where: {practicien: dr_martin,",
     ErrorCode.STATE_FIELD_UNKNOWN, "rubric[4].check.state.where.practicien", "« practitioner »"),
    ("where: {practitioner: dr_martin,", "where: {practitioner: dr_martine,",
     ErrorCode.REF_UNKNOWN, "rubric[4].check.state.where.practitioner", ""),
    ("{answer: {question: question_stats,", "{answer: {question: dictee_cr,",
     ErrorCode.EVENT_KIND, "rubric[7].check.answer.question", "question"),
    ("{transcription: {task: dictee_cr,", "{transcription: {task: dictee,",
     ErrorCode.REF_UNKNOWN, "rubric[8].check.transcription.task", ""),
    ("when: {do: book_appointment, with: {practitioner: dr_martin}}",
     "when: {do: book_appointment, with: {practitioner: dr_martn}}",
     ErrorCode.REF_UNKNOWN, "events[2].when.with.practitioner", ""),
    ("{key: rdv1, patient: p_dupont, practitioner: dr_martin, type: C,",
     "{key: rdv1, patient: p_dupont, practitioner: dr_martin, type: C2,",
     ErrorCode.APPOINTMENT_TYPE, "fixtures.appointments[0].type", ""),
    ("passed: [recherche_avant_creation, piece_identite], failed: []",
     "passed: [recherche_avant_creation, piece_identite], failed: [piece_identite]",
     ErrorCode.EXPECT_BOTH, "solutions[0].expect.failed[0]", ""),
    ("      deceased_on: 2025-11-20", "      deceased_on: 1949-11-20",
     ErrorCode.PATIENT_DATES, "fixtures.patients[1].deceased_on", ""),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "code", "path", "text"), CASES)
def test_each_semantic_rule(old: str, new: str, code: ErrorCode, path: str, text: str) -> None:
    result = edited(old, new)
    error = only(result)
    assert error.code == code
    assert error.path == path
    assert text in error.message
    assert error.line >= 1 and error.column >= 1


def test_an_error_is_positioned_on_the_offending_value() -> None:
    text = example_text().replace(
        "    person: v_dupont\n    says", "    person: v_dupond\n    says", 1
    )
    error = only(load_text(text))
    assert (error.line, error.column) == (line_of(text, "person: v_dupond"), 13)


def test_at_least_one_solution() -> None:
    text = example_text()
    error = only(load_text(text[: text.index("solutions:")]))
    assert error.code == ErrorCode.NO_SOLUTION


def test_several_semantic_errors_are_reported_together() -> None:
    text = (
        example_text()
        .replace("competency: SAMA.1.3\n    criterion", "competency: SAMA.1.9\n    criterion", 1)
        .replace("    at: 4m\n", "    at: 2h\n", 1)
        .replace(
            "{do: send_letter, with: {letter: lettre1}}", "{do: send_letter, with: {letter: x}}"
        )
    )
    result = load_text(text)
    assert [e.code for e in result.errors] == [
        ErrorCode.TIME_OUTSIDE,
        ErrorCode.COMPETENCY_UNKNOWN,
        ErrorCode.REF_UNKNOWN,
    ]


def test_bindings_are_local_to_their_solution() -> None:
    result = edited(
        "{do: close_access_request, with: {request: demande2}}",
        "{do: close_access_request, with: {request: demande2}}\n"
        "      - {do: record_payment, with: {invoice: facture1, amount: 1, method: cb}}",
    )
    error = only(result)
    assert error.code == ErrorCode.REF_UNKNOWN
    assert "facture1" in error.message


def test_a_list_field_matches_a_single_key_or_its_own_values() -> None:
    result = edited(
        "check: {no_conflicts: true}",
        "check: {action: {do: register_access_request, with: {items: all}}}",
    )
    assert result.ok, [e.format() for e in result.errors]
    error = only(
        edited(
            "check: {no_conflicts: true}",
            "check: {action: {do: report_identity_issue, with: {patients: p_dupond}}}",
        )
    )
    assert error.code == ErrorCode.REF_UNKNOWN
    assert error.path == "rubric[6].check.action.with.patients"
