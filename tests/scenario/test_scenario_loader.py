"""The YAML loader: safe composition, positions, YAML 1.1 surprises, all errors at once."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from simsec import i18n
from simsec.actions.fields import PlainScalar
from simsec.scenario.errors import ErrorCode, ScenarioError, ScenarioInvalidError
from simsec.scenario.loader import (
    MAX_BYTES,
    MAX_DEPTH,
    compose,
    load_scenario,
    load_scenario_bytes,
    load_scenario_or_raise,
)
from tests.scenario.conftest import EXAMPLE, edited, example_text, line_of, load_text, only


def yaml_errors(data: bytes) -> list[ScenarioError]:
    """The YAML-level errors (shape errors of these small snippets left aside)."""
    errors = load_scenario_bytes(data, "f.yaml").errors
    return [error for error in errors if not error.code.startswith("schema.")]


def codes(data: bytes) -> list[str]:
    return [error.code for error in yaml_errors(data)]


def test_the_complete_example_is_valid() -> None:
    result = load_scenario(EXAMPLE)
    assert result.errors == []
    assert result.ok
    assert result.scenario is not None
    assert result.scenario.id == "exemple_complet"
    assert len(result.sha256) == 64


def test_the_examples_of_the_format_document_validate() -> None:
    result = load_scenario(EXAMPLE.parent / "exemples_du_format.yaml")
    assert result.errors == []


# ------------------------------------------------------------------------- safety


def test_tags_are_refused_and_never_executed() -> None:
    data = b"a: !!python/object/apply:os.system ['echo pwned']\nb: !custom 1\n"
    errors = yaml_errors(data)
    assert [e.code for e in errors] == [ErrorCode.TAG, ErrorCode.TAG]
    assert (errors[0].line, errors[0].column, errors[0].path) == (1, 4, "a")
    assert (errors[1].line, errors[1].column, errors[1].path) == (2, 4, "b")


def test_anchors_and_aliases_are_refused() -> None:
    assert codes(b"a: &x [1, 2]\nb: *x\n") == [ErrorCode.ANCHOR, ErrorCode.ALIAS]


def test_an_alias_bomb_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    errors = yaml_errors("\n".join(lines).encode())
    assert {e.code for e in errors} == {ErrorCode.ANCHOR, ErrorCode.ALIAS}


def test_duplicate_keys_are_errors_with_both_lines() -> None:
    (error,) = yaml_errors(b"a: 1\nb: 2\na: 3\n")
    assert error.code == ErrorCode.DUPLICATE_KEY
    assert (error.line, error.column) == (3, 1)
    assert "ligne 1" in error.message


def test_a_duplicate_key_inside_the_example_is_positioned(example: str) -> None:
    text = example.replace("  seed: 42\n", "  seed: 42\n  seed: 43\n", 1)
    error = only(load_text(text))
    assert error.code == ErrorCode.DUPLICATE_KEY
    assert error.path == "world.seed"
    assert error.line == line_of(text, "  seed: 43")


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * MAX_BYTES + b"\n")
    error = only(load_scenario(big))
    assert error.code == ErrorCode.TOO_LARGE


def test_deep_nesting_is_refused_without_recursion() -> None:
    data = b"a: " + b"[" * 10_000 + b"]" * 10_000 + b"\n"
    error = only(load_scenario_bytes(data, "f.yaml"))
    assert error.code == ErrorCode.TOO_DEEP
    assert str(MAX_DEPTH) in error.message


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", ErrorCode.EMPTY),
        (b"# nothing\n", ErrorCode.EMPTY),
        (b"a: 1\n---\nb: 2\n", ErrorCode.MULTIPLE_DOCUMENTS),
        (b"a: [1, 2\n", ErrorCode.SYNTAX),
        (b"a:\n\tb: 1\n", ErrorCode.SYNTAX),
        (b"a: \x00\n", ErrorCode.SYNTAX),
        ("é: 1\n".encode() + b"b: \xff\n", ErrorCode.ENCODING),
        (b"? [a]\n: 1\n", ErrorCode.COMPLEX_KEY),
    ],
)
def test_bad_yaml_gives_one_positioned_error(data: bytes, code: ErrorCode) -> None:
    (error,) = yaml_errors(data)
    assert error.code == code
    assert error.line >= 1 and error.column >= 1
    assert error.format().startswith(f"f.yaml:{error.line}:{error.column}: ")


def test_an_encoding_error_names_its_line_and_byte() -> None:
    error = only(load_scenario_bytes("é: 1\n".encode() + b"b: \xff\n", "f.yaml"))
    assert (error.line, error.column) == (2, 4)
    assert "0xff" in error.message


def test_a_syntax_error_is_in_french() -> None:
    error = only(load_scenario_bytes(b"titre: a: b\n", "f.yaml"))
    assert error.code == ErrorCode.SYNTAX
    assert (error.line, error.column) == (1, 9)
    assert "guillemets" in error.message


def test_an_unreadable_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    error = only(load_scenario(tmp_path / "absent.yaml"))
    assert error.code == ErrorCode.UNREADABLE


def test_load_or_raise_gives_every_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: simsec/scenario@1\nid: X\n", encoding="utf-8")
    with pytest.raises(ScenarioInvalidError) as caught:
        load_scenario_or_raise(bad)
    assert len(caught.value.errors) >= 4
    assert load_scenario_or_raise(EXAMPLE).id == "exemple_complet"


# -------------------------------------------------------------- YAML 1.1 surprises


def test_plain_scalars_keep_their_text_and_their_core_value() -> None:
    document, errors = compose(
        "a: no\nb: 08:30\nc: 01000\nd: true\ne: 26.50\nf: ~\ng: 2026-03-02\nh: 'true'\n"
    )
    assert errors == []
    data = document.data
    assert data["a"] == "no" and data["a"].value == "no"
    assert data["b"] == "08:30" and data["b"].value == "08:30"
    assert data["c"] == "01000" and data["c"].value == 1000
    assert data["d"].value is True
    assert data["e"].value == Decimal("26.50")
    assert data["f"] is None
    assert data["g"] == "2026-03-02" and data["g"].value == "2026-03-02"
    assert data["h"] == "true" and not isinstance(data["h"], PlainScalar)


def test_no_yes_on_stay_strings_where_a_string_is_expected(example: str) -> None:
    result = load_text(example.replace("      relationship: no\n", "      relationship: yes\n"))
    assert result.ok
    assert result.scenario is not None
    answers = result.scenario.people[0].answers
    assert answers.relationship == "yes"
    assert answers.used_first_name == "non"
    assert answers.phone == "06 12 34 56 78"
    assert answers.free["horaires"] == "08:30"


def test_yes_is_not_a_boolean() -> None:
    error = only(edited("debrief: true", "debrief: yes"))
    assert error.code == "schema.bool_type"
    assert error.path == "debrief"


def test_a_quoted_number_is_not_an_integer() -> None:
    error = only(edited("difficulty: 3", 'difficulty: "3"'))
    assert error.code == "schema.int_type"


def test_dates_are_parsed_by_the_models_not_by_yaml() -> None:
    error = only(
        edited("birth_date: 1985-04-12\n      sex: F", "birth_date: 1985-02-30\n      sex: F")
    )
    assert error.code == "schema.simsec_date_invalid"
    assert error.path == "fixtures.patients[0].birth_date"
    result = load_text(example_text())
    assert result.scenario is not None
    assert result.scenario.fixtures.patients[0].birth_date.isoformat() == "1985-04-12"


# ------------------------------------------------------------ positions and paths


def test_an_unknown_key_points_at_the_key_with_a_suggestion(example: str) -> None:
    result = edited(
        "        shown: on_request\n        holder: p_dupont",
        "        shwon: on_request\n        holder: p_dupont",
    )
    error = only(result)
    assert error.code == "schema.extra_forbidden"
    assert error.path == "people[0].documents[0].shwon"
    assert error.column == 9
    assert "« shown »" in error.message


def test_a_wrong_document_kind_is_positioned_on_its_value(example: str) -> None:
    text = example.replace("        kind: cni\n", "        kind: cnii\n", 1)
    error = only(load_text(text))
    assert error.path == "people[0].documents[0].kind"
    assert (error.line, error.column) == (line_of(text, "kind: cnii"), 15)
    assert "« cni »" in error.message


def test_an_unknown_action_names_the_do_key_and_suggests() -> None:
    error = only(edited("{at: 10s, do: attend,", "{at: 10s, do: atend,"))
    assert error.path == "solutions[0].actions[0].do"
    assert "« attend »" in error.message


def test_a_missing_key_names_it_at_its_parent() -> None:
    error = only(edited('    label: "Posture adaptée à l\'interlocuteur"\n', ""))
    assert error.code == "schema.missing"
    assert error.path == "rubric[10].label"


def test_a_check_needs_exactly_one_kind() -> None:
    error = only(edited("check: {no_conflicts: true}", "check: {no_conflict: true}"))
    assert error.code == "schema.simsec_check_kind"
    assert error.path == "rubric[6].check"
    assert "no_conflicts" in error.message


def test_all_errors_of_a_file_are_reported_at_once(example: str) -> None:
    text = (
        example.replace("difficulty: 3", "difficulty: 9")
        .replace("guidance: guided", "guidance: strict")
        .replace("  seed: 42", "  sed: 42")
        .replace("mrz: valid", "mrz: ok", 1)
    )
    result = load_text(text)
    assert [e.path for e in result.errors] == [
        "difficulty",
        "guidance",
        "world.sed",
        "people[0].documents[0].mrz",
    ]
    assert [e.line for e in result.errors] == sorted(e.line for e in result.errors)


def test_errors_are_in_english_when_the_language_is_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class English:
        def gettext(self, message: str) -> str:
            return {"Clé inconnue « {key} ».": "Unknown key '{key}'."}.get(message, message)

        def ngettext(self, singular: str, plural: str, n: int) -> str:
            return singular if n == 1 else plural

    token = i18n._translations.set(English())  # type: ignore[arg-type]
    try:
        error = only(edited("  seed: 42", "  sed: 42"))
    finally:
        i18n._translations.reset(token)
    assert error.message.startswith("Unknown key 'sed'.")


def test_yaml_problems_and_shape_errors_come_together(example: str) -> None:
    text = example.replace("  seed: 42\n", "  seed: 42\n  seed: 43\n", 1).replace(
        "difficulty: 3", "difficulty: 9"
    )
    result = load_text(text)
    assert [e.code for e in result.errors] == [
        "schema.less_than_equal",
        ErrorCode.DUPLICATE_KEY,
    ]
