"""MRZ (ICAO 9303 and the old French CNI): check digits, generation, verification."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simsec.rules.mrz import (
    CheckField,
    MrzErrorCode,
    MrzFormat,
    check_digit,
    generate,
    generate_fr_cni_1988,
    generate_td1,
    generate_td3,
    mrz_text,
    resolve_birth_date,
    resolve_expiry_date,
    verify,
)
from simsec.texts.documents import check_message, mrz_error_message, mrz_summary

# ICAO Doc 9303 part 4, appendix: the specimen passport of Utopia.
ICAO_TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)
# ICAO Doc 9303 part 5, appendix: the specimen TD1 card of Utopia.
ICAO_TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)
# Specimens of the French CNI of the 1988 model, as used by public MRZ readers' tests.
FR_SPECIMENS = [
    "IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<\n9409923102854CORINNE<<<<<<<6512068F4",
    "IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<\n8806923102858CORINNE<<<<<<<6512068F6",
    "IDFRATEST<NAME<<<<<<<<<<<<<<<<0CHE02\n1710GVA123451ROBERTA<<<<<<<9112311F2",
]

ERIKSSON = {
    "surname": "Eriksson",
    "given_names": ["Anna", "Maria"],
    "birth_date": date(1974, 8, 12),
    "sex": "F",
    "expiry_date": date(2012, 4, 15),
    "nationality": "UTO",
    "issuing_state": "UTO",
}


@pytest.mark.parametrize(
    ("data", "digit"),
    [("L898902C3", "6"), ("740812", "2"), ("120415", "9"), ("D23145890", "7"), ("<<<<", "0")],
)
def test_check_digit(data: str, digit: str) -> None:
    assert check_digit(data) == digit


def test_check_digit_rejects_characters_outside_the_mrz_set() -> None:
    with pytest.raises(ValueError):
        check_digit("abc")


def test_icao_passport_specimen() -> None:
    generated = generate_td3(
        **ERIKSSON,  # type: ignore[arg-type]
        document_number="L898902C3",
        personal_number="ZE184226B",
    )
    assert generated == ICAO_TD3
    result = verify(ICAO_TD3)
    assert result.ok
    assert result.format is MrzFormat.TD3
    assert result.fields["surname"] == "ERIKSSON"
    assert result.fields["given_names"] == "ANNA MARIA"
    assert result.fields["document_number"] == "L898902C3"
    assert result.fields["optional_data"] == "ZE184226B"
    assert [c.field for c in result.checks] == [
        CheckField.DOCUMENT_NUMBER,
        CheckField.BIRTH_DATE,
        CheckField.EXPIRY_DATE,
        CheckField.OPTIONAL_DATA,
        CheckField.COMPOSITE,
    ]


def test_icao_td1_specimen() -> None:
    generated = generate_td1(
        **ERIKSSON,  # type: ignore[arg-type]
        document_number="D23145890",
        document_code="I",
    )
    assert generated == ICAO_TD1
    result = verify(ICAO_TD1)
    assert result.ok
    assert result.format is MrzFormat.TD1
    assert result.fields["expiry_date"] == "120415"


@pytest.mark.parametrize("specimen", FR_SPECIMENS)
def test_old_french_cni_specimens(specimen: str) -> None:
    result = verify(specimen)
    assert result.ok
    assert result.format is MrzFormat.FR_CNI_1988


def test_old_french_cni_generation_matches_the_specimen() -> None:
    generated = generate_fr_cni_1988(
        surname="Berthier",
        given_names=["Corinne"],
        document_number="940992310285",
        birth_date=date(1965, 12, 6),
        sex="F",
    )
    assert generated == FR_SPECIMENS[0]
    fields = verify(generated).fields
    assert (fields["surname"], fields["given_names"], fields["document_number"]) == (
        "BERTHIER",
        "CORINNE",
        "940992310285",
    )


def test_old_french_cni_given_names_are_separated_by_two_fillers() -> None:
    generated = generate_fr_cni_1988(
        surname="Test",
        given_names=["Marie", "Claire"],
        document_number="880692310285",
        birth_date=date(1965, 12, 6),
        sex="F",
    )
    assert generated.splitlines()[1][13:27] == "MARIE<<CLAIRE<"
    assert verify(generated).fields["given_names"] == "MARIE CLAIRE"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("D'Alembert", "DALEMBERT"),
        ("Jean-Pierre", "JEAN<PIERRE"),
        ("Le Gall", "LE<GALL"),
        ("Hélène", "HELENE"),
        ("Œdipe", "OEDIPE"),
    ],
)
def test_mrz_text_transliteration(raw: str, text: str) -> None:
    assert mrz_text(raw) == text


def test_long_names_are_truncated_to_the_field() -> None:
    generated = generate_td1(
        surname="De La Tour d'Auvergne-Lauraguais",
        given_names=["Marie-Henriette", "Charlotte"],
        document_number="X4RTBPFW4",
        birth_date=date(1985, 4, 12),
        sex="F",
        expiry_date=date(2031, 4, 30),
    )
    lines = generated.splitlines()
    assert [len(line) for line in lines] == [30, 30, 30]
    assert verify(generated).ok


def test_long_document_number_overflows_into_the_optional_data() -> None:
    generated = generate_td1(
        surname="Diallo",
        given_names=["Awa"],
        document_number="1234567890AB",
        birth_date=date(1990, 1, 2),
        sex="F",
        expiry_date=date(2030, 1, 1),
        document_code="IR",
    )
    assert generated.splitlines()[0][14] == "<"
    result = verify(generated)
    assert result.ok
    assert result.fields["document_number"] == "1234567890AB"


def test_document_number_too_long_for_a_passport() -> None:
    with pytest.raises(ValueError):
        generate_td3(**ERIKSSON, document_number="1234567890")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- properties

names = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=12)
numbers = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=9, max_size=9)
dates = st.dates(min_value=date(1925, 1, 1), max_value=date(2060, 12, 31))
formats = st.sampled_from([MrzFormat.TD1, MrzFormat.TD3, MrzFormat.FR_CNI_1988])


@st.composite
def documents(draw: st.DrawFn) -> tuple[MrzFormat, dict[str, object]]:
    mrz_format = draw(formats)
    number = draw(numbers)
    if mrz_format is MrzFormat.FR_CNI_1988:
        number = draw(st.text(alphabet="0123456789", min_size=12, max_size=12))
    fields: dict[str, object] = {
        "surname": draw(names),
        "given_names": draw(st.lists(names, min_size=1, max_size=3)),
        "document_number": number,
        "birth_date": draw(dates),
        "sex": draw(st.sampled_from(["F", "M", None])),
        "expiry_date": draw(dates),
    }
    return mrz_format, fields


@given(documents())
def test_generate_then_verify_round_trips(document: tuple[MrzFormat, dict[str, object]]) -> None:
    mrz_format, fields = document
    text = generate(mrz_format, **fields)  # type: ignore[arg-type]
    result = verify(text)
    assert result.ok, result
    assert result.format is mrz_format
    assert result.fields["document_number"] == fields["document_number"]
    assert result.fields["birth_date"] == fields["birth_date"].strftime("%y%m%d")  # type: ignore[attr-defined]
    assert result.fields["surname"] == fields["surname"]
    assert result.fields["sex"] == (fields["sex"] or "<")


def _protected_digit_positions(mrz_format: MrzFormat) -> list[tuple[int, int]]:
    """(line, column) of every character of the number and date fields."""
    if mrz_format is MrzFormat.TD3:
        return [(1, c) for c in [*range(10), *range(13, 20), *range(21, 28), 43]]
    if mrz_format is MrzFormat.TD1:
        return [(0, c) for c in range(5, 15)] + [(1, c) for c in [*range(7), *range(8, 15), 29]]
    return [(1, c) for c in [*range(13), *range(27, 34), 35]]


@given(documents(), st.data())
def test_changing_a_protected_digit_is_detected(
    document: tuple[MrzFormat, dict[str, object]], data: st.DataObject
) -> None:
    mrz_format, fields = document
    lines = [list(line) for line in generate(mrz_format, **fields).splitlines()]  # type: ignore[arg-type]
    candidates = [
        (r, c) for r, c in _protected_digit_positions(mrz_format) if lines[r][c].isdigit()
    ]
    row, col = data.draw(st.sampled_from(candidates))
    original = lines[row][col]
    lines[row][col] = data.draw(st.sampled_from([d for d in "0123456789" if d != original]))
    result = verify("\n".join("".join(line) for line in lines))
    assert not result.ok
    assert result.bad_checks or result.errors


@given(documents(), st.sampled_from(list(CheckField)))
def test_a_wrong_check_digit_is_reported_on_its_field_only(
    document: tuple[MrzFormat, dict[str, object]], wrong: CheckField
) -> None:
    mrz_format, fields = document
    text = generate(mrz_format, **fields, wrong_check_digit=wrong)  # type: ignore[arg-type]
    result = verify(text)
    protected = {c.field for c in result.checks}
    assert result.bad_checks == ((wrong,) if wrong in protected else ())


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", MrzErrorCode.EMPTY),
        ("P<UTO\nL898", MrzErrorCode.UNKNOWN_FORMAT),
        (ICAO_TD3.lower(), MrzErrorCode.INVALID_CHARACTER),
        (ICAO_TD3.replace("7408122", "7413122"), MrzErrorCode.INVALID_DATE),
    ],
)
def test_unreadable_mrz(text: str, code: MrzErrorCode) -> None:
    result = verify(text)
    assert not result.ok
    assert [e.code for e in result.errors] == [code]
    assert mrz_error_message(result.errors[0])


def test_one_line_without_breaks_is_read() -> None:
    assert verify(ICAO_TD3.replace("\n", "")).ok
    assert verify("  " + ICAO_TD1.replace("\n", "\n  ") + "\n").ok


def test_messages() -> None:
    good = verify(ICAO_TD3)
    assert mrz_summary(good) == "Bande MRZ cohérente : toutes les clés de contrôle sont correctes."
    bad = verify(ICAO_TD3[:-1] + "1")
    assert mrz_summary(bad) == "Bande MRZ incohérente : 1 clé de contrôle fausse."
    assert check_message(bad.checks[-1]) == (
        "Clé de contrôle (clé globale) : fausse (lue 1, attendue 0)."
    )


# --------------------------------------------------------------------------- dates


def test_resolve_dates() -> None:
    on = date(2026, 3, 2)
    assert resolve_birth_date("740812", on) == date(1974, 8, 12)
    assert resolve_birth_date("200101", on) == date(2020, 1, 1)
    assert resolve_birth_date("300101", on) == date(1930, 1, 1)
    assert resolve_expiry_date("310430", on) == date(2031, 4, 30)
    assert resolve_expiry_date("120415", on) == date(2012, 4, 15)
    assert resolve_birth_date("<<<<<<", on) is None
