"""Maintain simsec's gettext catalogs: extract, update, compile, check.

Usage (from the repository root)::

    .venv/bin/python tools/catalogs.py extract   # write simsec/locales/messages.pot
    .venv/bin/python tools/catalogs.py update    # extract, then merge into fr and en .po
    .venv/bin/python tools/catalogs.py compile   # write the .mo next to each .po
    .venv/bin/python tools/catalogs.py check     # exit 1 on anything missing or stale

Conventions (see ``simsec/i18n.py``):

* The French source text is the msgid. It is marked with ``_()``, ``N_()``,
  ``ngettext(singular, plural, n)`` or ``Np_(singular, plural)``; a comment starting with
  ``TRANSLATORS:`` just above the call is copied into the catalogs.
* Click's own messages are English; they are listed in ``simsec/cli/click_strings.py``.
* In each catalog, the entries written in that catalog's language are filled automatically
  with msgstr = msgid (French text in ``fr``, click's text in ``en``). A translator fills
  the others: the English text of every French msgid, the French text of click's messages.
* Existing translations are kept; translated entries that left the code are kept as
  obsolete (``#~``) and come back if the msgid returns. Nothing is fuzzy-matched: an entry
  marked ``fuzzy`` (by hand, or because a msgid changed between singular and plural) is
  reported as missing and is not compiled.
* Output is deterministic: entries sorted by msgid, locations without line numbers, no
  creation or revision dates, no tool version; a file is rewritten only when it changes.

The ``check`` command extracts the messages afresh from the code (it writes nothing) and
reports every msgid missing, untranslated or fuzzy in either catalog, placeholders that
differ between msgid and msgstr, markers that cannot be extracted (an f-string inside
``_()``), an out-of-date template, and a ``.mo`` that does not match its ``.po``.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE_PACKAGE = "simsec"
LOCALES = Path(SOURCE_PACKAGE) / "locales"
DOMAIN = "messages"
LANGS = ("fr", "en")
#: The language of the msgids written in simsec's own code.
SOURCE_LANG = "fr"
#: Click's English messages, listed so that the catalogs translate them into French.
CLICK_STRINGS = "simsec/cli/click_strings.py"
CLICK_LANG = "en"

#: Babel keyword specs: ``None`` is "the first argument is the msgid".
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "Np_": (1, 2),
}
COMMENT_TAGS = ("TRANSLATORS:",)
PROJECT = "simsec"
WIDTH = 76
#: Stamped in the header of the .mo files instead of the time of compilation.
MO_CREATION_DATE = datetime(2000, 1, 1, tzinfo=UTC)

HEADER_COMMENTS: dict[str | None, str] = {
    None: "# Template of simsec's messages (French source text, and click's English messages).",
    "fr": "# French catalog of simsec: French msgids map to themselves; click's messages are "
    "translated.",
    "en": "# English catalog of simsec: every French msgid is translated; click's messages map "
    "to themselves.",
}
HEADER_FOOTER = "\n# Maintained with tools/catalogs.py (update, then translate, compile, check).\n#"

#: Header lines that would change on every run or with the tool's version, or that
#: Babel fills with placeholders (``VERSION``, ``EMAIL@ADDRESS``).
_VOLATILE_HEADER = re.compile(
    rb'^"(?:POT-Creation-Date|PO-Revision-Date|Generated-By|Report-Msgid-Bugs-To): [^"]*"\n',
    re.MULTILINE,
)
_PROJECT_HEADER = re.compile(rb'^"Project-Id-Version: [^"]*"\n', re.MULTILINE)

#: ``{name}``, ``{name!r}``, ``{0:>3}``; ``{{`` and ``}}`` are literal braces.
_BRACE_FIELD = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
#: ``%s``, ``%d``, ``%(prog)s``, ``%%`` (printf style without flags, as used in the code);
#: the French "70 %" (a space after the sign) is not a field.
_PERCENT_FIELD = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[sdirf%]")

#: Babel's shapes: a msgid is a string, or (singular, plural); a msgstr is a string, or
#: one string per plural form (a tuple, or a list when read back from a file).
MessageId = str | tuple[str, ...] | list[str]
MessageString = str | tuple[str, ...] | list[str] | None


# --------------------------------------------------------------------------- paths


def pot_path(root: Path = ROOT) -> Path:
    return root / LOCALES / f"{DOMAIN}.pot"


def po_path(lang: str, root: Path = ROOT) -> Path:
    return root / LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str, root: Path = ROOT) -> Path:
    return po_path(lang, root).with_suffix(".mo")


def source_files(root: Path = ROOT) -> list[Path]:
    """Every Python file of the package, in a stable order."""
    return sorted(
        path for path in (root / SOURCE_PACKAGE).rglob("*.py") if "__pycache__" not in path.parts
    )


# --------------------------------------------------------------------------- extraction


def extract(root: Path = ROOT) -> Catalog:
    """The template: every marked message of the package, with its files and comments.

    Babel reads the tokens (to keep the ``TRANSLATORS:`` comments); a message is kept only
    if the syntax tree shows it as the literal argument of a marker, because Babel also
    picks up string keys inside ``_(TABLE["key"])``, which are not messages.
    """
    template = new_catalog(None)
    for path in source_files(root):
        filename = path.relative_to(root).as_posix()
        literals = literal_msgids(path)
        for lineno, msgid, comments, context in extract_from_file(
            "python",
            path,
            keywords=KEYWORDS,
            comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
        ):
            if msgid not in literals:
                continue
            template.add(
                msgid,
                locations=[(filename, lineno)],
                auto_comments=comments,
                context=context,
            )
    return template


def _marker_calls(tree: ast.AST) -> Iterator[tuple[ast.Call, str]]:
    """Every call ``_(...)``, ``N_(...)``, ``ngettext(...)``, ``Np_(...)`` and its name."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in KEYWORDS
        ):
            yield node, node.func.id


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def literal_msgids(path: Path) -> set[str | tuple[str, ...]]:
    """The msgids written as string literals in the marker calls of ``path``."""
    found: set[str | tuple[str, ...]] = set()
    for call, name in _marker_calls(ast.parse(path.read_text(encoding="utf-8"))):
        spec = KEYWORDS[name]
        texts = [_literal(arg) for arg in call.args[: len(spec) if spec else 1]]
        literals = [text for text in texts if text is not None]
        if not literals or len(literals) != len(texts):
            continue
        found.add(literals[0] if len(literals) == 1 else tuple(literals))
    return found


