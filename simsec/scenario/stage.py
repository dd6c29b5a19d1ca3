"""The stage: the part of the scenario's world that is not in the database.

SCENARIO_FORMAT.md § people: visitors and callers, what they answer to the question
catalogue and which documents they carry (shown on arrival, on request, or never).
PRODUCT.md §2.1: a person is at the desk (or on the line) once their ``visitor`` (or
``call``) event fired, and until the trainee ends the interaction with them.
PRODUCT.md §3, fault injection: INSi or ADRi unavailable or slow, from the timeline.
SCENARIO_FORMAT.md § people, ``shown``: a document ``on_arrival`` is handed over as the
person arrives, one ``on_request`` only once the trainee asked for its kind
(``request_document``), one ``never`` not at all; :meth:`ScenarioStage.handed_over` says
which, so that the services only use documents actually presented.

:class:`ScenarioStage` implements :class:`simsec.services.base.Stage` for the services;
the run moves people in (:meth:`arrive`) and out (:meth:`leave`) as events fire and
interactions end, and records the documents asked for (:meth:`request`), so that a
replay, firing the same events and applying the same actions, sees the same stage.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from simsec.scenario.model import Document, Person, Scenario
from simsec.scenario.timeline import Timeline
from simsec.services.base import PresentedDocument, StagePerson

__all__ = ["ScenarioStage", "document_fields", "stage_person"]

_DOCUMENT_HEADER: Final = frozenset({"key", "kind", "shown"})


def document_fields(document: Document) -> dict[str, Any]:
    """A document's own fields as JSON values (dates as ISO strings), without its key,
    kind and ``shown``, and without the fields it does not carry."""
    dumped = document.model_dump(mode="json", by_alias=True, exclude_none=True)
    return {
        name: value
        for name, value in dumped.items()
        if name not in _DOCUMENT_HEADER and value != [] and value != {}
    }


def _answers(person: Person) -> dict[str, Any]:
    dumped = person.answers.model_dump(mode="json", by_alias=True, exclude_none=True)
    if not dumped.get("free"):
        dumped.pop("free", None)
    return {
        name: (str(value) if isinstance(value, str) else value) for name, value in dumped.items()
    }


def stage_person(person: Person) -> StagePerson:
    """The services' view of a scenario person."""
    return StagePerson(
        key=person.key,
        role=person.role,
        lang=person.lang,
        patient=person.patient,
        answers=_answers(person),
        documents=tuple(
            PresentedDocument(d.key, d.kind, d.shown, document_fields(d)) for d in person.documents
        ),
    )


class ScenarioStage:
    """People, their documents, who is present, and the teleservices' state."""

    def __init__(self, scenario: Scenario, timeline: Timeline) -> None:
        self._timeline = timeline
        self._people: dict[str, StagePerson] = {p.key: stage_person(p) for p in scenario.people}
        self._names: dict[str, str | None] = {p.key: p.name for p in scenario.people}
        self._documents: dict[str, tuple[StagePerson, PresentedDocument]] = {
            document.key: (person, document)
            for person in self._people.values()
            for document in person.documents
        }
        self._present: dict[str, str] = {}
        self._requested: set[tuple[str, str]] = set()

    # --------------------------------------------------------- Stage protocol

    def person(self, key: str) -> StagePerson | None:
        return self._people.get(key)

    def present(self, key: str) -> bool:
        return key in self._present

    def document(self, key: str) -> tuple[StagePerson, PresentedDocument] | None:
        return self._documents.get(key)

    def service_state(self, service: str, at: datetime) -> str:
        return self._timeline.service_state(service, at)

    def handed_over(self, key: str) -> bool:
        """Whether the document ``key`` was handed over during this run: shown on
        arrival, or of a kind the trainee asked its carrier for (``request_document``).
        A document ``never`` shown, or unknown, was not."""
        found = self._documents.get(key)
        if found is None:
            return False
        person, document = found
        if document.shown == "on_arrival":
            return True
        return document.shown == "on_request" and (person.key, document.kind) in self._requested

    # --------------------------------------------------------- what services may ask

    def channel(self, key: str) -> str | None:
        """``visitor`` (at the desk) or ``call`` (on the phone); None when absent."""
        return self._present.get(key)

    def name(self, key: str) -> str | None:
        """How a person who is not a patient is shown (``people[].name``)."""
        return self._names.get(key)

    # --------------------------------------------------------- moved by the run

    def arrive(self, key: str, channel: str) -> None:
        """The person's ``visitor`` or ``call`` event fired."""
        if key in self._people:
            self._present[key] = channel

    def leave(self, key: str) -> None:
        """The trainee ended the interaction with the person."""
        self._present.pop(key, None)

    def request(self, person: str, kind: str) -> None:
        """The trainee asked ``person`` for a document of ``kind`` (``request_document``
        succeeded): the documents of that kind they carry ``on_request`` are handed over,
        for the rest of the run."""
        if person in self._people:
            self._requested.add((person, kind))

    @property
    def present_people(self) -> Mapping[str, str]:
        """Who is present now, and how (``visitor`` or ``call``), in order of arrival."""
        return dict(self._present)

    @property
    def people(self) -> Mapping[str, StagePerson]:
        return dict(self._people)
