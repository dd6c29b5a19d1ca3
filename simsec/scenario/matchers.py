"""Action matchers and value operators of the scenario format.

SCENARIO_FORMAT.md § rubric, "Action matcher": ``{do: NAME, with: {field: VALUE...},
ok: true}``; ``with`` is a subset match on the action's fields after keys are resolved;
a VALUE may be a literal, a key, ``{contains: TEXT}``, ``{in: [...]}``,
``{between: [A, B]}``; ``ok: true`` (default) matches only accepted actions, ``ok:
false`` only refused ones, ``ok: any`` both. The same value semantics serve the
``where`` and ``has`` of ``state`` checks.

How a literal compares with a value (what the run log or the database holds):

- a key bound by ``as`` stands for the key it was given (``nouveau`` → ``patient#2041``);
- text is compared without case, accents or repeated spaces (``Dupont`` = ``DUPONT``);
- numbers as decimals (``26.5`` = ``"26.50"``), booleans as booleans;
- dates and date-times by value (``2026-03-02T09:00`` = ``2026-03-02T09:00:00``); a date
  matches a date-time of that day; an offset (``10m``) is a scenario time;
- ``present`` / ``absent``: the field has a value, or has none (``ins: present``);
- a literal against a list: the list contains it (``attributes: douteuse``); a list
  against a list: the same items in any order; a mapping against a mapping: subset.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from simsec.actions.fields import parse_duration, parse_local_datetime
from simsec.scenario.model import ActionMatcher, Between, Contains, InValues

__all__ = [
    "ActionFact",
    "EventFact",
    "MatchContext",
    "fold",
    "lookup",
    "match_action",
    "match_fields",
    "match_value",
    "parse_time_of",
]

_DATE_RE: Final = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_CLOCK_RE: Final = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
_SPACES: Final = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class ActionFact:
    """An ``action`` record of a run, as the checks see it."""

    seq: int
    t: datetime
    do: str
    with_: Mapping[str, Any]
    as_: str | None
    result: Mapping[str, Any]

    @property
    def ok(self) -> bool:
        return bool(self.result.get("ok"))


@dataclass(frozen=True, slots=True)
class EventFact:
    """An ``event`` record: a timeline event that fired."""

    seq: int
    t: datetime
    id: str
    kind: str


@dataclass(frozen=True)
class MatchContext:
    """What a comparison needs besides the two values: the scenario start (offsets are
    scenario times) and the run's ``as`` bindings."""

    start: datetime
    bindings: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)


# ------------------------------------------------------------------------ helpers


def fold(text: str) -> str:
    """Text for comparison: no case, no accents, single spaces, trimmed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.casefold()).strip()


def lookup(values: Mapping[str, Any], path: str) -> Any:
    """The value at ``path`` (``requester.kind``), or None when absent."""
    if path in values:
        return values[path]
    current: Any = values
    for part in path.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return None
        current = current[part]
    return current


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list | tuple | dict) and not value)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        text = value.strip().replace(",", ".").replace("\u202f", "").replace(" ", "")
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    return None


def parse_time_of(value: Any, start: datetime) -> date | datetime | time | None:
    """A date, date-time, time of day or scenario offset as a comparable value."""
    if isinstance(value, datetime | date | time):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _DATE_RE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    moment = parse_local_datetime(text)
    if moment is not None:
        return moment
    clock = _CLOCK_RE.match(text)
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        return time(hour, minute) if hour < 24 and minute < 60 else None
    offset = parse_duration(text) if text and text[0].isdigit() else None
    return start + offset if offset is not None else None


def _comparable(a: Any, b: Any) -> tuple[Any, Any] | None:
    """The two temporal values brought to one type (day of a date-time against a date,
    time of day of a date-time against a time), or None."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a, b
    if isinstance(a, datetime) and isinstance(b, date):
        return a.date(), b
    if isinstance(a, date) and isinstance(b, datetime):
        return a, b.date()
    if isinstance(a, date) and isinstance(b, date):
        return a, b
    if isinstance(a, time) and isinstance(b, datetime):
        return a, b.time().replace(second=0, microsecond=0)
    if isinstance(a, datetime) and isinstance(b, time):
        return a.time().replace(second=0, microsecond=0), b
    if isinstance(a, time) and isinstance(b, time):
        return a, b
    return None


def _temporal_equal(expected: Any, actual: Any, ctx: MatchContext) -> bool | None:
    left = parse_time_of(expected, ctx.start)
    right = parse_time_of(actual, ctx.start)
    if left is None or right is None:
        return None
    pair = _comparable(left, right)
    return None if pair is None else pair[0] == pair[1]


