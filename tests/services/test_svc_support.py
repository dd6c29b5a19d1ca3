"""Support for the service tests: a small world, a fake stage, and an engine-like runner.

``apply`` runs a service the way the engine does: one transaction per action, committed
when the service returns, rolled back when it raises :class:`RuleError`. ``refused``
also checks that the refusal changed nothing (canonical dump before and after).

The tests of this module check the registry against the catalogue.
"""

from __future__ import annotations

import json
import sqlite3
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from simsec.actions.catalogue import CATALOGUE
from simsec.db.dump import dump_lines
from simsec.db.engine import make_engine
from simsec.db.models import (
    Appointment,
    AppointmentType,
    Base,
    Coverage,
    InsRegistryEntry,
    InsurerRecord,
    Patient,
    Practitioner,
    RecordItem,
    Structure,
)
from simsec.services.base import PresentedDocument, RuleError, ServiceContext, StagePerson
from simsec.services.registry import SERVICES
from simsec.services.search_keys import patient_search_columns
from simsec.texts.services import (
    REFUSAL_TEMPLATES,
    WARNING_TEMPLATES,
    refusal_message,
    warning_message,
)

NOW = datetime(2026, 3, 2, 8, 45)  # a Monday, as in SCENARIO_FORMAT.md
DUPONT_NIR = "285047505604206"
DEMO_OID = "1.2.250.1.213.1.4.11"


@dataclass
class FakeStage:
    """The scenario's side: people, who is present, the state of INSi and ADRi."""

    people: dict[str, StagePerson] = field(default_factory=dict)
    here: set[str] = field(default_factory=set)
    services: dict[str, str] = field(default_factory=dict)

    def person(self, key: str) -> StagePerson | None:
        return self.people.get(key)

    def present(self, key: str) -> bool:
        return key in self.here

    def document(self, key: str) -> tuple[StagePerson, PresentedDocument] | None:
        for person in self.people.values():
            for document in person.documents:
                if document.key == key:
                    return person, document
        return None

    def service_state(self, service: str, at: datetime) -> str:
        return self.services.get(service, "available")

    def add(
        self,
        key: str,
        *,
        patient: str | None = None,
        role: str = "patient",
        answers: Mapping[str, Any] | None = None,
        documents: Iterable[PresentedDocument] = (),
        present: bool = True,
    ) -> StagePerson:
        person = StagePerson(key, role, "fr", patient, dict(answers or {}), tuple(documents))
        self.people[key] = person
        if present:
            self.here.add(key)
        return person


@dataclass
class TrackingStage(FakeStage):
    """A stage that, like the scenario's (:class:`simsec.scenario.stage.ScenarioStage`),
    hands over a document shown ``on_request`` only once its kind was asked for."""

    requested: set[tuple[str, str]] = field(default_factory=set)

    def request(self, person: str, kind: str) -> None:
        self.requested.add((person, kind))

    def handed_over(self, key: str) -> bool:
        found = self.document(key)
        if found is None:
            return False
        person, document = found
        if document.shown == "on_arrival":
            return True
        return document.shown == "on_request" and (person.key, document.kind) in self.requested


def tracking(w: World) -> TrackingStage:
    """Make the world's stage keep track of the documents asked for (and return it)."""
    stage = TrackingStage(people=w.stage.people, here=w.stage.here, services=w.stage.services)
    w.stage = stage
    return stage


def doc(key: str, kind: str, shown: str = "on_request", **fields: Any) -> PresentedDocument:
    return PresentedDocument(key, kind, shown, fields)


@dataclass
class World:
    engine: Engine
    factory: sessionmaker[Session]
    stage: FakeStage
    now: datetime = NOW

    def session(self) -> Session:
        return self.factory()

    def get(self, model: type[Any], key: str) -> Any:
        with self.factory() as session:
            row = session.scalars(select(model).where(model.key == key)).one()
            session.expunge(row)
            return row

    def dump(self) -> list[str]:
        return dump_lines(self.engine)


def patient_row(key: str, **values: Any) -> Patient:
    data: dict[str, Any] = {
        "identity_status": "provisoire",
        "ins_retrieved": False,
        "douteuse": False,
        "fictive": False,
        "homonyme": False,
        "access_opposition": False,
        **values,
    }
    data.update(
        patient_search_columns(data["birth_name"], data["first_names"], data.get("used_name"))
    )
    return Patient(key=key, **data)