def unextractable_markers(root: Path = ROOT) -> list[str]:
    """Calls of a marker whose text is an f-string: the msgid would change at run time.

    Babel skips them silently, so the message would never be translated. Pass the values
    with ``.format()`` instead: ``_("Patient {name}").format(name=...)``.
    """
    problems: list[str] = []
    for path in source_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for call, name in _marker_calls(tree):
            if any(isinstance(arg, ast.JoinedStr) for arg in call.args[:2]):
                where = f"{path.relative_to(root).as_posix()}:{call.lineno}"
                problems.append(f"{where}: f-string inside {name}(): use .format()")
    return problems


def written_in(message: Message) -> str:
    """The language a msgid is written in: click's messages are English, ours French."""
    if any(filename == CLICK_STRINGS for filename, _lineno in message.locations):
        return CLICK_LANG
    return SOURCE_LANG


# --------------------------------------------------------------------------- catalogs


def new_catalog(lang: str | None) -> Catalog:
    """An empty catalog with simsec's fixed header (``None``: the template)."""
    catalog = Catalog(
        locale=lang,
        domain=DOMAIN,
        project=PROJECT,
        version="",
        copyright_holder="simsec contributors",
        msgid_bugs_address="",
        last_translator="simsec contributors",
        language_team="simsec",
        fuzzy=lang is None,
    )
    catalog.header_comment = HEADER_COMMENTS[lang] + HEADER_FOOTER
    return catalog


def _key(msgid: MessageId) -> str:
    """The singular msgid: Babel's key of an entry (simsec uses no msgctxt)."""
    return msgid if isinstance(msgid, str) else msgid[0]


def _shape(value: MessageString) -> str | tuple[str, ...] | None:
    """Plural forms as a tuple, whether Babel holds them in a tuple or a list."""
    return value if value is None or isinstance(value, str) else tuple(value)


def _empty_string(msgid: MessageId, num_plurals: int) -> str | tuple[str, ...]:
    return "" if isinstance(msgid, str) else ("",) * num_plurals


def _identity(msgid: MessageId, num_plurals: int) -> str | tuple[str, ...]:
    """msgstr = msgid: the singular form first, the plural form for every other form."""
    if isinstance(msgid, str):
        return msgid
    return (msgid[0],) + (msgid[1],) * (num_plurals - 1)


def _reshape(string: MessageString, msgid: MessageId, num_plurals: int) -> str | tuple[str, ...]:
    """An old msgstr fitted to a msgid that changed between singular and plural."""
    first = string if string is None or isinstance(string, str) else (string or [""])[0]
    if isinstance(msgid, str):
        return first or ""
    return (first or "",) + ("",) * (num_plurals - 1)