def _scalar_equal(expected: Any, actual: Any, ctx: MatchContext) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        if isinstance(expected, bool) and isinstance(actual, bool):
            return expected is actual
        other = actual if isinstance(expected, bool) else expected
        flag = expected if isinstance(expected, bool) else actual
        return isinstance(other, str) and fold(other) == ("true" if flag else "false")
    if isinstance(expected, int | Decimal | float) or isinstance(actual, int | Decimal | float):
        left, right = _decimal(expected), _decimal(actual)
        return left is not None and right is not None and left == right
    if isinstance(actual, date | datetime | time):
        return bool(_temporal_equal(expected, actual, ctx))
    if isinstance(expected, str) and isinstance(actual, str):
        if fold(expected) == fold(actual):
            return True
        temporal = _temporal_equal(expected, actual, ctx)
        if temporal is not None:
            return temporal
        left, right = _decimal(expected), _decimal(actual)
        return left is not None and right is not None and left == right
    return bool(expected == actual)


def _bound(value: Any, ctx: MatchContext) -> Any:
    """A literal naming an ``as`` binding stands for what was bound."""
    if isinstance(value, str):
        bound = ctx.bindings.get(value)
        if bound is not None:
            return bound
    return value


def _between(spec: Between, actual: Any, ctx: MatchContext) -> bool:
    low, high = spec.between
    if actual is None:
        return False
    if isinstance(actual, list | tuple):
        return any(_between(spec, item, ctx) for item in actual)
    numbers = _decimal(low), _decimal(high), _decimal(actual)
    if all(n is not None for n in numbers) and not isinstance(actual, date | datetime | time):
        lo, hi, value = numbers
        assert lo is not None and hi is not None and value is not None
        return lo <= value <= hi
    value_t = parse_time_of(actual, ctx.start)
    low_t, high_t = parse_time_of(low, ctx.start), parse_time_of(high, ctx.start)
    if value_t is None or low_t is None or high_t is None:
        return False
    low_pair, high_pair = _comparable(low_t, value_t), _comparable(high_t, value_t)
    if low_pair is None or high_pair is None:
        return False
    return bool(low_pair[0] <= low_pair[1] and high_pair[1] <= high_pair[0])


def _contains(spec: Contains, actual: Any) -> bool:
    if actual is None:
        return False
    if isinstance(actual, list | tuple):
        return any(_contains(spec, item) for item in actual) or fold(spec.contains) in fold(
            " ".join(str(item) for item in actual)
        )
    if isinstance(actual, Mapping):
        return any(_contains(spec, item) for item in actual.values())
    return fold(spec.contains) in fold(str(actual))


def _list_match(expected: Sequence[Any], actual: Sequence[Any], ctx: MatchContext) -> bool:
    """The same items in any order (each expected item matched by a distinct one)."""
    if len(expected) != len(actual):
        return False
    free = list(actual)
    for item in expected:
        for index, candidate in enumerate(free):
            if match_value(item, candidate, ctx):
                del free[index]
                break
        else:
            return False
    return True


def match_value(expected: Any, actual: Any, ctx: MatchContext) -> bool:
    """Whether ``actual`` satisfies the matcher VALUE ``expected`` (module docstring)."""
    if isinstance(expected, Contains):
        return _contains(expected, actual)
    if isinstance(expected, InValues):
        return any(match_value(option, actual, ctx) for option in expected.in_)
    if isinstance(expected, Between):
        return _between(expected, actual, ctx)
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return False
        return match_fields(expected, actual, ctx)
    if isinstance(expected, list | tuple):
        if not isinstance(actual, list | tuple):
            return False
        return _list_match(expected, actual, ctx)
    if expected is None:
        return _empty(actual)
    if isinstance(expected, str) and not isinstance(actual, bool):
        if expected == "present" and expected not in ctx.bindings:
            return not _empty(actual)
        if expected == "absent" and expected not in ctx.bindings:
            return _empty(actual)
    expected = _bound(expected, ctx)
    if isinstance(expected, tuple):  # a search result list: one of its keys
        return any(match_value(key, actual, ctx) for key in expected)
    if isinstance(actual, list | tuple):
        if any(_scalar_equal(expected, item, ctx) for item in actual):
            return True
        texts = [item for item in actual if isinstance(item, str)]
        return (
            isinstance(expected, str)
            and len(texts) == len(actual)
            and fold(" ".join(texts)) == fold(expected)
        )
    if actual is None:
        return False
    return _scalar_equal(expected, actual, ctx)


def match_fields(expected: Mapping[str, Any], actual: Mapping[str, Any], ctx: MatchContext) -> bool:
    """A subset match: every field of ``expected`` matches the same field of ``actual``
    (dotted paths such as ``requester.kind`` reach nested fields)."""
    return all(match_value(value, lookup(actual, name), ctx) for name, value in expected.items())


def match_action(matcher: ActionMatcher, fact: ActionFact, ctx: MatchContext) -> bool:
    """Whether the action ``fact`` is one that ``matcher`` describes."""
    if matcher.do != fact.do:
        return False
    if matcher.ok != "any" and bool(matcher.ok) != fact.ok:
        return False
    return match_fields(matcher.with_, fact.with_, ctx)
