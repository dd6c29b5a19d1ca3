"""Access to the medical record: eligibility, deadlines, statuses, items, retention."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from simsec.rules.access import (
    TRANSITIONS,
    AccessReason,
    Deadlines,
    Decision,
    PatientFacts,
    Proof,
    RecordItem,
    RequesterKind,
    RequestStatus,
    add_months,
    add_years,
    allowed_transitions,
    check_communication_date,
    check_transition,
    communicable_items,
    deadlines,
    eligibility,
    is_overdue,
    is_record_kept,
    load_access_rules,
    proofs_satisfied,
    retention_until,
)
from simsec.texts.access import (
    REASON_TEMPLATES,
    deadlines_message,
    eligibility_message,
    missing_proofs_message,
    reason_message,
)

K = RequesterKind
ADULT = PatientFacts()
MINOR = PatientFacts(minor=True)
DECEASED = PatientFacts(deceased=True)

PATIENT_DOCS = ["demande_ecrite", "cni"]
HEIR_DOCS = ["demande_ecrite", "passeport", "acte_deces", "acte_notoriete"]


# ------------------------------------------------------------------ eligibility


@pytest.mark.parametrize(
    ("kind", "patient", "documents", "motive"),
    [
        (K.PATIENT, ADULT, PATIENT_DOCS, None),
        (K.PATIENT, PatientFacts(minor=True, emancipated=True), PATIENT_DOCS, None),
        (K.PARENT, MINOR, [*PATIENT_DOCS, "livret_famille"], None),
        (
            K.PARENT,
            PatientFacts(minor=True, deceased=True),
            [*PATIENT_DOCS, "livret_famille"],
            None,
        ),
        (K.TUTEUR, ADULT, [*PATIENT_DOCS, "jugement_tutelle"], None),
        (K.CURATEUR, ADULT, [*PATIENT_DOCS, "jugement_curatelle", "consentement_ecrit"], None),
        (K.AYANT_DROIT, DECEASED, HEIR_DOCS, "causes_deces"),
        (
            K.CONCUBIN,
            DECEASED,
            ["demande_ecrite", "cni", "acte_deces", "certificat_concubinage"],
            "defendre_memoire",
        ),
        (
            K.PARTENAIRE_PACS,
            DECEASED,
            ["demande_ecrite", "cni", "acte_deces", "attestation_pacs"],
            "faire_valoir_droits",
        ),
    ],
)
def test_allowed_with_full_proofs(
    kind: RequesterKind, patient: PatientFacts, documents: list[str], motive: str | None
) -> None:
    result = eligibility(kind, patient, motive=motive, documents=documents)
    assert result.decision is Decision.ALLOWED, result
    assert result.allowed
    assert result.missing == ()
    assert result.limited_to_motive == (kind in {K.AYANT_DROIT, K.CONCUBIN, K.PARTENAIRE_PACS})


@pytest.mark.parametrize(
    ("kind", "patient", "motive", "reason"),
    [
        (K.TIERS, ADULT, None, AccessReason.UNAUTHORISED_REQUESTER),
        (K.TIERS, DECEASED, "causes_deces", AccessReason.UNAUTHORISED_REQUESTER),
        (K.PATIENT, DECEASED, None, AccessReason.PATIENT_DECEASED),
        (K.PATIENT, MINOR, None, AccessReason.MINOR_NOT_EMANCIPATED),
        (K.PARENT, ADULT, None, AccessReason.PATIENT_NOT_MINOR),
        (
            K.PARENT,
            PatientFacts(minor=True, emancipated=True),
            None,
            AccessReason.PATIENT_EMANCIPATED,
        ),
        (K.PARENT, PatientFacts(minor=True, opposition=True), None, AccessReason.MINOR_OPPOSED),
        (
            K.PARENT,
            PatientFacts(minor=True, deceased=True, opposition=True),
            None,
            AccessReason.MINOR_OPPOSED,
        ),
        (K.TUTEUR, DECEASED, None, AccessReason.MANDATE_ENDED),
        (K.CURATEUR, DECEASED, None, AccessReason.MANDATE_ENDED),
        # the spouse of a living adult patient, without a mandate
        (K.AYANT_DROIT, ADULT, "causes_deces", AccessReason.PATIENT_ALIVE),
        (K.CONCUBIN, ADULT, "causes_deces", AccessReason.PATIENT_ALIVE),
        (
            K.AYANT_DROIT,
            PatientFacts(deceased=True, opposition=True),
            "causes_deces",
            AccessReason.DECEASED_OPPOSED,
        ),
        (K.PARTENAIRE_PACS, DECEASED, "curiosite", AccessReason.MOTIVE_NOT_ADMISSIBLE),
    ],
)
def test_refused(
    kind: RequesterKind, patient: PatientFacts, motive: str | None, reason: AccessReason
) -> None:
    every_document = [k for kinds in load_access_rules().proofs.values() for k in kinds]
    result = eligibility(kind, patient, motive=motive, documents=every_document)
    assert result.decision is Decision.REFUSED
    assert reason in result.reasons
    assert result.missing == ()


def test_heir_without_motive_or_proofs_is_incomplete() -> None:
    result = eligibility(K.AYANT_DROIT, DECEASED, documents=["cni"])
    assert result.decision is Decision.INCOMPLETE
    assert result.missing == (
        Proof.DEMANDE_ECRITE,
        Proof.ACTE_DECES,
        Proof.QUALITE_AYANT_DROIT,
        Proof.MOTIF,
    )
    assert result.reasons == (AccessReason.PROOFS_MISSING, AccessReason.MOTIVE_MISSING)


def test_curateur_needs_the_protected_adults_consent() -> None:
    result = eligibility(
        K.CURATEUR, ADULT, documents=["demande_ecrite", "cni", "jugement_curatelle"]
    )
    assert result.decision is Decision.INCOMPLETE
    assert result.missing == (Proof.CONSENTEMENT_MAJEUR_PROTEGE,)
    assert AccessReason.CONSENT_REQUIRED in result.reasons


def test_tuteur_needs_the_judgment() -> None:
    result = eligibility(K.TUTEUR, ADULT, documents=["demande_ecrite", "cni"])
    assert result.missing == (Proof.JUGEMENT_PROTECTION,)


def test_designated_doctor_brings_the_principals_proofs() -> None:
    docs = ["designation_medecin", "carte_cps", "demande_ecrite"]
    result = eligibility(K.MEDECIN, ADULT, documents=docs, on_behalf_of=K.PATIENT)
    assert result.decision is Decision.INCOMPLETE
    assert result.missing == (Proof.IDENTITE,)
    allowed = eligibility(K.MEDECIN, ADULT, documents=[*docs, "cni"], on_behalf_of=K.PATIENT)
    assert allowed.allowed
    assert set(allowed.required) == {
        Proof.DESIGNATION_MEDECIN,
        Proof.QUALITE_MEDECIN,
        Proof.DEMANDE_ECRITE,
        Proof.IDENTITE,
    }


def test_designated_doctor_follows_the_principals_refusal() -> None:
    result = eligibility(K.MEDECIN, ADULT, on_behalf_of=K.AYANT_DROIT, motive="causes_deces")
    assert result.decision is Decision.REFUSED
    assert result.reasons == (AccessReason.PATIENT_ALIVE,)
    for principal in (K.TIERS, K.MEDECIN):
        assert eligibility(K.MEDECIN, ADULT, on_behalf_of=principal).reasons == (
            AccessReason.UNAUTHORISED_REQUESTER,
        )


def test_doctor_without_principal_is_incomplete() -> None:
    result = eligibility(K.MEDECIN, ADULT, documents=["designation_medecin", "carte_cps"])
    assert result.decision is Decision.INCOMPLETE
    assert result.reasons == (AccessReason.DESIGNATION_MISSING,)


def test_proofs_satisfied_maps_documents_to_proofs() -> None:
    assert proofs_satisfied(["livret_famille"]) == {
        Proof.AUTORITE_PARENTALE,
        Proof.QUALITE_AYANT_DROIT,
    }
    assert proofs_satisfied([], motive="causes_deces") == {Proof.MOTIF}
    assert proofs_satisfied(["photo_de_vacances"]) == frozenset()


# -------------------------------------------------------------------- deadlines


def test_deadlines_worked_examples() -> None:
    # recent information: 48 hours, 8 days
    assert deadlines(date(2026, 3, 2), date(2024, 1, 10)) == Deadlines(
        date(2026, 3, 4), date(2026, 3, 10), False
    )
    # information more than 5 years old: 2 months, clamped to the end of the month
    assert deadlines(date(2025, 12, 31), date(2019, 6, 3)) == Deadlines(
        date(2026, 1, 2), date(2026, 2, 28), True
    )
    # exactly five years is not "more than five years"
    assert not deadlines(date(2026, 3, 2), date(2021, 3, 2)).long
    assert deadlines(date(2026, 3, 2), date(2021, 3, 1)).long
    # no dated item; the psychiatric commission seized
    assert not deadlines(date(2026, 3, 2), None).long
    assert deadlines(date(2026, 3, 2), None, commission_seized=True).due_on == date(2026, 5, 2)


def test_deadlines_before_the_law_are_not_defined() -> None:
    with pytest.raises(LookupError):
        deadlines(date(1999, 1, 1), None)


dates = st.dates(min_value=date(2002, 3, 6), max_value=date(2090, 12, 31))


@given(dates, st.none() | st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)))
def test_deadlines_properties(complete_on: date, newest: date | None) -> None:
    limits = deadlines(complete_on, newest)
    assert limits.earliest_on - complete_on >= timedelta(hours=48)
    assert limits.due_on >= limits.earliest_on
    assert limits.due_on > complete_on
    if not limits.long:
        assert limits.due_on == complete_on + timedelta(days=8)
    assert check_communication_date(limits, limits.earliest_on) is None
    assert check_communication_date(limits, limits.earliest_on - timedelta(days=1)) is (
        AccessReason.TOO_EARLY
    )


@given(st.dates(), st.integers(min_value=-240, max_value=240))
def test_add_months_clamps_to_the_end_of_the_month(day: date, months: int) -> None:
    try:
        moved = add_months(day, months)
    except ValueError:  # out of the date range
        return
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + timedelta(days=1)).day == 1)


def test_add_years_on_29_february() -> None:
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_overdue() -> None:
    due = date(2026, 3, 10)
    assert not is_overdue(due, date(2026, 3, 10))
    assert is_overdue(due, date(2026, 3, 11))
    assert not is_overdue(due, date(2026, 4, 1), sent_on=date(2026, 3, 9))
    assert is_overdue(due, date(2026, 4, 1), sent_on=date(2026, 3, 12))


# --------------------------------------------------------------------- statuses

S = RequestStatus


def test_main_flow_is_allowed() -> None:
    flow = [S.RECUE, S.INCOMPLETE, S.COMPLETE, S.EN_PREPARATION, S.ENVOYEE, S.CLOTUREE]
    for current, target in pairwise(flow):
        assert check_transition(current, target) is None
    assert check_transition(S.EN_PREPARATION, S.CONSULTEE_SUR_PLACE) is None
    assert check_transition(S.CONSULTEE_SUR_PLACE, S.CLOTUREE) is None
    assert check_transition(S.RECUE, S.COMPLETE) is None
    assert check_transition(S.INCOMPLETE, S.REFUSEE) is None
    assert check_transition(S.REFUSEE, S.CLOTUREE) is None


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.RECUE, S.ENVOYEE),
        (S.INCOMPLETE, S.EN_PREPARATION),
        (S.ENVOYEE, S.REFUSEE),
        (S.CLOTUREE, S.RECUE),
        (S.REFUSEE, S.COMPLETE),
        (S.COMPLETE, S.RECUE),
    ],
)
def test_invalid_transitions_are_refused_with_a_code(
    current: RequestStatus, target: RequestStatus
) -> None:
    assert check_transition(current, target) is AccessReason.INVALID_TRANSITION


def test_same_status_and_table_shape() -> None:
    assert check_transition(S.COMPLETE, S.COMPLETE) is AccessReason.ALREADY_IN_STATUS
    assert set(TRANSITIONS) == set(RequestStatus)
    assert allowed_transitions(S.CLOTUREE) == frozenset()
    # every status is reachable from recue, and cloturee from every status
    reachable = {S.RECUE}
    frontier = [S.RECUE]
    while frontier:
        for nxt in TRANSITIONS[frontier.pop()]:
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert reachable == set(RequestStatus)


# ------------------------------------------------------------------------ items


def test_third_party_items_are_withheld() -> None:
    items = [
        RecordItem("cr_2019", date(2019, 6, 3), "compte_rendu"),
        RecordItem("courrier_tiers", date(2024, 1, 10), "courrier", third_party=True),
    ]
    split = communicable_items(items)
    assert [i.key for i in split.communicable] == ["cr_2019"]
    assert [(w.item.key, w.reason) for w in split.withheld] == [
        ("courrier_tiers", AccessReason.THIRD_PARTY_INFORMATION)
    ]


# -------------------------------------------------------------------- retention


def test_retention_worked_examples() -> None:
    # adult: 20 years after the last visit
    assert retention_until(date(2010, 5, 4), date(1970, 1, 1)) == date(2030, 5, 4)
    # a child seen at 3: kept until the 28th birthday
    assert retention_until(date(2003, 9, 1), date(2000, 2, 29)) == date(2028, 2, 29)
    # died 4 years after the last visit: 10 years from the death
    assert retention_until(date(2010, 5, 4), date(1950, 1, 1), date(2014, 6, 1)) == date(2024, 6, 1)
    # the death rule applies "dans tous les cas", even to a young patient
    assert retention_until(date(2003, 9, 1), date(2000, 1, 1), date(2005, 1, 1)) == date(2015, 1, 1)
    # died 12 years after: the 20-year rule
    assert retention_until(date(2000, 1, 1), date(1950, 1, 1), date(2012, 1, 2)) == date(2020, 1, 1)


def test_is_record_kept() -> None:
    assert is_record_kept(date(2030, 5, 4), date(2010, 5, 4), date(1970, 1, 1))
    assert not is_record_kept(date(2030, 5, 5), date(2010, 5, 4), date(1970, 1, 1))


@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2060, 1, 1)),
    st.integers(min_value=0, max_value=100 * 365),
    st.none() | st.integers(min_value=0, max_value=40 * 365),
)
def test_retention_properties(birth: date, age_days: int, death_after: int | None) -> None:
    last_visit = birth + timedelta(days=age_days)
    death = None if death_after is None else last_visit + timedelta(days=death_after)
    until = retention_until(last_visit, birth, death)
    assert until > last_visit
    if death is None:
        assert until >= add_years(last_visit, 20)
        assert until >= add_years(birth, 28)
    elif death < add_years(last_visit, 10):
        assert until == add_years(death, 10)


# ------------------------------------------------------------------------- data


def test_packaged_data_is_dated() -> None:
    rules = load_access_rules()
    rule = rules.deadline_rule(date(2026, 3, 2))
    assert (rule.minimum_hours, rule.standard_days, rule.long_months) == (48, 8, 2)
    assert "L1111-7" in rule.source
    assert "R1112-7" in rules.retention_rule(date(2026, 3, 2)).source


def test_a_newer_entry_applies_from_its_date(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "simsec" / "data" / "access.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    raw["deadlines"].append(
        {**raw["deadlines"][0], "valid_from": date(2030, 1, 1), "standard_days": 15}
    )
    path = tmp_path / "access.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    rules = load_access_rules(path)
    assert deadlines(date(2029, 12, 31), None, rules=rules).due_on == date(2030, 1, 8)
    assert deadlines(date(2030, 1, 1), None, rules=rules).due_on == date(2030, 1, 16)


def test_malformed_data_is_rejected(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "simsec" / "data" / "access.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    del raw["proofs"]["identite"]
    path = tmp_path / "access.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ValidationError, match="identite"):
        load_access_rules(path)


# ------------------------------------------------------------------------ texts


def test_every_reason_has_a_french_message() -> None:
    assert set(REASON_TEMPLATES) == set(AccessReason)
    for reason in AccessReason:
        assert reason_message(reason)
    assert "reçue" in reason_message(
        AccessReason.INVALID_TRANSITION, current=S.RECUE, target=S.ENVOYEE
    )


def test_eligibility_and_deadline_messages() -> None:
    result = eligibility(K.AYANT_DROIT, DECEASED, documents=["cni"])
    text = eligibility_message(result)
    assert "incomplète" in text and "acte de décès" in text and "motif" in text
    assert missing_proofs_message([]) == ""
    limits = deadlines(date(2026, 3, 2), date(2024, 1, 10))
    assert "4 mars 2026" in deadlines_message(limits)
    assert "10 mars 2026" in deadlines_message(limits)