def _memory_engine() -> Engine:
    return make_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})


@cache
def _template() -> Engine:
    """The world's database, built once; each test gets a copy (SQLite backup)."""
    engine = _memory_engine()
    _populate(engine)
    return engine


def _raw(engine: Engine) -> sqlite3.Connection:
    raw = engine.raw_connection().driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def build_world(url: str | None = None) -> World:
    """Dr Martin (Monday and Tuesday mornings, Monday afternoon), Dr Durand (Monday),
    Mme Dupont with a CNI and a carte Vitale at the desk, and the national registries.

    In memory by default (a copy of a template); ``url`` (an SQLite file) for tests that
    need two connections.
    """
    if url is None:
        engine = _memory_engine()
        _raw(_template()).backup(_raw(engine))
    else:
        engine = make_engine(url)
        _populate(engine)
    return World(engine, sessionmaker(engine, expire_on_commit=False), _stage())


def _populate(engine: Engine) -> None:
    Base.metadata.create_all(engine)
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as s:
        s.add(
            Structure(
                key="structure",
                kind="centre_de_sante",
                name="Centre de santé des Tilleuls",
                services=[],
            )
        )
        martin = Practitioner(
            key="dr_martin",
            last_name="MARTIN",
            first_name="Claire",
            specialty="medecine_generale",
            rpps="10000000009",
            hours={"mon": ["08:30-12:00", "14:00-18:00"], "tue": ["08:30-12:00"]},
        )
        durand = Practitioner(
            key="dr_durand",
            last_name="DURAND",
            first_name="Paul",
            specialty="medecine_generale",
            rpps="10000000017",
            hours={"mon": ["09:00-12:00"]},
        )
        s.add_all([martin, durand])
        s.flush()
        s.add_all(
            [
                AppointmentType(
                    practitioner_id=martin.id, code="C", label="Consultation", minutes=20
                ),
                AppointmentType(practitioner_id=martin.id, code="C1", label="Première", minutes=30),
                AppointmentType(
                    practitioner_id=durand.id, code="C", label="Consultation", minutes=15
                ),
            ]
        )
        dupont = patient_row(
            "p_dupont",
            birth_name="DUPONT",
            first_names="MARIE CLAIRE",
            used_name="LEROY",
            birth_date=date(1985, 4, 12),
            sex="F",
            birth_place="75056",
            nir=DUPONT_NIR,
            medecin_traitant="dr_martin",
        )
        petit = patient_row(
            "p_petit",
            birth_name="PETIT",
            first_names="LUCAS",
            birth_date=date(2018, 6, 1),
            sex="M",
            birth_place="69123",
        )
        s.add_all([dupont, petit])
        s.flush()
        s.add(
            Coverage(
                patient_id=dupont.id,
                amo_regime="general",
                amo_caisse="CPAM du Rhône",
                amo_rights_from=date(2025, 1, 1),
                amo_rights_until=date(2026, 12, 31),
                amo_exemption="none",
                amc_organisme="Mutuelle des Tilleuls",
                amc_contract="MT-558812",
                amc_valid_until=date(2026, 12, 31),
                amc_tiers_payant=True,
                c2s=False,
                ame=False,
                ceam=False,
            )
        )
        s.add_all(
            [
                InsRegistryEntry(
                    key="ins_dupont",
                    birth_name="DUPONT",
                    first_names="MARIE-CLAIRE",
                    birth_date=date(1985, 4, 12),
                    sex="F",
                    birth_place="75056",
                    nir=DUPONT_NIR,
                    oid=DEMO_OID,
                    patient_key="p_dupont",
                ),
                InsRegistryEntry(
                    key="ins_autre",
                    birth_name="DUPONT",
                    first_names="MARIE",
                    birth_date=date(1985, 4, 12),
                    sex="F",
                    birth_place="13055",
                    nir="285041305500112",
                    oid=DEMO_OID,
                ),
                InsurerRecord(
                    key="ins_rec_dupont",
                    patient_key="p_dupont",
                    nir=DUPONT_NIR,
                    card_holder_key="p_dupont",
                    amo_regime="general",
                    amo_caisse="CPAM du Rhône",
                    rights_from=date(2026, 1, 1),
                    rights_until=date(2027, 1, 31),
                    exemption="ald",
                ),
                InsurerRecord(
                    key="ins_rec_petit",
                    patient_key="p_petit",
                    nir=None,
                    card_holder_key="p_dupont",
                    amo_regime="general",
                    rights_from=date(2026, 1, 1),
                    rights_until=date(2027, 1, 31),
                ),
            ]
        )
        s.add(
            Appointment(
                key="rdv1",
                patient_id=dupont.id,
                practitioner_id=martin.id,
                type_code="C",
                start=datetime(2026, 3, 2, 9, 0),
                end=datetime(2026, 3, 2, 9, 20),
                status="booked",
            )
        )
        s.add_all(
            [
                RecordItem(
                    key="cr_2019",
                    patient_id=dupont.id,
                    kind="compte_rendu",
                    date=date(2019, 6, 3),
                    author="dr_martin",
                    title="CR",
                ),
                RecordItem(
                    key="cr_2025",
                    patient_id=dupont.id,
                    kind="compte_rendu",
                    date=date(2025, 11, 3),
                    author="dr_martin",
                    title="CR",
                ),
                RecordItem(
                    key="courrier_tiers",
                    patient_id=dupont.id,
                    kind="courrier",
                    date=date(2024, 1, 10),
                    author="Dr B.",
                    third_party=True,
                ),
            ]
        )
        s.commit()