def _is_translated(string: MessageString) -> bool:
    if string is None or isinstance(string, str):
        return bool(string)
    return bool(string) and all(string)


def _file_locations(locations: Iterable[tuple[str, int | None]]) -> list[tuple[str, int]]:
    """One location per file (its first line), sorted; line numbers are not written."""
    first: dict[str, int] = {}
    for filename, lineno in locations:
        line = lineno or 0
        first[filename] = min(first.get(filename, line), line)
    return sorted(first.items())


def merge(template: Catalog, previous: Catalog | None, lang: str) -> Catalog:
    """The catalog of ``lang`` for ``template``, keeping the translations of ``previous``.

    A translation is kept only for the very same msgid (and plural msgid). When a msgid
    changes between singular and plural, the old text is kept but marked fuzzy, which
    :func:`catalog_problems` reports as missing. Translated entries no longer in the code
    become obsolete (untranslated ones, and msgstr = msgid, are dropped); an obsolete entry
    whose msgid is back in the code is restored.
    """
    catalog = new_catalog(lang)
    known: dict[str, Message] = {}
    if previous is not None:
        known.update((_key(message.id), message) for message in previous.obsolete.values())
        known.update((_key(message.id), message) for message in previous if message.id)
    for entry in template:
        if not entry.id:
            continue
        old = known.pop(_key(entry.id), None)
        string: MessageString = _empty_string(entry.id, catalog.num_plurals)
        flags: set[str] = set()
        user_comments: list[str] = []
        if old is not None:
            user_comments = list(old.user_comments)
            if _shape(old.id) == _shape(entry.id):
                string = old.string
                flags = {"fuzzy"} & set(old.flags)
            else:
                string = _reshape(old.string, entry.id, catalog.num_plurals)
                flags = {"fuzzy"}
        if written_in(entry) == lang:
            string, flags = _identity(entry.id, catalog.num_plurals), set()
        catalog.add(
            entry.id,
            string,
            locations=_file_locations(entry.locations),
            flags=flags,
            auto_comments=entry.auto_comments,
            user_comments=user_comments,
            context=entry.context,
        )
    for key in sorted(known):
        stale = known[key]
        identity = _identity(stale.id, catalog.num_plurals)
        if _is_translated(stale.string) and _shape(stale.string) != identity:
            catalog.obsolete[key] = stale
    return catalog


def render_po(catalog: Catalog) -> bytes:
    """The .po (or .pot) text: sorted, without line numbers, dates or tool version."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, sort_output=True, include_lineno=False)
    text = _VOLATILE_HEADER.sub(b"", buffer.getvalue())
    project = f'"Project-Id-Version: {PROJECT}\\n"\n'.encode()
    return _PROJECT_HEADER.sub(lambda _match: project, text, count=1)


def render_mo(catalog: Catalog) -> bytes:
    """The compiled catalog; fuzzy and untranslated entries are left out.

    The .po has no creation date, so Babel would stamp the current time in the .mo's
    header: a fixed date keeps the compiled file identical from one run to the next.
    """
    catalog.creation_date = MO_CREATION_DATE
    catalog.project, catalog.version = PROJECT, ""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def load_po(path: Path, lang: str | None) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write ``content`` unless the file already holds it; True when written."""
    if path.exists() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


# --------------------------------------------------------------------------- checks


def placeholders(text: str) -> list[str]:
    """The format fields of ``text`` (``{name!r}``, ``%(prog)s``, ``%s``), sorted."""
    return sorted([*_BRACE_FIELD.findall(text), *_PERCENT_FIELD.findall(text)])


def placeholder_problems(message: Message) -> list[str]:
    """Forms of the msgstr whose fields differ from the msgid's (empty forms are skipped).

    With plural forms, form 0 is compared with the singular msgid and every other form
    with the plural msgid.
    """
    string = message.string
    pairs: list[tuple[str, str]] = []
    if isinstance(message.id, str):
        pairs = [(message.id, string)] if isinstance(string, str) else []
    elif string is not None:
        forms = [string] if isinstance(string, str) else list(string)
        pairs = [
            (message.id[0] if index == 0 else message.id[1], form)
            for index, form in enumerate(forms)
        ]
    return [
        f"{source!r}: msgstr {form!r} has {placeholders(form)}, msgid has {placeholders(source)}"
        for source, form in pairs
        if form and placeholders(form) != placeholders(source)
    ]


