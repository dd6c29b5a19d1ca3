"""Identity traits: RNIV normalisation, input checks, comparison, similarity, status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simsec.rules.identity import (
    DifferenceKind,
    IdentityAttribute,
    IdentityIssueCode,
    IdentityState,
    IdentityStatus,
    Severity,
    StatusChange,
    StatusChangeReason,
    TraitName,
    Traits,
    compare,
    load_conventions,
    modify_strict_trait,
    normalise_first_names,
    normalise_name,
    normalise_traits,
    parse_birth_date,
    record_document_check,
    record_insi_result,
    set_attribute,
    similarity,
    status_consistency_issues,
    status_from_facts,
    strict_traits_changed,
    validate_traits,
    withdraw_document_check,
    withdraw_insi,
)
from simsec.texts.identity import (
    DIFFERENCE_LABELS,
    ISSUE_TEMPLATES,
    STATUS_CHANGE_TEMPLATES,
    difference_message,
    issue_message,
    status_change_message,
)

TODAY = date(2026, 3, 2)

DUPONT = Traits(
    birth_name="DUPONT",
    first_names=("MARIE", "CLAIRE"),
    birth_date=date(1985, 4, 12),
    sex="F",
    birth_place="75056",
    used_name="LEROY",
)


def codes(issues: object) -> list[IdentityIssueCode]:
    return [issue.code for issue in issues]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- traits


def test_first_name_is_the_first_birth_first_name() -> None:
    assert DUPONT.first_name == "MARIE"
    assert Traits("X").first_name is None


def test_first_names_given_as_a_list_become_a_tuple() -> None:
    traits = Traits("DUPONT", ["MARIE", "CLAIRE"])  # type: ignore[arg-type]
    assert traits.first_names == ("MARIE", "CLAIRE")
    assert hash(traits) == hash(Traits("DUPONT", ("MARIE", "CLAIRE")))


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("dupont", "DUPONT"),
        ("Hélène", "HELENE"),
        ("  le   gall ", "LE GALL"),
        ("Saint - Étienne", "SAINT-ETIENNE"),
        ("d’Ormesson", "D'ORMESSON"),
        ("d ' Ormesson", "D'ORMESSON"),
        ("Œuvray", "OEUVRAY"),
        ("Lætitia", "LAETITIA"),
        ("Weiß", "WEISS"),
        ("Müller–Lüdenscheidt", "MULLER-LUDENSCHEIDT"),
        ("François", "FRANCOIS"),
        ("Ørsted", "ORSTED"),
        ("DUPONT--DURAND", "DUPONT--DURAND"),  # double hyphen of the civil register
        ("jean\u00a0pierre", "JEAN PIERRE"),
    ],
)
def test_names_are_typed_in_rniv_form(raw: str, value: str) -> None:
    result = normalise_name(raw)
    assert result.value == value
    assert result.ok


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("DUPONT2", IdentityIssueCode.FORBIDDEN_CHARACTER),
        ("DU.PONT", IdentityIssueCode.FORBIDDEN_CHARACTER),
        ("-DUPONT", IdentityIssueCode.MISPLACED_SEPARATOR),
        ("DUPONT'", IdentityIssueCode.MISPLACED_SEPARATOR),
        ("D''ORMESSON", IdentityIssueCode.MISPLACED_SEPARATOR),
        ("JEAN---PIERRE", IdentityIssueCode.MISPLACED_SEPARATOR),
    ],
)
def test_invalid_names_are_errors(raw: str, code: IdentityIssueCode) -> None:
    result = normalise_name(raw)
    assert code in codes(result.issues)
    assert not result.ok


def test_forbidden_character_is_kept_and_located() -> None:
    result = normalise_name("dupon7")
    assert result.value == "DUPON7"
    (issue,) = result.issues
    assert issue.params == {"character": "7", "position": "6"}


@pytest.mark.parametrize("raw", ["ST MARTIN", "St. Martin", "MARTIN-STE-MARIE"])
def test_abbreviation_is_a_warning(raw: str) -> None:
    result = normalise_name(raw)
    abbreviations = [i for i in result.issues if i.code is IdentityIssueCode.ABBREVIATION]
    assert abbreviations
    assert abbreviations[0].severity is Severity.WARNING
    assert abbreviations[0].params["expansion"] in ("SAINT", "SAINTE")


def test_saint_written_in_full_is_not_an_abbreviation() -> None:
    assert normalise_name("SAINT-MARTIN").issues == ()
    assert normalise_name("STEPHAN").issues == ()


@given(st.text(max_size=40))
def test_normalisation_is_idempotent(raw: str) -> None:
    once = normalise_name(raw).value
    assert normalise_name(once).value == once


@given(st.text(max_size=40))
def test_every_character_outside_the_allowed_set_is_reported(raw: str) -> None:
    result = normalise_name(raw)
    allowed = load_conventions().allowed
    reported = {
        i.params["character"]
        for i in result.issues
        if i.code is IdentityIssueCode.FORBIDDEN_CHARACTER
    }
    assert {ch for ch in result.value if ch not in allowed} == reported
    assert result.value == result.value.strip()
    assert "  " not in result.value


@pytest.mark.parametrize(
    ("raw", "values"),
    [
        ("Marie, Claire", ("MARIE", "CLAIRE")),
        ("marie claire", ("MARIE", "CLAIRE")),
        ("Jean - Pierre  Paul", ("JEAN-PIERRE", "PAUL")),
        (["Marie-Claire", "Louise"], ("MARIE-CLAIRE", "LOUISE")),
        (["MARIE CLAIRE"], ("MARIE", "CLAIRE")),
        ("", ()),
        ([], ()),
    ],
)
def test_first_names_keep_their_order_and_hyphens(
    raw: str | list[str], values: tuple[str, ...]
) -> None:
    assert normalise_first_names(raw).values == values


def test_normalise_traits_normalises_every_name_and_code() -> None:
    raw = Traits("dupont", ("Marie", "Hélène"), date(1985, 4, 12), "F", "2a004", "le roy", "Léna")
    traits, issues = normalise_traits(raw)
    assert traits == Traits(
        "DUPONT", ("MARIE", "HELENE"), date(1985, 4, 12), "F", "2A004", "LE ROY", "LENA"
    )
    assert issues == ()


# --------------------------------------------------------------------------- validation


def test_complete_traits_have_no_finding() -> None:
    assert validate_traits(DUPONT, TODAY) == []


@pytest.mark.parametrize(
    "trait",
    [
        TraitName.BIRTH_NAME,
        TraitName.FIRST_NAMES,
        TraitName.BIRTH_DATE,
        TraitName.SEX,
        TraitName.BIRTH_PLACE,
    ],
)
def test_each_missing_mandatory_trait_is_an_error(trait: TraitName) -> None:
    empty: dict[TraitName, object] = {
        TraitName.BIRTH_NAME: "",
        TraitName.FIRST_NAMES: (),
        TraitName.BIRTH_DATE: None,
        TraitName.SEX: None,
        TraitName.BIRTH_PLACE: None,
    }
    issues = validate_traits(replace(DUPONT, **{trait.value: empty[trait]}), TODAY)  # type: ignore[arg-type]
    assert [(i.code, i.trait, i.severity) for i in issues] == [
        (IdentityIssueCode.MISSING_TRAIT, trait, Severity.ERROR)
    ]


@pytest.mark.parametrize(
    ("change", "code", "severity"),
    [
        ({"birth_date": date(2026, 3, 3)}, IdentityIssueCode.BIRTH_DATE_IN_FUTURE, Severity.ERROR),
        (
            {"birth_date": date(1890, 1, 1)},
            IdentityIssueCode.BIRTH_DATE_IMPLAUSIBLE,
            Severity.WARNING,
        ),
        ({"sex": "X"}, IdentityIssueCode.INVALID_SEX, Severity.ERROR),
        ({"sex": "I"}, IdentityIssueCode.SEX_NOT_IN_INSI, Severity.WARNING),
        ({"birth_place": "7505"}, IdentityIssueCode.INVALID_BIRTH_PLACE, Severity.ERROR),
        ({"birth_place": "00123"}, IdentityIssueCode.INVALID_BIRTH_PLACE, Severity.ERROR),
        ({"birth_name": "Dupont"}, IdentityIssueCode.NOT_NORMALISED, Severity.WARNING),
        ({"first_names": ("Marie",)}, IdentityIssueCode.NOT_NORMALISED, Severity.WARNING),
        ({"used_name": "ST MARTIN"}, IdentityIssueCode.ABBREVIATION, Severity.WARNING),
        ({"birth_name": "DUP0NT"}, IdentityIssueCode.FORBIDDEN_CHARACTER, Severity.ERROR),
    ],
)
def test_input_findings(
    change: dict[str, object], code: IdentityIssueCode, severity: Severity
) -> None:
    issues = validate_traits(replace(DUPONT, **change), TODAY)  # type: ignore[arg-type]
    assert [(i.code, i.severity) for i in issues] == [(code, severity)]


@pytest.mark.parametrize("place", ["75056", "2A004", "2B033", "97411", "99100", "99352"])
def test_valid_birth_places(place: str) -> None:
    assert validate_traits(replace(DUPONT, birth_place=place), TODAY) == []


def test_birth_date_today_is_accepted() -> None:
    assert validate_traits(replace(DUPONT, birth_date=TODAY), TODAY) == []


def test_errors_come_before_warnings() -> None:
    issues = validate_traits(Traits("dupont", (), TODAY, "I", "75056"), TODAY)
    severities = [i.severity for i in issues]
    assert severities == sorted(severities, key=lambda s: s is not Severity.ERROR)
    assert severities[0] is Severity.ERROR


@pytest.mark.parametrize(
    ("text", "value", "day_unknown", "month_unknown"),
    [
        ("12/04/1985", date(1985, 4, 12), False, False),
        ("1985-04-12", date(1985, 4, 12), False, False),
        ("00/04/1985", date(1985, 4, 1), True, False),
        ("00/00/1950", date(1950, 1, 1), True, True),
        ("1.2.2001", date(2001, 2, 1), False, False),
    ],
)
def test_parse_birth_date(text: str, value: date, day_unknown: bool, month_unknown: bool) -> None:
    parsed = parse_birth_date(text)
    assert (parsed.value, parsed.day_unknown, parsed.month_unknown) == (
        value,
        day_unknown,
        month_unknown,
    )
    expected = [IdentityIssueCode.BIRTH_DATE_PARTLY_UNKNOWN] if day_unknown or month_unknown else []
    assert codes(parsed.issues) == expected


@pytest.mark.parametrize("text", ["31/02/1985", "12/13/1985", "hier", "1985"])
def test_parse_birth_date_rejects_impossible_dates(text: str) -> None:
    parsed = parse_birth_date(text)
    assert parsed.value is None
    assert codes(parsed.issues) == [IdentityIssueCode.BIRTH_DATE_INVALID]


# --------------------------------------------------------------------------- comparison


def kinds(a: Traits, b: Traits) -> dict[TraitName, DifferenceKind]:
    return {d.trait: d.kind for d in compare(a, b)}


@pytest.mark.parametrize(
    ("trait", "change", "kind"),
    [
        (TraitName.BIRTH_NAME, {"birth_name": "DUPONT"}, DifferenceKind.IDENTICAL),
        (TraitName.BIRTH_NAME, {"birth_name": "Dupónt"}, DifferenceKind.ACCENTS_OR_CASE),
        (TraitName.BIRTH_NAME, {"birth_name": "DU PONT"}, DifferenceKind.SEPARATORS),
        (TraitName.BIRTH_NAME, {"birth_name": "DUPOMT"}, DifferenceKind.TYPO),
        (TraitName.BIRTH_NAME, {"birth_name": "DUPNOT"}, DifferenceKind.TYPO),
        (TraitName.BIRTH_NAME, {"birth_name": "DUPPOND"}, DifferenceKind.PHONETIC),
        (TraitName.BIRTH_NAME, {"birth_name": "LEROY"}, DifferenceKind.USED_NAME_AS_BIRTH_NAME),
        (TraitName.BIRTH_NAME, {"birth_name": ""}, DifferenceKind.MISSING),
        (TraitName.BIRTH_NAME, {"birth_name": "MARTIN"}, DifferenceKind.DIFFERENT),
        (
            TraitName.FIRST_NAMES,
            {"first_names": ("marie", "claire")},
            DifferenceKind.ACCENTS_OR_CASE,
        ),
        (
            TraitName.FIRST_NAMES,
            {"first_names": ("MARIE-CLAIRE",)},
            DifferenceKind.COMPOUND_FIRST_NAME,
        ),
        (
            TraitName.FIRST_NAMES,
            {"first_names": ("CLAIRE", "MARIE")},
            DifferenceKind.FIRST_NAMES_ORDER,
        ),
        (TraitName.FIRST_NAMES, {"first_names": ("MARIE",)}, DifferenceKind.FIRST_NAMES_PARTIAL),
        (
            TraitName.FIRST_NAMES,
            {"first_names": ("MARIE", "CLAIRE", "ANNE")},
            DifferenceKind.FIRST_NAMES_PARTIAL,
        ),
        (TraitName.FIRST_NAMES, {"first_names": ("MARIE", "CLARE")}, DifferenceKind.TYPO),
        (TraitName.FIRST_NAMES, {"first_names": ("MARY", "KLAIRE")}, DifferenceKind.PHONETIC),
        (TraitName.FIRST_NAMES, {"first_names": ()}, DifferenceKind.MISSING),
        (TraitName.FIRST_NAMES, {"first_names": ("SOPHIE",)}, DifferenceKind.DIFFERENT),
        (TraitName.BIRTH_DATE, {"birth_date": date(1985, 12, 4)}, DifferenceKind.DAY_MONTH_SWAPPED),
        (TraitName.BIRTH_DATE, {"birth_date": date(1985, 4, 13)}, DifferenceKind.TYPO),
        (TraitName.BIRTH_DATE, {"birth_date": date(1958, 4, 12)}, DifferenceKind.TYPO),
        (TraitName.BIRTH_DATE, {"birth_date": None}, DifferenceKind.MISSING),
        (TraitName.BIRTH_DATE, {"birth_date": date(1990, 7, 1)}, DifferenceKind.DIFFERENT),
        (TraitName.SEX, {"sex": "M"}, DifferenceKind.DIFFERENT),
        (TraitName.SEX, {"sex": None}, DifferenceKind.MISSING),
        (TraitName.BIRTH_PLACE, {"birth_place": "75065"}, DifferenceKind.TYPO),
        (TraitName.BIRTH_PLACE, {"birth_place": "13055"}, DifferenceKind.DIFFERENT),
        (TraitName.BIRTH_PLACE, {"birth_place": None}, DifferenceKind.MISSING),
        (TraitName.USED_NAME, {"used_name": None}, DifferenceKind.MISSING),
        (TraitName.USED_NAME, {"used_name": "Leroy"}, DifferenceKind.ACCENTS_OR_CASE),
    ],
)
def test_each_difference_kind(
    trait: TraitName, change: dict[str, object], kind: DifferenceKind
) -> None:
    other = replace(DUPONT, **change)  # type: ignore[arg-type]
    assert kinds(DUPONT, other)[trait] is kind
    assert kinds(other, DUPONT)[trait] is kind


def test_used_name_as_birth_name_is_found_on_either_side() -> None:
    married = Traits("LEROY", ("MARIE",), date(1985, 4, 12), "F")
    assert kinds(married, DUPONT)[TraitName.BIRTH_NAME] is DifferenceKind.USED_NAME_AS_BIRTH_NAME
    assert kinds(DUPONT, married)[TraitName.BIRTH_NAME] is DifferenceKind.USED_NAME_AS_BIRTH_NAME


def test_compare_reports_every_trait_with_display_values() -> None:
    differences = compare(DUPONT, replace(DUPONT, first_names=("MARIE-CLAIRE",)))
    assert [d.trait for d in differences] == list(TraitName)
    first = next(d for d in differences if d.trait is TraitName.FIRST_NAMES)
    assert (first.a, first.b) == ("MARIE CLAIRE", "MARIE-CLAIRE")


_name_pool = st.sampled_from(
    ["DUPONT", "Dupont", "DU PONT", "DUPOMT", "DUPPOND", "LEROY", "MARTIN", ""]
)
_first_pool = st.sampled_from(
    [
        ("MARIE", "CLAIRE"),
        ("MARIE-CLAIRE",),
        ("CLAIRE", "MARIE"),
        ("MARIE",),
        ("Marie",),
        ("SOPHIE",),
        (),
    ]
)
_date_pool = st.sampled_from(
    [date(1985, 4, 12), date(1985, 12, 4), date(1985, 4, 13), date(1990, 1, 1), None]
)
traits_strategy = st.builds(
    Traits,
    birth_name=_name_pool,
    first_names=_first_pool,
    birth_date=_date_pool,
    sex=st.sampled_from(["F", "M", None]),
    birth_place=st.sampled_from(["75056", "75065", "13055", None]),
    used_name=st.sampled_from(["LEROY", "DUPONT", None]),
    used_first_name=st.sampled_from(["LILI", None]),
)


@given(traits_strategy, traits_strategy)
def test_compare_is_symmetric_in_kind(a: Traits, b: Traits) -> None:
    assert kinds(a, b) == kinds(b, a)


@given(traits_strategy)
def test_an_identity_is_identical_to_itself(a: Traits) -> None:
    assert set(kinds(a, a).values()) == {DifferenceKind.IDENTICAL}
    assert strict_traits_changed(a, a) == ()


def test_strict_traits_changed_ignores_case_and_accents() -> None:
    assert strict_traits_changed(DUPONT, replace(DUPONT, birth_name="Dupont")) == ()
    assert strict_traits_changed(DUPONT, replace(DUPONT, birth_name="DUPOND", used_name=None)) == (
        TraitName.BIRTH_NAME,
    )


# --------------------------------------------------------------------------- similarity


def test_similarity_of_identical_identities_is_one() -> None:
    result = similarity(DUPONT, DUPONT)
    assert (result.score, result.coverage) == (1.0, 1.0)


@given(traits_strategy, traits_strategy)
def test_similarity_is_symmetric_and_bounded(a: Traits, b: Traits) -> None:
    ab, ba = similarity(a, b), similarity(b, a)
    assert ab.score == ba.score
    assert 0.0 <= ab.score <= 1.0
    assert 0.0 <= ab.coverage <= 1.0


def test_typical_doublon_scores_higher_than_a_homonym() -> None:
    doublon = Traits("LEROY", ("MARIE-CLAIRE",), date(1985, 12, 4), "F", "75056")
    homonym = Traits("DUPONT", ("MARIE",), date(1962, 9, 30), "F", "13055")
    stranger = Traits("BERNARD", ("PAUL",), date(1970, 1, 1), "M", "69123")
    s_doublon = similarity(DUPONT, doublon).score
    s_homonym = similarity(DUPONT, homonym).score
    s_stranger = similarity(DUPONT, stranger).score
    assert s_doublon > 0.8
    assert s_doublon > s_homonym > s_stranger
    assert s_stranger < 0.3


def test_similarity_explains_each_strict_trait() -> None:
    other = replace(DUPONT, birth_name="DUPOMT", birth_place=None)
    result = similarity(DUPONT, other)
    assert result.trait(TraitName.BIRTH_NAME).kind is DifferenceKind.TYPO
    assert 0.75 <= (result.trait(TraitName.BIRTH_NAME).score or 0) < 1
    assert result.trait(TraitName.BIRTH_PLACE).score is None
    assert result.coverage == pytest.approx(0.9)


def test_similarity_with_nothing_in_common_to_compare() -> None:
    result = similarity(Traits(), DUPONT)
    assert (result.score, result.coverage) == (0.0, 0.0)


# --------------------------------------------------------------------------- status


@pytest.mark.parametrize(
    ("insi", "document", "status"),
    [
        (False, False, IdentityStatus.PROVISOIRE),
        (True, False, IdentityStatus.RECUPEREE),
        (False, True, IdentityStatus.VALIDEE),
        (True, True, IdentityStatus.QUALIFIEE),
    ],
)
def test_status_from_its_two_facts(insi: bool, document: bool, status: IdentityStatus) -> None:
    assert status_from_facts(insi_retrieved=insi, document_checked=document) is status
    for attribute in (IdentityAttribute.DOUTEUSE, IdentityAttribute.FICTIVE):
        forced = status_from_facts(
            insi_retrieved=insi, document_checked=document, attributes=[attribute]
        )
        assert forced is IdentityStatus.PROVISOIRE
    homonym = status_from_facts(
        insi_retrieved=insi, document_checked=document, attributes=[IdentityAttribute.HOMONYME]
    )
    assert homonym is status


def test_fr_core_codes() -> None:
    assert [s.code for s in IdentityStatus] == ["PROV", "RECUP", "VALI", "QUAL"]
    assert [a.code for a in IdentityAttribute] == ["DOUT", "FICT", "HOMA"]


def test_creation_then_insi_then_document_gives_qualifiee() -> None:
    state = IdentityState()
    assert state.status is IdentityStatus.PROVISOIRE
    state = record_insi_result(state, traits_match=True).after
    assert state.status is IdentityStatus.RECUPEREE
    change = record_document_check(state, high_trust=True)
    assert change.after.status is IdentityStatus.QUALIFIEE
    assert change.after.ins_usable
    assert change.reason is StatusChangeReason.DOCUMENT_CHECKED


def test_document_then_insi_gives_qualifiee() -> None:
    state = record_document_check(IdentityState(), high_trust=True).after
    assert state.status is IdentityStatus.VALIDEE
    assert not state.ins_usable
    assert record_insi_result(state, traits_match=True).after.status is IdentityStatus.QUALIFIEE


def test_refused_results_change_nothing() -> None:
    change = record_insi_result(IdentityState(), traits_match=False)
    assert change.reason is StatusChangeReason.INSI_TRAITS_MISMATCH
    assert change.after == change.before
    change = record_document_check(IdentityState(), high_trust=False)
    assert change.reason is StatusChangeReason.DOCUMENT_NOT_HIGH_TRUST
    assert change.after == change.before


QUALIFIED = IdentityState(insi_retrieved=True, document_checked=True)


def test_setting_douteuse_sends_back_to_provisoire_and_checks_must_be_redone() -> None:
    change = set_attribute(QUALIFIED, IdentityAttribute.DOUTEUSE, True)
    assert change.after.status is IdentityStatus.PROVISOIRE
    assert change.downgraded
    cleared = set_attribute(change.after, IdentityAttribute.DOUTEUSE, False).after
    assert cleared.status is IdentityStatus.PROVISOIRE
    assert cleared.attributes == frozenset()


def test_fictive_identity_can_never_be_validated() -> None:
    fictive = set_attribute(IdentityState(), IdentityAttribute.FICTIVE, True).after
    change = record_document_check(fictive, high_trust=True)
    assert change.reason is StatusChangeReason.BLOCKED_BY_ATTRIBUTE
    assert change.params == {"attribute": "fictive"}
    assert change.after.status is IdentityStatus.PROVISOIRE
    assert record_insi_result(fictive, traits_match=True).after.status is IdentityStatus.PROVISOIRE


def test_homonyme_does_not_touch_the_status() -> None:
    change = set_attribute(QUALIFIED, IdentityAttribute.HOMONYME, True)
    assert change.after.status is IdentityStatus.QUALIFIEE
    assert not change.downgraded


@pytest.mark.parametrize(
    ("trait", "from_insi", "status", "reason"),
    [
        (
            TraitName.BIRTH_NAME,
            False,
            IdentityStatus.PROVISOIRE,
            StatusChangeReason.STRICT_TRAIT_MODIFIED,
        ),
        (
            TraitName.BIRTH_DATE,
            False,
            IdentityStatus.PROVISOIRE,
            StatusChangeReason.STRICT_TRAIT_MODIFIED,
        ),
        (
            TraitName.FIRST_NAMES,
            True,
            IdentityStatus.RECUPEREE,
            StatusChangeReason.INSI_TRAITS_APPLIED,
        ),
        (
            TraitName.USED_NAME,
            False,
            IdentityStatus.QUALIFIEE,
            StatusChangeReason.COMPLEMENTARY_TRAIT_MODIFIED,
        ),
    ],
)
def test_modifying_a_trait(
    trait: TraitName, from_insi: bool, status: IdentityStatus, reason: StatusChangeReason
) -> None:
    change = modify_strict_trait(QUALIFIED, trait, from_insi=from_insi)
    assert change.after.status is status
    assert change.reason is reason
    assert change.downgraded is (status is not IdentityStatus.QUALIFIEE)


def test_withdrawals() -> None:
    assert withdraw_insi(QUALIFIED).after.status is IdentityStatus.VALIDEE
    assert withdraw_document_check(QUALIFIED).after.status is IdentityStatus.RECUPEREE


def test_from_status_and_consistency() -> None:
    for status in IdentityStatus:
        assert IdentityState.from_status(status).status is status
    assert IdentityState.from_status("qualifiee", ["fictive"]).status is IdentityStatus.PROVISOIRE
    (issue,) = status_consistency_issues("qualifiee", ["fictive", "homonyme"])
    assert issue.code is IdentityIssueCode.STATUS_WITH_BLOCKING_ATTRIBUTE
    assert status_consistency_issues("provisoire", ["douteuse", "fictive"]) == []


_operations: list[Callable[[IdentityState], StatusChange]] = [
    lambda s: record_insi_result(s, traits_match=True),
    lambda s: record_insi_result(s, traits_match=False),
    lambda s: record_document_check(s, high_trust=True),
    lambda s: record_document_check(s, high_trust=False),
    lambda s: set_attribute(s, IdentityAttribute.FICTIVE, True),
    lambda s: set_attribute(s, IdentityAttribute.FICTIVE, False),
    lambda s: set_attribute(s, IdentityAttribute.DOUTEUSE, True),
    lambda s: set_attribute(s, IdentityAttribute.DOUTEUSE, False),
    lambda s: set_attribute(s, IdentityAttribute.HOMONYME, True),
    lambda s: modify_strict_trait(s, TraitName.BIRTH_NAME),
    lambda s: modify_strict_trait(s, TraitName.FIRST_NAMES, from_insi=True),
    withdraw_insi,
    withdraw_document_check,
]


@given(st.lists(st.sampled_from(range(len(_operations))), max_size=25))
def test_status_is_never_above_provisoire_while_douteuse_or_fictive(steps: list[int]) -> None:
    state = IdentityState()
    for step in steps:
        state = _operations[step](state).after
        if (
            IdentityAttribute.FICTIVE in state.attributes
            or IdentityAttribute.DOUTEUSE in state.attributes
        ):
            assert state.status is IdentityStatus.PROVISOIRE
            assert not state.insi_retrieved and not state.document_checked
        assert state.ins_usable is (state.status is IdentityStatus.QUALIFIEE)


# --------------------------------------------------------------------------- texts


def test_every_code_has_a_french_text() -> None:
    assert set(ISSUE_TEMPLATES) == set(IdentityIssueCode)
    assert set(DIFFERENCE_LABELS) == set(DifferenceKind)
    assert set(STATUS_CHANGE_TEMPLATES) == set(StatusChangeReason)


def test_texts_render_their_parameters() -> None:
    issues = validate_traits(Traits("ST MARTIN", (), date(2027, 1, 1), "F", "7505"), TODAY)
    messages = [issue_message(i) for i in issues]
    assert "Trait obligatoire manquant : prénoms de naissance." in messages
    assert "« ST » est une abréviation : écrire « SAINT » en entier." in messages
    assert any("1 janvier 2027" in m and "2 mars 2026" in m for m in messages)
    difference = compare(DUPONT, replace(DUPONT, first_names=("MARIE-CLAIRE",)))[1]
    assert difference_message(difference) == (
        "Prénoms de naissance : prénom composé écrit avec ou sans trait d'union "
        "(MARIE CLAIRE / MARIE-CLAIRE)."
    )
    change = modify_strict_trait(QUALIFIED, TraitName.BIRTH_DATE)
    assert "date de naissance" in status_change_message(change)
    blocked = record_document_check(
        IdentityState(attributes=frozenset({IdentityAttribute.FICTIVE})), high_trust=True
    )
    assert status_change_message(blocked).startswith("L'identité est fictive")
