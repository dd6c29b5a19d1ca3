"""Translations and locale-aware formatting.

Messages are written in French in the source (French is the default language of
simsec) and marked with ``_()``. The gettext catalogs in ``simsec/locales`` are
compiled with Babel (``make locales``); the English catalog translates every message.

Nothing is activated at import time: the CLI, the app factory or a test calls
:func:`activate` with the language it resolved.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime
from babel.numbers import format_currency as _babel_format_currency
from babel.numbers import format_decimal as _babel_format_decimal

LOCALE_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
SUPPORTED = ("fr", "en")
DEFAULT_LANG = "fr"
BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB"}

_translations: ContextVar[_gettext.NullTranslations | None] = ContextVar(
    "simsec_translations", default=None
)
_lang: ContextVar[str] = ContextVar("simsec_lang", default=DEFAULT_LANG)


def load_translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog for ``lang`` (French source text when it is missing)."""
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def normalise_lang(value: str | None) -> str | None:
    """``en``, ``en_GB.UTF-8``, ``en-GB``, ``fr-FR`` ... to ``en`` or ``fr``; None if unknown."""
    if not value:
        return None
    head = value.replace("-", "_").split("_")[0].split(".")[0].lower()
    return head if head in SUPPORTED else None


def resolve_lang(explicit: str | None, environ: Mapping[str, str]) -> str:
    """The language to use: ``--lang``, then ``SIMSEC_LANG``, then the locale, then French."""
    for candidate in (
        explicit,
        environ.get("SIMSEC_LANG"),
        environ.get("LANGUAGE", "").split(":")[0],
        environ.get("LC_ALL"),
        environ.get("LC_MESSAGES"),
        environ.get("LANG"),
    ):
        lang = normalise_lang(candidate)
        if lang:
            return lang
    return DEFAULT_LANG


def activate(lang: str) -> None:
    """Make ``lang`` the current language of this context (thread or task)."""
    lang = normalise_lang(lang) or DEFAULT_LANG
    _lang.set(lang)
    _translations.set(load_translations(lang))


def activate_for_process(lang: str) -> None:
    """Activate ``lang`` and route the stdlib gettext (used by click) to simsec's catalog.

    Called once by the CLI entry point, never at import time.
    """
    activate(lang)
    os.environ["LANGUAGE"] = lang
    _gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    _gettext.textdomain(DOMAIN)


def current_lang() -> str:
    return _lang.get()


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    translations = _translations.get()
    return translations.gettext(message) if translations else message


def ngettext(singular: str, plural: str, n: int) -> str:
    translations = _translations.get()
    if translations:
        return translations.ngettext(singular, plural, n)
    return singular if n == 1 else plural


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction without translating it now."""
    return message


def Np_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - gettext convention
    """Mark a singular/plural pair for extraction (``ngettext`` entries of the catalog)."""
    return singular, plural


def babel_locale(lang: str | None = None) -> str:
    return BABEL_LOCALES[lang or current_lang()]


def format_date(value: date, fmt: str = "medium", lang: str | None = None) -> str:
    return _babel_format_date(value, format=fmt, locale=babel_locale(lang))


def format_datetime(value: datetime, fmt: str = "medium", lang: str | None = None) -> str:
    return _babel_format_datetime(value, format=fmt, locale=babel_locale(lang))


def format_money(amount: Decimal, lang: str | None = None) -> str:
    return _babel_format_currency(amount, "EUR", locale=babel_locale(lang))


def format_number(value: Decimal | int | float, lang: str | None = None) -> str:
    return _babel_format_decimal(value, locale=babel_locale(lang))


def upper_first(text: str) -> str:
    """``text`` with its first letter in capitals and the rest untouched (unlike
    ``str.capitalize``, which would write « Attestation de pacs » and « de l'état »)."""
    return text[:1].upper() + text[1:]
