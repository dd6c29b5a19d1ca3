"""The engine: one action, one transaction, one result.

ARCHITECTURE.md, "The one idea": everything the trainee does is an action; the engine
applies it through the domain services inside one transaction and returns the result.
Live play, replay, reference solutions and tests all come through :meth:`Engine.apply`
(called by :class:`simsec.scenario.run.Run`), so they cannot drift apart.

What :meth:`Engine.apply` does, in order:

1. validates the action when it comes as a mapping (from the UI or a run log); a
   validation error is a refusal (``invalid_action``), never an exception;
2. resolves its references to stable keys (``as`` names, ``{found: search, rank: N}``,
   :mod:`simsec.actions.references`; an unresolvable one is a refusal) and its scenario
   times written as offsets to date-times;
3. opens a transaction, builds the :class:`~simsec.services.base.ServiceContext`
   (scenario time from the caller's clock, the stage), calls the service for ``do``;
4. commits on success, rolls back on a :class:`~simsec.services.base.RuleError` (a
   refused action changes nothing, SCENARIO_FORMAT.md § Actions);
5. binds the ``as`` name to what was created (or to the result list of a search);
6. returns an :class:`ActionOutcome` whose :meth:`~ActionOutcome.record` is what the run
   log stores (RUNLOG_FORMAT.md, ``action`` records): ``do``, ``with`` (resolved keys),
   ``as`` and ``result`` (``{ok: true, ...data}`` or ``{ok: false, error: {code, message}}``).

The engine never reads the wall clock and keeps no state of its own between actions
other than the services and the database: the caller passes the scenario time, the
stage and the bindings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine as DbEngine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from simsec.actions.catalogue import CATALOGUE, ActionBase, parse_action
from simsec.actions.fields import FormatModel, format_duration
from simsec.actions.references import Bindings, absolute_times, binding_value, resolve_fields
from simsec.db.locks import LockTimeout
from simsec.i18n import _
from simsec.services.base import KeyAllocator, RuleError, ServiceContext, Stage

__all__ = [
    "ActionOutcome",
    "Engine",
    "Service",
    "jsonable",
    "load_services",
    "refusal",
]

_log = logging.getLogger(__name__)

#: A service: applies the fields of one action in the context's transaction and returns
#: the data of its result; raises :class:`RuleError` to refuse.
Service = Callable[[ServiceContext, Any], Mapping[str, Any]]


# ------------------------------------------------------------------------ JSON


def _iso_datetime(value: datetime) -> str:
    spec = "minutes" if value.second == 0 and value.microsecond == 0 else "seconds"
    return value.isoformat(timespec=spec)


def jsonable(value: Any) -> Any:
    """A JSON value for the run log: dates in ISO 8601, ``Decimal`` as a string, tuples
    and sets as lists, pydantic models in their JSON form, dataclass DTOs through their
    ``as_dict()``. Deterministic (sets are sorted)."""
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, datetime):
        return _iso_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, BaseModel):
        return jsonable(value.model_dump(mode="json", by_alias=True, exclude_none=True))
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((jsonable(item) for item in value), key=repr)
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    as_dict = getattr(value, "as_dict", None)
    if callable(as_dict):
        return jsonable(as_dict())
    return str(value)


# ------------------------------------------------------------------------ outcome


def refusal(code: str, message: str) -> dict[str, Any]:
    """The ``result`` of a refused action."""
    return {"ok": False, "error": {"code": code, "message": message}}


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """One applied action: what the run log records and what the UI shows."""

    do: str
    with_: dict[str, Any]
    """The fields as JSON, references resolved to stable keys (as given when refused
    before resolution)."""
    as_: str | None
    result: dict[str, Any]
    action: ActionBase | None = None
    """The validated action (None when it did not validate)."""

    @property
    def ok(self) -> bool:
        return bool(self.result.get("ok"))

    @property
    def error(self) -> dict[str, Any] | None:
        error = self.result.get("error")
        return error if isinstance(error, dict) else None

    def record(self) -> dict[str, Any]:
        """The fields of the ``action`` record (RUNLOG_FORMAT.md)."""
        fields: dict[str, Any] = {"do": self.do, "with": self.with_}
        if self.as_ is not None:
            fields["as"] = self.as_
        fields["result"] = self.result
        return fields


def _fields_json(fields: FormatModel) -> dict[str, Any]:
    dumped = fields.model_dump(mode="json", by_alias=True, exclude_unset=True)
    result = jsonable(dumped)
    assert isinstance(result, dict)
    return result


def _raw_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    raw = data.get("with")
    value = jsonable(raw if isinstance(raw, Mapping) else {})
    assert isinstance(value, dict)
    return value


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(part) for part in error["loc"] if not str(part).startswith("="))
        parts.append(f"{where} : {error['msg']}" if where else str(error["msg"]))
    return _("Action invalide : {details}").format(details=" ; ".join(parts))


# ------------------------------------------------------------------------ engine


def load_services() -> Mapping[str, Service]:
    """The services of the catalogue (``simsec.services.registry.SERVICES``)."""
    from simsec.services.registry import SERVICES

    services: Mapping[str, Service] = SERVICES
    return services


class Engine:
    """Applies actions to one database through the services.

    ``services`` defaults to the registry of :mod:`simsec.services`; tests may pass
    their own. ``guided``: the scenario's guidance (warnings shown or not; they are
    always logged with the result).
    """

    def __init__(
        self,
        db: DbEngine,
        *,
        services: Mapping[str, Service] | None = None,
        guided: bool = True,
        keys: KeyAllocator | None = None,
        origin: datetime | None = None,
    ) -> None:
        self.db = db
        self.origin = origin
        """The scenario start: scenario times written as offsets count from it."""
        self._sessions = sessionmaker(db, expire_on_commit=False)
        self._services = services
        self.guided = guided
        self.keys = keys or KeyAllocator()

    @property
    def services(self) -> Mapping[str, Service]:
        if self._services is None:
            self._services = load_services()
        return self._services

    def session(self) -> Session:
        """A session on the engine's database (for views and checks; read-only use)."""
        return self._sessions()

    def apply(
        self,
        action: ActionBase | Mapping[str, Any],
        *,
        now: datetime,
        stage: Stage,
        bindings: Bindings,
    ) -> ActionOutcome:
        """Apply one action at scenario time ``now``; never raises for a bad action."""
        if isinstance(action, Mapping):
            raw = action
            try:
                action = parse_action(dict(raw))
            except ValidationError as exc:
                as_raw = raw.get("as")
                return ActionOutcome(
                    str(raw.get("do", "")),
                    _raw_fields(raw),
                    as_raw if isinstance(as_raw, str) else None,
                    refusal("invalid_action", _validation_message(exc)),
                )
        info = CATALOGUE[action.do]
        as_name = action.as_
        try:
            fields = resolve_fields(action.with_, bindings)
            if self.origin is not None:
                fields = absolute_times(fields, self.origin)
        except RuleError as exc:
            return ActionOutcome(
                action.do, _fields_json(action.with_), as_name, self._refused(exc), action
            )
        with_json = _fields_json(fields)
        if info.solutions_only:  # ``wait``: the clock is the run's business
            return ActionOutcome(action.do, with_json, as_name, {"ok": True}, action)
        service = self.services.get(action.do)
        if service is None:
            message = _("L'action « {do} » n'est pas encore disponible.").format(do=action.do)
            return ActionOutcome(
                action.do, with_json, as_name, refusal("not_available", message), action
            )
        result = self._run(action.do, service, fields, now, stage)
        if result.get("ok") and as_name is not None:
            bound = binding_value(info.creates, result)
            if bound is not None:
                bindings.bind(as_name, bound)
        return ActionOutcome(action.do, with_json, as_name, result, action)

    # -------------------------------------------------------------------- internals

    @staticmethod
    def _refused(exc: RuleError) -> dict[str, Any]:
        return refusal(exc.code, exc.message)

    def _run(
        self, do: str, service: Service, fields: FormatModel, now: datetime, stage: Stage
    ) -> dict[str, Any]:
        session = self._sessions()
        ctx = ServiceContext(
            session=session, now=now, stage=stage, keys=self.keys, guided=self.guided
        )
        try:
            with session.begin():
                data = service(ctx, fields)
                body = jsonable(dict(data))
        except RuleError as exc:
            return self._refused(exc)
        except LockTimeout:
            return refusal(
                "agenda_busy",
                _("L'agenda est en cours de modification par un autre poste : réessayez."),
            )
        except SQLAlchemyError as exc:
            _log.exception("database error while applying %s", do)
            return refusal(
                "database_error",
                _("Erreur de la base de données : {detail}").format(
                    detail=str(getattr(exc, "orig", exc)).splitlines()[0]
                ),
            )
        except Exception as exc:  # a defect of a service: refuse, never crash the run
            _log.exception("service %s failed", do)
            return refusal(
                "internal_error",
                _("Erreur interne pendant « {do} » : {detail}").format(do=do, detail=exc),
            )
        finally:
            session.close()
        result: dict[str, Any] = {"ok": True, **body}
        if ctx.warnings:
            result["warnings"] = list(ctx.warnings)
        return result
