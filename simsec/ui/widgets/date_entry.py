"""Dates and times as a French desk types them, and back (no textual import).

What the forms of the planning modules accept (a convention of simsec, shown in the
placeholders): a day as ``17/02/2026``, ``17/02/26``, ``17/02`` (the current year) or
``2026-02-17``; a moment as a day then a time, ``13/03/2026 09:30``, ``13/03 9h30``,
``13/03 9h`` or ``2026-03-13T09:30``; a time alone (``14h20``) is on the reference day.
Parsing never reads the clock: the reference day is an argument (the scenario date).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Final

__all__ = [
    "day_text",
    "moment_text",
    "parse_day",
    "parse_moment",
    "parse_time",
    "time_text",
]

_DAY_FR: Final = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$")
_DAY_ISO: Final = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME: Final = re.compile(r"^(\d{1,2})(?:[:hH](\d{2})?)?$")


def day_text(value: date) -> str:
    """``17/02/2026``."""
    return value.strftime("%d/%m/%Y")


def time_text(value: time | datetime) -> str:
    """``09:30``."""
    return value.strftime("%H:%M")


def moment_text(value: datetime) -> str:
    """``13/03/2026 09:30``."""
    return f"{day_text(value.date())} {time_text(value)}"


def parse_day(text: str, today: date) -> date | None:
    """A typed day, or None when it is not one (see the module docstring)."""
    text = text.strip()
    iso = _DAY_ISO.match(text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        match = _DAY_FR.match(text)
        if not match:
            return None
        year = today.year if match[3] is None else int(match[3])
        if match[3] is not None and len(match[3]) == 2:
            year += 2000
        return date(year, int(match[2]), int(match[1]))
    except ValueError:
        return None


def parse_time(text: str) -> time | None:
    """``9h30``, ``09:30``, ``9h``, ``14H05``, ``9``; None when it is not a time of day."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    hours, minutes = int(match[1]), int(match[2] or 0)
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        return None
    return time(hours, minutes)


def parse_moment(text: str, today: date) -> datetime | None:
    """A typed day and time; a time alone is on ``today``. None when not a moment."""
    text = text.strip()
    if "T" in text and _DAY_ISO.match(text.split("T", 1)[0]):
        day_part, time_part = text.split("T", 1)
    else:
        parts = text.split()
        if len(parts) == 1:
            at = parse_time(parts[0])
            return datetime.combine(today, at) if at is not None else None
        if len(parts) != 2:
            return None
        day_part, time_part = parts
    day = parse_day(day_part, today)
    at = parse_time(time_part)
    if day is None or at is None:
        return None
    return datetime.combine(day, at)
