"""Resolving the references of an action to stable keys.

SCENARIO_FORMAT.md § Actions: "a value naming an entity may be a fixture key, a key
bound by ``as``, or (for patients) a found patient via ``{found: search_key, rank: 1}``".
RUNLOG_FORMAT.md § Records: the ``with`` of an ``action`` record holds "entity references
as stable keys: fixture keys, or the key the run gave to what it created, e.g.
``patient#2041``".

:class:`Bindings` remembers what each ``as`` name stands for (a created key, or the
result list of a search); :func:`resolve_fields` rewrites an action's fields so that
every reference is a stable key, guided by the :class:`~simsec.actions.fields.RefTo`
metadata of the catalogue's field types (free text is never rewritten, even when it
happens to spell a bound name). A reference that cannot be resolved is a
:class:`~simsec.services.base.RuleError` (a refusal, logged like any other), never a
crash. Keys that are not bound are passed through unchanged: whether they exist is for
the services to say (``not_found``).
"""

from __future__ import annotations

import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from simsec.actions.catalogue import FoundRef
from simsec.actions.fields import FormatModel, ref_kinds
from simsec.services.base import RuleError
from simsec.texts.services import entity_label, refusal_message

__all__ = [
    "Binding",
    "Bindings",
    "absolute_times",
    "binding_value",
    "resolve_fields",
    "result_keys",
]

#: What an ``as`` name stands for: one key (a created entity) or a result list of keys.
Binding = str | tuple[str, ...]


@dataclass
class Bindings:
    """The ``as`` names of a run and what they stand for, in the order they were bound.

    A name bound twice takes its latest value (the scenario validator forbids it in
    solutions; a replayed log simply repeats what happened).
    """

    names: dict[str, Binding] = field(default_factory=dict)

    def bind(self, name: str, value: Binding) -> None:
        self.names[name] = value

    def get(self, name: str) -> Binding | None:
        return self.names.get(name)

    def key(self, name: str) -> str:
        """The key a name stands for; the name itself when it is not bound to one key."""
        value = self.names.get(name)
        return value if isinstance(value, str) else name

    def found(self, search: str, rank: int) -> str:
        """The patient at ``rank`` (1-based) of the search bound to ``search``.

        Raises :class:`RuleError` ``unresolved_reference`` when ``search`` names no search,
        ``not_found`` when the search has fewer results.
        """
        value = self.names.get(search)
        if not isinstance(value, tuple):
            raise RuleError(
                "unresolved_reference",
                refusal_message("unresolved_reference", {"key": search}),
                key=search,
            )
        if not 1 <= rank <= len(value):
            label = f"{search} (rang {rank})"
            raise RuleError(
                "not_found",
                refusal_message("not_found", {"entity": entity_label("patient"), "key": label}),
                entity="patient",
                key=label,
            )
        return value[rank - 1]

    def copy(self) -> Bindings:
        return Bindings(dict(self.names))


# ----------------------------------------------------------------------- resolution


def _resolve_ref(value: Any, bindings: Bindings) -> Any:
    """One reference: a FoundRef becomes the patient found; a bound name its key."""
    if isinstance(value, FoundRef):
        return bindings.found(value.found, value.rank)
    if isinstance(value, str):
        bound = bindings.get(value)
        if isinstance(bound, tuple):
            # a search result list where one entity is expected: the trainee must pick
            raise RuleError(
                "unresolved_reference",
                refusal_message("unresolved_reference", {"key": value}),
                key=value,
            )
        return bound if bound is not None else value
    return value


def _is_union(origin: Any) -> bool:
    return origin is Union or origin is types.UnionType


def _resolve(annotation: Any, value: Any, bindings: Bindings) -> Any:
    """``value`` (of type ``annotation``) with every reference it holds resolved."""
    if value is None:
        return None
    if isinstance(value, FoundRef):
        return _resolve_ref(value, bindings)
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *metadata = get_args(annotation)
        if ref_kinds(list(metadata)) is not None:
            return _resolve_ref(value, bindings)
        return _resolve(base, value, bindings)
    if _is_union(origin):
        for option in get_args(annotation):
            if option is type(None):
                continue
            if _accepts(option, value):
                return _resolve(option, value, bindings)
        return value
    if origin in (list, tuple) and isinstance(value, list | tuple):
        args = [arg for arg in get_args(annotation) if arg is not Ellipsis]
        if origin is tuple and len(args) == len(value) and len(args) > 1:
            return type(value)(_resolve(a, v, bindings) for a, v in zip(args, value, strict=True))
        item = args[0] if args else Any
        return type(value)(_resolve(item, v, bindings) for v in value)
    if isinstance(value, FormatModel):
        return resolve_fields(value, bindings)
    return value


