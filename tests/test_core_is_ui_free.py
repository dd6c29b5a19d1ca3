"""The core must not pull Textual in (harlequin's habit: check sys.modules in a subprocess)."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = ["simsec.rules", "simsec.cli"]


@pytest.mark.parametrize("module", CORE)
def test_importing_the_core_does_not_import_textual(module: str) -> None:
    code = (
        f"import importlib, sys; importlib.import_module({module!r}); "
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]; "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{module} imports {done.stdout} {done.stderr}"
