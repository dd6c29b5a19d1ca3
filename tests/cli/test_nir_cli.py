"""``simsec nir check`` / ``simsec nir make``: exit codes and French messages."""

from __future__ import annotations

from datetime import date

import click
import pytest
from click.testing import CliRunner, Result

import simsec.cli
from simsec.cli import nir as nir_cli
from simsec.rules.nir import (
    MakeNirError,
    MakeNirErrorCode,
    NirIssue,
    NirIssueCode,
    make_nir,
    parse_nir,
)
from simsec.rules.rpps import RppsIssueCode, check_rpps
from simsec.texts import nir as texts


def run(*args: str) -> Result:
    group = click.Group(name="simsec")
    nir_cli.register(group)
    return CliRunner().invoke(group, ["nir", *args])


# ---------------------------------------------------------------------- check


def test_check_valid_number_exits_0() -> None:
    result = run("check", "2 72 09 69 123 045 36")
    assert result.exit_code == 0, result.output
    assert result.stdout == "NIR valide : 2 72 09 69 123 045 36\n"


def test_check_accepts_an_unquoted_spaced_number() -> None:
    result = run("check", "2", "72", "09", "69", "123", "045", "36")
    assert result.exit_code == 0, result.output


def test_check_wrong_key_exits_1_with_the_reason_in_french() -> None:
    result = run("check", "272096912304599")
    assert result.exit_code == 1
    assert "NIR invalide" in result.stdout
    assert "Clé de contrôle incorrecte : attendue 36, lue 99" in result.stdout


