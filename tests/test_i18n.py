"""The gettext catalogs and the translated command line.

* every marked message is in both catalogs, translated, with its placeholders, and the
  compiled ``.mo`` files match the ``.po`` files (``tools/catalogs.py check``);
* ``tools/catalogs.py`` itself: deterministic output, kept translations, obsolete
  entries, fuzzy entries counted as missing, stale ``.mo`` detected;
* click's own messages come out in French by default and in English with ``--lang en``;
* money and dates are formatted by Babel for the language;
* no plain user-visible literal is left unmarked in ``click.echo(...)`` and help texts.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from babel.dates import format_date as babel_format_date
from babel.messages.catalog import Message

from simsec import i18n
from simsec.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _load_catalogs_tool() -> ModuleType:
    """``tools/catalogs.py`` is a script, not a package: load it from its path."""
    name = "simsec_tools_catalogs"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / "catalogs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


catalogs = _load_catalogs_tool()


# --------------------------------------------------------------------- the real catalogs


def test_every_marked_message_is_translated_in_both_catalogs_and_compiled() -> None:
    """Fails when a user-visible string is missing from either catalog (or the .mo is stale).

    To fix: ``.venv/bin/python tools/catalogs.py update``, translate the new entries in
    ``simsec/locales/{fr,en}/LC_MESSAGES/messages.po``, then ``compile`` and ``check``.
    """
    problems = catalogs.check(ROOT)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_placeholders_are_identical_between_msgid_and_msgstr(lang: str) -> None:
    catalog = catalogs.load_po(catalogs.po_path(lang, ROOT), lang)
    assert catalog is not None
    problems = [
        problem
        for message in catalog
        if message.id
        for problem in catalogs.placeholder_problems(message)
    ]
    assert problems == [], "\n".join(problems)


def test_placeholder_check_catches_a_renamed_or_dropped_field() -> None:
    renamed = Message("Patient {name} ({age} ans)", "Patient {nom} ({age} years old)")
    dropped = Message(("{n} patient", "{n} patients"), ("{n} patient", "patients"))
    percent = Message("%(prog)s, version %(version)s", "%(prog)s version")
    kept = Message("Taux : {wer} % (au plus {max} %).", "Rate: {wer}% (at most {max}%).")
    assert catalogs.placeholder_problems(renamed)
    assert len(catalogs.placeholder_problems(dropped)) == 1  # only the plural form lost {n}
    assert catalogs.placeholder_problems(percent)
    assert catalogs.placeholder_problems(kept) == []


def test_french_catalog_maps_french_msgids_to_themselves() -> None:
    catalog = catalogs.load_po(catalogs.po_path("fr", ROOT), "fr")
    assert catalog is not None
    for message in catalog:
        if message.id and catalogs.written_in(message) == "fr":
            assert message.string == catalogs._identity(message.id, catalog.num_plurals)
    assert catalog.plural_forms == "nplurals=2; plural=(n > 1);"


def test_compiled_catalogs_translate_click_and_simsec_messages() -> None:
    french = i18n.load_translations("fr")
    english = i18n.load_translations("en")
    assert french.gettext("Usage:") == "Utilisation :"
    assert french.gettext("Show this message and exit.") == "Afficher ce message et quitter."
    assert french.gettext("Error: {message}") == "Erreur : {message}"
    assert french.gettext("No such option {name!r}.") == "Option inconnue {name!r}."
    assert english.gettext("Usage:") == "Usage:"
    assert english.gettext("Interrompu.") == "Interrupted."
    # French plural rule: 0 and 1 take the singular.
    singular, plural = (
        "Got unexpected extra argument ({args})",
        "Got unexpected extra arguments ({args})",
    )
    assert french.ngettext(singular, plural, 0) == french.ngettext(singular, plural, 1)
    assert french.ngettext(singular, plural, 1) != french.ngettext(singular, plural, 2)
    assert english.ngettext(singular, plural, 0) == plural


# ------------------------------------------------------------------ the tool on a sandbox

_MODULE = """
from simsec.i18n import N_, Np_, _, ngettext

