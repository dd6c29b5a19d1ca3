from __future__ import annotations

import subprocess
import sys

import pytest

from simsec.cli import main


def test_no_command_prints_french_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "simulateur de secrétariat médical" in out
    assert "Langue des messages" in out


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["n-existe-pas"]) == 2


def test_unknown_lang_is_a_usage_error_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "de"]) == 2
    assert "langue inconnue" in capsys.readouterr().err


def test_console_script_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "simsec.cli", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "simsec" in done.stdout