def _accepts(annotation: Any, value: Any) -> bool:
    """Whether ``value`` has the shape of ``annotation`` (to pick the branch of a union)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _accepts(get_args(annotation)[0], value)
    if _is_union(origin):
        return any(_accepts(option, value) for option in get_args(annotation))
    if origin in (list, tuple):
        return isinstance(value, list | tuple)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return isinstance(value, annotation)
        return isinstance(value, annotation)
    if get_origin(annotation) is not None:  # Literal and other special forms
        return isinstance(value, str | int | bool)
    return True


@cache
def _has_refs(model: type[FormatModel]) -> bool:
    """Whether a fields model may hold a reference (skip the walk when it cannot)."""
    return any(
        _annotation_has_refs(info.annotation, info.metadata) for info in model.model_fields.values()
    )


def _annotation_has_refs(annotation: Any, metadata: Sequence[Any] = ()) -> bool:
    if ref_kinds(list(metadata)) is not None:
        return True
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *inner = get_args(annotation)
        return _annotation_has_refs(base, inner)
    if origin is not None:
        return any(_annotation_has_refs(arg) for arg in get_args(annotation) if arg is not Ellipsis)
    if isinstance(annotation, type) and issubclass(annotation, FormatModel):
        return annotation is FoundRef or _has_refs(annotation)
    return False


def resolve_fields(fields: FormatModel, bindings: Bindings) -> FormatModel:
    """``fields`` (an action's ``with``) with its references as stable keys.

    Raises :class:`RuleError` (``unresolved_reference``, ``not_found``) for a reference
    that names a search where one entity is expected, or a rank beyond the results.
    """
    model = type(fields)
    if not _has_refs(model):
        return fields
    update: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        value = getattr(fields, name)
        if value is None:
            continue
        if ref_kinds(info.metadata) is not None:
            resolved = _resolve_ref(value, bindings)
        else:
            resolved = _resolve(info.annotation, value, bindings)
        if resolved is not value:
            update[name] = resolved
    return fields.model_copy(update=update) if update else fields


# ----------------------------------------------------------------------- times


def _is_scenario_time(annotation: Any) -> bool:
    """A :data:`~simsec.actions.fields.ScenarioTime` (an offset or a date-time), possibly
    optional; not a plain duration."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _is_scenario_time(get_args(annotation)[0])
    if _is_union(origin):
        args = set(get_args(annotation))
        if {timedelta, datetime} <= args:
            return True
        return any(_is_scenario_time(arg) for arg in args if arg is not type(None))
    return False


@cache
def _time_fields(model: type[FormatModel]) -> tuple[str, ...]:
    return tuple(
        name for name, info in model.model_fields.items() if _is_scenario_time(info.annotation)
    )


def absolute_times(fields: FormatModel, origin: datetime) -> FormatModel:
    """``fields`` with every scenario time written as an offset (``10m``) turned into
    the date-time it stands for, counted from the scenario start ``origin``
    (SCENARIO_FORMAT.md, General rules: times are offsets from the scenario start or
    local date-times)."""
    update = {
        name: origin + value
        for name in _time_fields(type(fields))
        if isinstance(value := getattr(fields, name), timedelta)
    }
    return fields.model_copy(update=update) if update else fields


# ----------------------------------------------------------------------- results


def _item_key(item: Any) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, Mapping):
        for name in ("key", "id", "patient"):
            value = item.get(name)
            if isinstance(value, str):
                return value
    return None


def result_keys(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The keys of a search result list (``results``: keys or hits with ``key``/``id``)."""
    for name in ("results", "patients", "hits", "items"):
        items = data.get(name)
        if isinstance(items, list | tuple):
            return tuple(key for key in (_item_key(item) for item in items) if key is not None)
    return ()


def binding_value(creates: str | None, data: Mapping[str, Any]) -> Binding | None:
    """What an ``as`` binds after an accepted action whose catalogue entry ``creates``
    ``creates``: the result list of a search, else the created entity's key."""
    if creates is None:
        return None
    if creates in ("search", "slots"):
        return result_keys(data)
    for name in ("key", creates):
        value = data.get(name)
        if isinstance(value, str):
            return value
    return None