def test_check_coherent_traits_exit_0() -> None:
    result = run(
        "check",
        "201052A00412348",
        "--sex",
        "F",
        "--birth-date",
        "20/05/2001",
        "--birth-place",
        "2a004",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("NIR valide : 2 01 05 2A 004 123 48")


def test_check_incoherent_traits_exit_1_naming_each_discrepancy() -> None:
    result = run(
        "check",
        "272096912304536",
        "--sex",
        "M",
        "--birth-date",
        "1973-10-01",
        "--birth-place",
        "75056",
    )
    assert result.exit_code == 1
    out = result.stdout
    assert "incohérent avec l'identité" in out
    assert "Sexe incohérent : le NIR indique femme, l'identité indique homme." in out
    assert "Année de naissance incohérente" in out
    assert "Mois de naissance incohérent" in out
    assert "Lieu de naissance incohérent : le NIR indique « 69123 »" in out


def test_check_warnings_are_printed_but_exit_0() -> None:
    number = make_nir("F", date(1990, 2, 1), "99134", temporary=True)
    result = run("check", number, "--sex", "I")
    assert result.exit_code == 0, result.output
    assert (
        "Avertissement : Premier chiffre « 8 » : numéro temporaire (non vérifié)." in result.stdout
    )
    assert "Avertissement : Sexe indéterminé" in result.stdout


def test_check_algeria_before_independence() -> None:
    number = make_nir("M", date(1950, 6, 1), "99352", nir_place="92123")
    ok = run("check", number, "--birth-date", "1950-06-01", "--birth-place", "99352")
    assert ok.exit_code == 0, ok.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--birth-date", "1985-02-30"), "date de naissance invalide « 1985-02-30 »"),
        (("--birth-date", "hier"), "date de naissance invalide « hier »"),
        (("--sex", "X"), "sexe inconnu « X »"),
        (("--birth-place", "Paris"), "lieu de naissance invalide « Paris »"),
    ],
)
def test_check_bad_arguments_exit_2_in_french(args: tuple[str, ...], message: str) -> None:
    result = run("check", "272096912304536", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_check_without_a_number_is_a_usage_error() -> None:
    assert run("check").exit_code == 2


# ----------------------------------------------------------------------- make


def test_make_prints_a_valid_coherent_number() -> None:
    result = run("make", "--sex", "F", "--birth-date", "1985-04-12", "--birth-place", "75056")
    assert result.exit_code == 0, result.output
    number = result.stdout.strip()
    assert number == make_nir("F", date(1985, 4, 12), "75056")
    assert parse_nir(number).valid
    assert run("check", number, "--sex", "F", "--birth-date", "1985-04-12").exit_code == 0


def test_make_with_order_temporary_and_nir_place() -> None:
    result = run(
        "make",
        "--sex",
        "M",
        "--birth-date",
        "1955-01-31",
        "--birth-place",
        "99352",
        "--order",
        "42",
        "--temporary",
        "--nir-place",
        "91123",
    )
    assert result.exit_code == 0, result.output
    number = result.stdout.strip()
    assert number[:13] == "7550191123042"
    assert parse_nir(number).key_valid


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--sex", "F", "--birth-date", "1985-02-30"), "date de naissance invalide"),
        (("--sex", "X", "--birth-date", "1985-02-03"), "sexe inconnu « X »"),
        (("--sex", "I", "--birth-date", "1985-02-03"), "sexe inconnu « I »"),
        (("--sex", "F", "--birth-date", "1985-02-03", "--order", "0"), "numéro d'ordre invalide"),
        (("--sex", "F", "--birth-date", "1985-02-03", "--order", "x"), "numéro d'ordre invalide"),
        (
            ("--sex", "F", "--birth-date", "1985-02-03", "--nir-place", "92123"),
            "Le code de lieu « 92123 » ne convient pas",
        ),
    ],
)
def test_make_bad_arguments_exit_2_in_french(args: tuple[str, ...], message: str) -> None:
    result = run("make", "--birth-place", "75056", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_make_incoherent_place_names_the_reason() -> None:
    result = run("make", "--sex", "M", "--birth-date", "1990-01-01", "--birth-place", "20004")
    assert result.exit_code == 2
    assert "Code « 20 » impossible pour une naissance depuis le 1er janvier 1976" in result.stderr


def test_help_is_in_french() -> None:
    result = run("make", "--help")
    assert result.exit_code == 0
    assert "Génère un NIR valide" in result.stdout


def test_wired_through_the_main_entry_point(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(simsec.cli, "COMMAND_MODULES", (nir_cli,))
    assert simsec.cli.main(["nir", "check", "180017505600103"]) == 0
    assert "NIR valide : 1 80 01 75 056 001 03" in capsys.readouterr().out
    assert simsec.cli.main(["nir", "make", "--sex", "F"]) == 2


# ---------------------------------------------------------------------- texts


def _sample_params(code: str) -> dict[str, str]:
    return {
        "length": "14",
        "character": "X",
        "position": "3",
        "digit": "3",
        "month": "13",
        "department": "91",
        "country": "99352",
        "commune": "000",
        "order": "000",
        "expected": "36",
        "found": "99",
        "nir_sex": "F",
        "sex": "M",
        "nir_year": "72",
        "birth_year": "1973",
        "nir_month": "09",
        "birth_month": "10",
        "nir_place": "69123",
        "birth_place": "75056",
        "independence": "1962-07-03",
        "place_code": "92123",
        "birth_date": "1985-02-03",
    }


@pytest.mark.parametrize("code", list(NirIssueCode))
def test_every_nir_code_has_a_french_message(code: NirIssueCode) -> None:
    message = texts.nir_issue_message(NirIssue(code, _sample_params(code)))
    assert message
    assert "{" not in message


def test_messages_render_sex_dates_and_countries_in_french() -> None:
    issue = NirIssue(
        NirIssueCode.FORMER_TERRITORY_AFTER_INDEPENDENCE,
        {"department": "91", "country": "99352", "independence": "1962-07-03"},
    )
    assert texts.nir_issue_message(issue) == (
        "Code « 91 » (Algérie) réservé aux naissances avant le 3 juillet 1962 ; "
        "ensuite, le lieu s'écrit 99 suivi du code pays."
    )
    key = NirIssue(NirIssueCode.KEY, {"expected": "36", "found": "99"})
    assert texts.issue_line(key) == "Erreur : Clé de contrôle incorrecte : attendue 36, lue 99."
    fictitious = NirIssue(NirIssueCode.FICTITIOUS_MONTH, {"month": "20"})
    assert texts.issue_line(fictitious).startswith("Avertissement : Mois fictif « 20 »")


@pytest.mark.parametrize("code", list(MakeNirErrorCode))
def test_every_make_error_has_a_french_message(code: MakeNirErrorCode) -> None:
    message = texts.make_nir_error_message(MakeNirError(code, _sample_params(code)))
    assert message
    assert "{" not in message


def test_rpps_messages() -> None:
    check = check_rpps("10003456789")
    assert texts.rpps_issue_message(check.issues[0]) == (
        "Numéro RPPS : clé de Luhn incorrecte, attendue 6, lue 9."
    )
    for code in RppsIssueCode:
        assert "{" not in texts.rpps_issue_message(
            type(check.issues[0])(code, {"length": "10", "expected": "6", "found": "9"})
        )


def test_main_returns_the_exit_codes() -> None:
    assert simsec.cli.main(["nir", "check", "180017505600199"]) == 1
    assert simsec.cli.main(["nir", "check", "180017505600103"]) == 0
    assert (
        simsec.cli.main(
            ["nir", "make", "--sex", "F", "--birth-date", "pas-une-date", "--birth-place", "75056"]
        )
        == 2
    )
