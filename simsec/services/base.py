"""What every service (use case) receives and how it refuses an action.

The engine opens one transaction per action, builds a :class:`ServiceContext` and calls
the service for the action's ``do``. A service reads and writes the database through
``ctx.session``, applies the pure rules of :mod:`simsec.rules`, and returns the data of
the result (created keys, search result keys, computed values) as a JSON-able dict. To
refuse, it raises :class:`RuleError`: the engine rolls the transaction back, so a refused
action changes nothing, and the refusal is still logged.

Scenario time comes from ``ctx.now``; services never read the wall clock. What is not
in the database (the people at the desk, their documents, the faults of the
teleservices) comes from ``ctx.stage``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session


class RuleError(Exception):
    """An action refused by the rules: a stable ``code`` and a French message for the trainee."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class PresentedDocument:
    """A document a person carries (scenario ``people[].documents[]``): its kind, when it is
    shown, and its fields as written in the scenario (dates as ISO strings)."""

    key: str
    kind: str
    shown: str  # on_arrival | on_request | never
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StagePerson:
    """A visitor or caller of the scenario."""

    key: str
    role: str
    lang: str
    patient: str | None  # the patient key this person is, if any
    answers: Mapping[str, Any]
    documents: Sequence[PresentedDocument]


class Stage(Protocol):
    """The scenario's side of the world, seen by the services."""

    def person(self, key: str) -> StagePerson | None: ...

    def present(self, key: str) -> bool:
        """Whether the person has arrived at the desk or is on the line (their event fired)."""
        ...

    def document(self, key: str) -> tuple[StagePerson, PresentedDocument] | None: ...

    def service_state(self, service: str, at: datetime) -> str:
        """``available``, ``unavailable`` or ``slow`` for ``insi`` / ``adri`` at ``at``."""
        ...


class KeyAllocator:
    """Stable keys for what a run creates: ``patient#2041`` is the same patient on every
    machine, because the number follows from the database state, not from a counter in
    memory or the wall clock.

    The two statements of each model are built once and reused (the engine allocates a
    key for most actions, so this sits on the replay's hot path).
    """

    def __init__(self) -> None:
        self._statements: dict[type[Any], tuple[Any, Any]] = {}

    def _for(self, model: type[Any]) -> tuple[Any, Any]:
        statements = self._statements.get(model)
        if statements is None:
            count = select(func.count()).select_from(model)
            taken = select(model.id).where(model.key == bindparam("key"))
            statements = self._statements[model] = (count, taken)
        return statements

    def next_key(self, session: Session, model: type[Any], prefix: str) -> str:
        count, taken = self._for(model)
        n = int(session.scalar(count) or 0) + 1
        while session.scalar(taken, {"key": f"{prefix}#{n}"}) is not None:
            n += 1
        return f"{prefix}#{n}"


@dataclass
class ServiceContext:
    session: Session
    now: datetime
    stage: Stage
    keys: KeyAllocator = field(default_factory=KeyAllocator)
    guided: bool = True
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        """A warning shown in guided mode (and always logged with the result)."""
        self.warnings.append(message)