# TRANSLATORS: shown at the front desk
GREETING = _("Bonjour {name}")
COUNT = ngettext("{n} patient", "{n} patients", 2)
LABELS = {"key": N_("Au revoir")}
SHOWN = _(LABELS["key"])
"""
_CLICK = 'from simsec.i18n import N_\nMESSAGES = [N_("Usage:")]\n'


def _sandbox(root: Path, module: str = _MODULE) -> None:
    (root / "simsec" / "cli").mkdir(parents=True, exist_ok=True)
    (root / "simsec" / "__init__.py").write_text("", encoding="utf-8")
    (root / "simsec" / "texts.py").write_text(module, encoding="utf-8")
    (root / "simsec" / "cli" / "click_strings.py").write_text(_CLICK, encoding="utf-8")


def _translate(root: Path, lang: str, strings: dict[str, str | tuple[str, str]]) -> None:
    path = catalogs.po_path(lang, root)
    catalog = catalogs.load_po(path, lang)
    for key, text in strings.items():
        catalog[key].string = text
    path.write_bytes(catalogs.render_po(catalog))


def _snapshot(root: Path) -> dict[str, bytes]:
    locales = root / "simsec" / "locales"
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(locales.rglob("*.*"))}


def _complete(root: Path) -> None:
    _sandbox(root)
    assert catalogs.main(["update", "--root", str(root)]) == 0
    _translate(root, "fr", {"Usage:": "Utilisation :"})
    _translate(
        root,
        "en",
        {
            "Bonjour {name}": "Hello {name}",
            "{n} patient": ("{n} patient", "{n} patients"),
            "Au revoir": "Goodbye",
        },
    )
    assert catalogs.main(["compile", "--root", str(root)]) == 0


def test_update_fills_the_source_language_and_reports_the_rest(tmp_path: Path) -> None:
    _sandbox(tmp_path)
    assert catalogs.main(["update", "--root", str(tmp_path)]) == 0
    french = catalogs.load_po(catalogs.po_path("fr", tmp_path), "fr")
    english = catalogs.load_po(catalogs.po_path("en", tmp_path), "en")
    assert french["Bonjour {name}"].string == "Bonjour {name}"
    assert list(french["{n} patient"].string) == ["{n} patient", "{n} patients"]
    assert english["Usage:"].string == "Usage:"
    assert "key" not in french  # a dictionary key inside _(...) is not a message
    assert "shown at the front desk" in french["Bonjour {name}"].auto_comments
    problems = catalogs.check(tmp_path)
    assert "fr: 'Usage:' is not translated" in problems
    assert "en: 'Bonjour {name}' is not translated" in problems
    assert "en: '{n} patient' is not translated" in problems
    assert any("messages.mo is missing" in problem for problem in problems)


def test_update_and_compile_are_deterministic_and_keep_translations(tmp_path: Path) -> None:
    _complete(tmp_path)
    assert catalogs.check(tmp_path) == []
    before = _snapshot(tmp_path)
    assert catalogs.main(["update", "--root", str(tmp_path)]) == 0
    assert catalogs.main(["compile", "--root", str(tmp_path)]) == 0
    assert _snapshot(tmp_path) == before
    pot = catalogs.pot_path(tmp_path).read_text(encoding="utf-8")
    assert "POT-Creation-Date" not in pot and "Generated-By" not in pot
    assert "#: simsec/texts.py\n" in pot  # no line numbers: moving code changes nothing


def test_removed_message_becomes_obsolete_and_comes_back(tmp_path: Path) -> None:
    _complete(tmp_path)
    without = _MODULE.replace('N_("Au revoir")', '"au revoir"')
    _sandbox(tmp_path, without)
    catalogs.main(["update", "--root", str(tmp_path)])
    english = catalogs.po_path("en", tmp_path).read_text(encoding="utf-8")
    assert '#~ msgid "Au revoir"\n#~ msgstr "Goodbye"' in english
    _sandbox(tmp_path, _MODULE)
    catalogs.main(["update", "--root", str(tmp_path)])
    catalogs.main(["compile", "--root", str(tmp_path)])
    restored = catalogs.load_po(catalogs.po_path("en", tmp_path), "en")
    assert restored["Au revoir"].string == "Goodbye"
    assert catalogs.check(tmp_path) == []


def test_fuzzy_entries_count_as_missing_and_stale_mo_is_reported(tmp_path: Path) -> None:
    _complete(tmp_path)
    path = catalogs.po_path("en", tmp_path)
    catalog = catalogs.load_po(path, "en")
    catalog["Bonjour {name}"].flags.add("fuzzy")
    path.write_bytes(catalogs.render_po(catalog))
    problems = catalogs.check(tmp_path)
    assert "en: 'Bonjour {name}' is fuzzy (counts as missing)" in problems
    assert any("en/LC_MESSAGES/messages.mo is stale" in problem for problem in problems)
    catalogs.main(["update", "--root", str(tmp_path)])
    kept = catalogs.load_po(path, "en")
    assert kept["Bonjour {name}"].fuzzy  # update never clears a fuzzy flag by itself


def test_fstring_inside_a_marker_is_reported(tmp_path: Path) -> None:
    _sandbox(tmp_path, _MODULE + 'BAD = _(f"Bonjour {GREETING}")\n')
    problems = catalogs.unextractable_markers(tmp_path)
    assert problems == ["simsec/texts.py:9: f-string inside _(): use .format()"]


def test_check_command_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _sandbox(tmp_path)
    catalogs.main(["update", "--root", str(tmp_path)])
    assert catalogs.main(["check", "--root", str(tmp_path)]) == 1
    assert "'Usage:' is not translated" in capsys.readouterr().out


# ------------------------------------------------------------------------ command line


def test_help_is_french_by_default_with_click_headings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "Utilisation : simsec" in out
    assert "Afficher ce message et quitter." in out
    assert "Commandes:" in out
    assert "Usage:" not in out


def test_help_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "--help"]) == 0
    out = capsys.readouterr().out
    assert "Usage: simsec" in out
    assert "Show this message and exit." in out
    assert "Language of the messages (fr by default, en for English)." in out
    assert "Commands:" in out
    assert "Social security number" in out  # the short help of the nir group
    assert "Utilisation" not in out
    assert "Langue des messages" not in out


def test_command_help_in_english_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIMSEC_LANG", "en")
    assert main(["nir", "check", "--help"]) == 0
    out = capsys.readouterr().out
    assert "Usage: simsec nir check" in out
    assert "Check a NIR or a NIA (spaces allowed)" in out
    assert "Contrôle" not in out


def test_unknown_option_is_a_french_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--pas-une-option"]) == 2
    err = capsys.readouterr().err
    assert "Erreur : Option inconnue '--pas-une-option'." in err
    assert "Essayez « simsec --help » pour afficher l'aide." in err
    assert "Traceback" not in err


def test_unknown_option_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "--not-an-option"]) == 2
    assert "Error: No such option '--not-an-option'." in capsys.readouterr().err


# ---------------------------------------------------------------------------- formatting


def _plain_spaces(text: str) -> str:
    """CLDR puts no-break spaces in French amounts; compare them as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_format_money_in_each_language() -> None:
    assert _plain_spaces(i18n.format_money(Decimal("19.00"), "fr")) == "19,00 €"
    assert i18n.format_money(Decimal("19.00"), "en") == "€19.00"
    assert _plain_spaces(i18n.format_money(Decimal("1234.5"), "fr")) == "1 234,50 €"
    i18n.activate("en")
    assert i18n.format_money(Decimal("19.00")) == "€19.00"