def catalog_problems(template: Catalog, catalog: Catalog | None, lang: str) -> list[str]:
    """Every msgid of ``template`` that ``catalog`` lacks, leaves empty or marks fuzzy."""
    if catalog is None:
        return [f"{lang}: catalog {po_path(lang, Path())} is missing (run update)"]
    problems: list[str] = []
    for entry in template:
        if not entry.id:
            continue
        message = catalog.get(_key(entry.id), entry.context)
        label = f"{lang}: {_key(entry.id)!r}"
        if message is None:
            problems.append(f"{label} is missing")
        elif _shape(message.id) != _shape(entry.id):
            problems.append(f"{label} has another plural form in the catalog")
        elif message.fuzzy:
            problems.append(f"{label} is fuzzy (counts as missing)")
        elif not _is_translated(message.string):
            problems.append(f"{label} is not translated")
        else:
            problems.extend(f"{lang}: {issue}" for issue in placeholder_problems(message))
    return problems


def _compiled_entries(
    catalog: Catalog,
) -> dict[tuple[str, str | None], str | tuple[str, ...] | None]:
    """What a .mo holds for each entry (the header aside)."""
    return {
        (_key(message.id), message.context): _shape(message.string)
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }


def mo_problems(catalog: Catalog | None, lang: str, root: Path = ROOT) -> list[str]:
    """A missing .mo, or one whose entries or plural rule differ from the .po."""
    path = mo_path(lang, root)
    if catalog is None:
        return []
    if not path.exists():
        return [f"{lang}: {path.relative_to(root)} is missing (run compile)"]
    with path.open("rb") as handle:
        compiled = read_mo(handle)
    if (
        _compiled_entries(compiled) != _compiled_entries(catalog)
        or compiled.plural_forms != catalog.plural_forms
    ):
        return [f"{lang}: {path.relative_to(root)} is stale (run compile)"]
    return []


def template_problems(template: Catalog, root: Path = ROOT) -> list[str]:
    """A missing template, or one whose msgids differ from the code's."""
    written = load_po(pot_path(root), None)
    if written is None:
        return [f"{pot_path(root).relative_to(root)} is missing (run update)"]
    expected = {_shape(message.id) for message in template if message.id}
    actual = {_shape(message.id) for message in written if message.id}
    if expected != actual:
        return [f"{pot_path(root).relative_to(root)} is out of date (run update)"]
    return []


def check(root: Path = ROOT) -> list[str]:
    """Every problem of the catalogs; an empty list when they are complete and compiled."""
    template = extract(root)
    problems = unextractable_markers(root) + template_problems(template, root)
    for lang in LANGS:
        catalog = load_po(po_path(lang, root), lang)
        problems += catalog_problems(template, catalog, lang)
        problems += mo_problems(catalog, lang, root)
    return problems


# --------------------------------------------------------------------------- commands


def command_extract(root: Path) -> Catalog:
    template = extract(root)
    changed = write_if_changed(pot_path(root), render_po(template))
    count = sum(1 for message in template if message.id)
    _report(pot_path(root), root, changed, f"{count} messages")
    return template


def command_update(root: Path) -> None:
    template = command_extract(root)
    for lang in LANGS:
        path = po_path(lang, root)
        catalog = merge(template, load_po(path, lang), lang)
        missing = len(catalog_problems(template, catalog, lang))
        changed = write_if_changed(path, render_po(catalog))
        _report(path, root, changed, f"{missing} to translate, {len(catalog.obsolete)} obsolete")


def command_compile(root: Path) -> None:
    for lang in LANGS:
        catalog = load_po(po_path(lang, root), lang)
        if catalog is None:
            print(f"{po_path(lang, root).relative_to(root)}: missing (run update)")
            continue
        changed = write_if_changed(mo_path(lang, root), render_mo(catalog))
        _report(mo_path(lang, root), root, changed, "compiled")


def command_check(root: Path) -> int:
    problems = check(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in the catalogs")
        return 1
    print("catalogs complete and compiled")
    return 0


def _report(path: Path, root: Path, changed: bool, detail: str) -> None:
    state = "written" if changed else "unchanged"
    print(f"{path.relative_to(root)}: {state} ({detail})")


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Maintain simsec's gettext catalogs.")
    parser.add_argument("command", choices=("extract", "update", "compile", "check"))
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    root: Path = args.root.resolve()
    if args.command == "extract":
        command_extract(root)
    elif args.command == "update":
        command_update(root)
    elif args.command == "compile":
        command_compile(root)
    else:
        return command_check(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