def _stage() -> FakeStage:
    stage = FakeStage()
    stage.add(
        "v_dupont",
        patient="p_dupont",
        answers={"birth_name": "DUPONT", "free": {"allergie": "Aucune allergie."}},
        documents=[
            doc(
                "cni_dupont",
                "cni",
                "on_request",
                birth_name="DUPONT",
                first_names=["MARIE", "CLAIRE"],
                birth_date="1985-04-12",
                sex="F",
                birth_place="PARIS",
                number="X4RTBPFW4",
                issued="2021-09-01",
                expires="2031-08-31",
                mrz="valid",
            ),
            doc("vitale_dupont", "carte_vitale", "on_arrival", holder="p_dupont"),
            doc(
                "permis_dupont",
                "permis_conduire",
                birth_name="DUPONT",
                first_names=["MARIE"],
                birth_date="1985-04-12",
            ),
            doc("secret", "passeport", "never", birth_name="DUPONT"),
        ],
    )
    stage.add("c_absent", present=False)
    return stage


def apply(
    w: World, do: str, fields: Mapping[str, Any], *, now: datetime | None = None
) -> tuple[dict[str, Any], list[str]]:
    """Run one action like the engine: validate its fields, call its service, commit
    (or roll back and re-raise a refusal). Returns the result and the warnings."""
    model = CATALOGUE[do].fields.model_validate(dict(fields))
    session = w.factory()
    ctx = ServiceContext(session=session, now=now or w.now, stage=w.stage)
    try:
        result = SERVICES[do](ctx, model)
    except RuleError:
        session.rollback()
        session.close()
        raise
    session.commit()
    session.close()
    json.dumps(result)  # the log needs JSON-able results
    return result, ctx.warnings


def refused(
    w: World, do: str, fields: Mapping[str, Any], code: str, *, now: datetime | None = None
) -> RuleError:
    """Assert the action is refused with ``code`` and that the database did not change."""
    before = w.dump()
    with pytest.raises(RuleError) as caught:
        apply(w, do, fields, now=now)
    assert caught.value.code == code, caught.value.message
    assert caught.value.message
    assert w.dump() == before
    return caught.value


def money(value: str) -> Decimal:
    return Decimal(value)


# ------------------------------------------------------------------------- registry


def test_every_action_but_wait_has_a_service() -> None:
    assert set(SERVICES) == set(CATALOGUE) - {"wait"}


def test_refused_helper_detects_a_change() -> None:
    w = build_world()
    before = w.dump()
    with w.factory() as s:
        s.add(Structure(key="autre", kind="cabinet_medical", name="Autre", services=[]))
        s.commit()
    assert w.dump() != before


def test_every_message_template_formats() -> None:
    for templates, render in (
        (REFUSAL_TEMPLATES, refusal_message),
        (WARNING_TEMPLATES, warning_message),
    ):
        for code, template in templates.items():
            names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            params: dict[str, Any] = {name: date(2026, 3, 2) for name in names}
            text = render(code, params)
            assert text and "{" not in text, code
            if names:
                assert "2 mars 2026" in text, code