def test_format_date_as_babel_does() -> None:
    day = date(2026, 3, 2)
    assert i18n.format_date(day, lang="fr") == babel_format_date(day, "medium", locale="fr_FR")
    assert i18n.format_date(day, lang="fr") == "2 mars 2026"
    assert i18n.format_date(day, "short", lang="fr") == "02/03/2026"
    assert i18n.format_date(day, lang="en") == babel_format_date(day, "medium", locale="en_GB")
    assert i18n.format_date(day, "short", lang="en") == "02/03/2026"


# --------------------------------------------------------------- unmarked strings in CLI

#: Calls whose first argument is shown to the user.
_OUTPUT_CALLS = {"echo", "secho", "fail"}
#: Keyword arguments of click decorators that are shown in the help.
_HELP_KEYWORDS = {"help", "short_help", "epilog", "prompt", "confirmation_prompt"}
#: Literal texts that need no translation, by file name.
_ALLOWED: dict[str, set[str]] = {"click_strings.py": set()}
_LETTER = re.compile(r"[^\W\d_]")


def _literal_text(node: ast.expr) -> str | None:
    """The letters-bearing literal part of ``node``: a string, or an f-string's text."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    return None


def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def unmarked_cli_strings(paths: list[Path]) -> list[str]:
    """``click.echo("texte")``, ``fail(f"texte {x}")``, ``help="texte"``: not translated."""
    found: list[str] = []
    for path in paths:
        allowed = _ALLOWED.get(path.name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            shown: list[ast.expr] = []
            if _call_name(node) in _OUTPUT_CALLS and node.args:
                shown.append(node.args[0])
            shown += [kw.value for kw in node.keywords if kw.arg in _HELP_KEYWORDS]
            for value in shown:
                text = _literal_text(value)
                if text is not None and _LETTER.search(text) and text not in allowed:
                    found.append(f"{path.name}:{node.lineno}: {text!r}")
    return found


def test_cli_modules_leave_no_user_visible_literal_unmarked() -> None:
    paths = sorted((ROOT / "simsec" / "cli").glob("*.py"))
    assert paths
    found = unmarked_cli_strings(paths)
    assert found == [], "wrap these in _() (French source text):\n" + "\n".join(found)


def test_unmarked_string_heuristic_catches_literals(tmp_path: Path) -> None:
    module = tmp_path / "sample.py"
    module.write_text(
        "import click\n"
        "from simsec.i18n import _\n"
        "click.echo('Bonjour')\n"
        "click.echo(f'Total : {n}')\n"
        "click.echo(_('Bonjour'))\n"
        "click.echo(f'{a}  {b}')\n"
        "click.echo('')\n"
        "click.option('--x', help='Aide non traduite')\n",
        encoding="utf-8",
    )
    assert unmarked_cli_strings([module]) == [
        "sample.py:3: 'Bonjour'",
        "sample.py:4: 'Total : '",
        "sample.py:8: 'Aide non traduite'",
    ]
