"""A keyboard driver for the desk, patients and insurance modules (tests only).

It turns an action of a scenario solution into the keys a trainee would press: the
modules' bindings, the arrows in lists, text typed in inputs. Nothing is performed
behind the UI's back: every action reaches the engine because the UI built it from
those keys. The driver only *reads* the UI's state (which row holds a patient, which
option a document is) to know how many times to press an arrow.

Keys are sent to the app's driver like :meth:`textual.pilot.Pilot.press` does, but a
batch of keys that stays in one widget (the characters of a text, the arrows in a list)
is sent at once and waited for once: ``Pilot.press`` waits ~64 ms after every key, which
would make a replay of a whole solution take minutes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Select

from simsec.actions.catalogue import CATALOGUE
from simsec.services import readmodels
from simsec.ui.labels import DESK_DOCUMENT_KINDS, OUTCOME_LABELS, QUESTION_LABELS
from simsec.ui.modules import MODULES, ModuleSpec
from simsec.ui.screens.insurance import VITALE_KINDS, InsuranceModule
from simsec.ui.screens.patients import (
    IDENTITY_MEASURES,
    INSI_MODES,
    SEARCH_FIELDS,
    PatientsModule,
    focused_patient,
)
from simsec.ui.screens.workspace import WorkspaceScreen
from simsec.ui.widgets.choice_dialogs import presented_documents
from simsec.ui.widgets.coverage_form import (
    COVERAGE_FIELDS,
    EXEMPTIONS,
    PAYMENT_METHODS,
    REGIMES,
    TIERS_PAYANT,
)
from simsec.ui.widgets.identity_form import FORM_FIELDS

#: The modules of these tests: the app's own registry (the patients and insurance
#: modules are registered there; a test against a copy could not catch a bad entry).
IDENTITY_MODULES: tuple[ModuleSpec, ...] = MODULES

#: The actions the driver can express with the keyboard.
DRIVEN = frozenset(
    {
        "attend",
        "ask",
        "request_document",
        "say",
        "end_interaction",
        "search_patients",
        "create_patient",
        "update_patient",
        "check_identity_document",
        "call_insi",
        "flag_identity",
        "report_identity_issue",
        "attach_document",
        "read_vitale",
        "check_rights",
        "set_coverage",
        "bill",
        "record_payment",
        "wait",
    }
)


_COVERAGE_DATES = frozenset({"rights_from", "rights_until", "valid_from", "valid_until"})


class DriverError(AssertionError):
    """The action cannot be expressed with the UI (the test fails with the reason)."""


def key_event(key: str) -> events.Key:
    """The key event of ``key`` (a key name such as ``enter`` or ``ctrl+s``, or a
    character), as a terminal would send it."""
    if len(key) == 1:
        name = key if key.isalnum() else _character_to_key(key)
        return events.Key(name, key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = None
    return events.Key(key, char)


def date_text(value: Any) -> str:
    """A date as the trainee types it: ``JJ/MM/AAAA``."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    assert isinstance(value, date)
    return value.strftime("%d/%m/%Y")


class KeyDriver:
    """Plays actions with the keyboard in a running :class:`~simsec.ui.app.SimsecApp`."""

    def __init__(self, pilot: Pilot[Any]) -> None:
        self.pilot = pilot
        self.app = pilot.app

    # ------------------------------------------------------------------ keys

    async def send(self, *keys: str) -> None:
        """Send ``keys`` in order, then wait until the app is idle."""
        driver = self.app._driver
        assert driver is not None
        for key in keys:
            event = key_event(key)
            event.set_sender(self.app)
            driver.send_message(event)
        await self.pilot.pause()

    async def until(self, condition: Callable[[], bool], what: str) -> None:
        """Wait (a few frames at most) until ``condition`` holds: a dialog is mounted and
        focused, a module is shown."""
        for _ in range(200):
            if condition():
                return
            await self.pilot.pause(0.01)
        raise DriverError(f"{what}: focus on {self.app.focused!r}, screen {self.app.screen!r}")

    async def focused(self, kind: type[Any]) -> None:
        await self.until(lambda: isinstance(self.app.focused, kind), f"no {kind.__name__} focused")

    async def type(self, text: str) -> None:
        """Type ``text`` in the focused input (after emptying it)."""
        current = getattr(self.app.focused, "value", "")
        if current:
            await self.send("end", *["backspace"] * len(current))
        if text:
            await self.send(*text)

    async def select(self, index: int) -> None:
        """Choose the ``index``-th option of the focused ``Select`` (blank included)."""
        await self.focused(Select)
        await self.send("enter")
        await self.until(lambda: not isinstance(self.app.focused, Select), "select not opened")
        await self.send("home", *["down"] * index, "enter")
        await self.focused(Select)

    async def pick(self, index: int) -> None:
        """Choose the ``index``-th option of the focused option list."""
        await self.focused(OptionList)
        await self.send("home", *["down"] * index, "enter")

    # ------------------------------------------------------------------ state

    @property
    def workspace(self) -> WorkspaceScreen:
        for screen in self.app.screen_stack:
            if isinstance(screen, WorkspaceScreen):
                return screen
        raise DriverError("no workspace")

    @property
    def session(self) -> Any:
        return self.workspace.session

    def patients(self) -> PatientsModule:
        return self.workspace.query_one(PatientsModule)

    def insurance(self) -> InsuranceModule:
        return self.workspace.query_one(InsuranceModule)

    async def module(self, key: str, *, refresh: bool = False) -> None:
        """Show the module of ``key`` (pressing its key again refreshes it)."""
        active = self.workspace.active_module()
        spec = next((spec for spec in IDENTITY_MODULES if spec.key == key), None)
        if refresh or active is None or spec is None or spec.id != active.MODULE_ID:
            await self.send(key)

    # ------------------------------------------------------------------ time

    async def advance_to(self, moment: datetime) -> None:
        """Let scenario time pass until ``moment`` (the clock of the run, as the
        workspace's ticker moves it in live play)."""
        now = self.session.now
        if moment > now:
            self.session.advance(moment - now)
            await self.module("f2", refresh=True)  # the desk shows who arrived meanwhile

    # ------------------------------------------------------------------ actions

    async def play(self, record: Mapping[str, Any]) -> None:
        """Play the ``action`` record of a headless run (references resolved to keys),
        at its scenario time."""
        await self.advance_to(datetime.fromisoformat(str(record["t"])))
        do = str(record["do"])
        handler = getattr(self, f"do_{do}", None)
        if handler is None or do not in DRIVEN:
            raise DriverError(f"no keys for {do}")
        if do != "wait":
            await handler(record.get("with") or {})

    # desk

    def _waiting_index(self, person: str) -> int:
        keys = [p.key for p in self.session.journal.waiting()]
        if person not in keys:
            raise DriverError(f"{person} is not waiting")
        return keys.index(person)

    async def _attended(self, person: str) -> None:
        """``person`` must be the one attended; a person on hold is come back to with
        the queue (Ctrl+F, Enter on them), as a trainee would after a call."""
        journal = self.session.journal
        if journal.attending == person:
            return
        if not journal.on_hold(person):
            raise DriverError(f"{person} is not the person attended")
        await self.module("f2")
        index = self._waiting_index(person)
        await self.send("ctrl+f")
        await self.pick(index)
        if journal.attending != person:
            raise DriverError(f"could not come back to {person}")

    async def do_attend(self, fields: Mapping[str, Any]) -> None:
        await self.module("f2")
        index = self._waiting_index(str(fields["person"]))
        await self.send("ctrl+f")
        await self.pick(index)

    async def do_ask(self, fields: Mapping[str, Any]) -> None:
        await self._attended(str(fields["person"]))
        await self.module("f2")
        await self.send("ctrl+o")
        await self.pick(list(QUESTION_LABELS).index(str(fields["question"])))
        if fields["question"] == "free":
            await self.focused(Input)
            await self.type(str(fields["keyword"]))
            await self.send("enter")

    async def do_request_document(self, fields: Mapping[str, Any]) -> None:
        await self._attended(str(fields["person"]))
        await self.module("f2")
        # Ctrl+D is also "delete" in an input (the say input): leave it first
        await self.send("ctrl+o")
        await self.send("ctrl+d")
        await self.pick(DESK_DOCUMENT_KINDS.index(str(fields["kind"])))

    async def do_say(self, fields: Mapping[str, Any]) -> None:
        await self._attended(str(fields["person"]))
        await self.module("f2")
        await self.send("ctrl+s")
        await self.type(str(fields["text"]))
        await self.send("enter")

    async def do_end_interaction(self, fields: Mapping[str, Any]) -> None:
        await self._attended(str(fields["person"]))
        await self.module("f2")
        await self.send("ctrl+t")
        await self.focused(OptionList)
        if fields.get("note"):
            await self.send("shift+tab")
            await self.focused(Input)
            await self.type(str(fields["note"]))
            await self.send("enter")
        await self.pick(list(OUTCOME_LABELS).index(str(fields["outcome"])))

    # patients

    async def _search_inputs(self, values: Mapping[str, str]) -> None:
        """Fill the search inputs (the others emptied); the focus stays on the last."""
        await self.module("f3")
        await self.send("ctrl+f")
        for i, (name, _placeholder) in enumerate(SEARCH_FIELDS):
            await self.type(values.get(name, ""))
            if i < len(SEARCH_FIELDS) - 1:
                await self.send("tab")

    async def do_search_patients(self, fields: Mapping[str, Any]) -> None:
        if fields.get("text"):
            raise DriverError("the search screen has no free-text input")
        values = {
            name: date_text(value) if name == "birth_date" else str(value)
            for name, value in fields.items()
            if value is not None
        }
        await self._search_inputs(values)
        await self.send("enter")

    async def open_patient(self, key: str) -> None:
        """Open the record ``key`` from the results shown, or from the run's records."""
        await self.module("f3")
        if focused_patient(self.session) == key:
            return
        module = self.patients()
        if key not in module.records_shown:
            await self._search_inputs({})
        if key not in module.records_shown:
            raise DriverError(f"{key} is neither in the results nor among the run's records")
        await self.send("ctrl+l")
        await self.focused(DataTable)
        table = self.app.focused
        assert isinstance(table, DataTable)
        delta = module.records_shown.index(key) - table.cursor_row
        await self.send(*(["down"] * delta if delta > 0 else ["up"] * -delta), "enter")
        if focused_patient(self.session) != key:
            raise DriverError(f"{key} could not be opened")

    async def _fill_identity(self, values: Mapping[str, str | None]) -> None:
        """Type ``values`` in the identity form (the others left as they are), going no
        further with Tab than the last input to change; save."""
        form = self.patients().query_one("#pat-form")
        changes = [
            i
            for i, spec in enumerate(FORM_FIELDS)
            if spec.name in values
            and form.query_one(f"#identity-{spec.name}", Input).value != (values[spec.name] or "")
        ]
        last = max(changes, default=-1)
        for i in range(last + 1):
            if i in changes:
                await self.type(values[FORM_FIELDS[i].name] or "")
            if i < last:
                await self.send("tab")
        await self.send("ctrl+s")

    @staticmethod
    def _identity_texts(fields: Mapping[str, Any]) -> dict[str, str | None]:
        texts: dict[str, str | None] = {}
        for name, value in fields.items():
            if name == "address":
                address = value or {}
                texts["address_line"] = address.get("line")
                texts["postcode"] = address.get("postcode")
                texts["city"] = address.get("city")
            elif value is None:
                texts[name] = None
            elif name == "first_names":
                texts[name] = " ".join(value)
            elif name == "birth_date":
                texts[name] = date_text(value)
            else:
                texts[name] = str(value)
        return texts

    async def do_create_patient(self, fields: Mapping[str, Any]) -> None:
        await self.module("f3")
        await self.send("ctrl+b")
        texts = {spec.name: "" for spec in FORM_FIELDS}
        texts.update({k: v or "" for k, v in self._identity_texts(fields).items()})
        await self._fill_identity(texts)

    async def do_update_patient(self, fields: Mapping[str, Any]) -> None:
        await self.open_patient(str(fields["patient"]))
        await self.send("ctrl+r")
        await self._fill_identity(self._identity_texts(fields["set"]))

    def _document_index(self, key: str, prefer: Sequence[str] = ()) -> int:
        keys = [card.key for _person, card in presented_documents(self.session.journal, prefer)]
        if key not in keys:
            raise DriverError(f"document {key} was not handed over")
        return keys.index(key)

    async def do_check_identity_document(self, fields: Mapping[str, Any]) -> None:
        await self.open_patient(str(fields["patient"]))
        index = self._document_index(str(fields["document"]))
        await self.send("ctrl+o")
        await self.pick(index)

    async def do_attach_document(self, fields: Mapping[str, Any]) -> None:
        await self.open_patient(str(fields["patient"]))
        index = self._document_index(str(fields["document"]))
        await self.send("ctrl+y")
        await self.pick(index)

    async def do_call_insi(self, fields: Mapping[str, Any]) -> None:
        await self.open_patient(str(fields["patient"]))
        await self.send("ctrl+g")
        await self.pick([mode for mode, _label in INSI_MODES].index(str(fields["mode"])))

    async def do_flag_identity(self, fields: Mapping[str, Any]) -> None:
        await self.open_patient(str(fields["patient"]))
        measure = f"{fields['attribute']}:{'on' if fields['on'] else 'off'}"
        await self.send("ctrl+t")
        await self.pick([m for m, _label in IDENTITY_MEASURES].index(measure))

    async def do_report_identity_issue(self, fields: Mapping[str, Any]) -> None:
        first, *others = [str(key) for key in fields["patients"]]
        await self.open_patient(first)
        candidates = [key for key, _label in self.patients().report_candidates(exclude=first)]
        missing = [key for key in others if key not in candidates]
        if missing:
            raise DriverError(f"{missing} cannot be named in the report")
        await self.send("ctrl+t")
        await self.pick([m for m, _label in IDENTITY_MEASURES].index(f"report:{fields['kind']}"))
        await self.send("tab")
        for key in others:
            await self.send("home", *["down"] * candidates.index(key), "space")
        await self.send("tab")
        await self.type(str(fields.get("note") or ""))
        await self.send("ctrl+s")

    # insurance

    async def do_read_vitale(self, fields: Mapping[str, Any]) -> None:
        await self.open_patient(str(fields["patient"]))
        index = self._document_index(str(fields["document"]), VITALE_KINDS)
        await self.module("f4")
        await self.send("ctrl+l")
        await self.pick(index)

    async def do_check_rights(self, fields: Mapping[str, Any]) -> None:
        await self.open_patient(str(fields["patient"]))
        await self.module("f4")
        await self.send("ctrl+r")

    async def do_set_coverage(self, fields: Mapping[str, Any]) -> None:
        await self.open_patient(str(fields["patient"]))
        await self.module("f4")
        form = self.insurance().query_one("#ins-form")
        amo: Mapping[str, Any] = fields.get("amo") or {}
        amc: Mapping[str, Any] = fields.get("amc") or {}
        values: dict[str, Any] = {**amo, **amc}
        wanted: dict[str, Any] = {}
        for name, _label, kind in COVERAGE_FIELDS:
            value = values.get(name)
            if name == "regime":
                wanted[name] = str(value) if amo else Select.BLANK
            elif name == "exemption":
                wanted[name] = str(value or "none")
            elif kind == "checkbox":
                wanted[name] = bool(value)
            elif name in _COVERAGE_DATES and value:
                wanted[name] = date_text(value)
            else:
                wanted[name] = "" if value is None else str(value)
        changes = [
            i
            for i, (name, _label, _kind) in enumerate(COVERAGE_FIELDS)
            if form.query_one(f"#cov-{name}").value != wanted[name]  # type: ignore[attr-defined]
        ]
        await self.send("ctrl+o")
        last = max(changes, default=-1)
        for i in range(last + 1):
            name, _label, kind = COVERAGE_FIELDS[i]
            if i in changes:
                if name == "regime":
                    regime = wanted[name]
                    await self.select(0 if regime is Select.BLANK else REGIMES.index(regime) + 1)
                elif name == "exemption":
                    await self.select(EXEMPTIONS.index(wanted[name]))
                elif kind == "checkbox":
                    await self.send("space")
                else:
                    await self.type(wanted[name])
            if i < last:
                await self.send("tab")
        await self.send("ctrl+s")

    async def do_bill(self, fields: Mapping[str, Any]) -> None:
        db = self.session.run.db
        target = fields.get("appointment") or fields.get("admission")
        owner = readmodels.owner_of(
            db, appointment=fields.get("appointment"), admission=fields.get("admission")
        )
        if owner is None:
            raise DriverError(f"nobody to bill for {target}")
        await self.open_patient(owner)
        await self.module("f4")
        keys = [item.key for item in self.insurance().billables]
        if target not in keys:
            raise DriverError(f"{target} is not billable")
        await self.send("ctrl+b")
        await self.pick(keys.index(str(target)))
        await self.type(" ".join(fields["acts"]))
        await self.send("tab")
        await self.select(TIERS_PAYANT.index(str(fields["tiers_payant"])) + 1)
        await self.send("ctrl+s")

    async def do_record_payment(self, fields: Mapping[str, Any]) -> None:
        owner = readmodels.owner_of(self.session.run.db, invoice=str(fields["invoice"]))
        if owner is None:
            raise DriverError(f"no invoice {fields['invoice']}")
        await self.open_patient(owner)
        await self.module("f4")
        keys = [invoice.key for invoice in self.insurance().invoices]
        await self.send("ctrl+y")
        await self.pick(keys.index(str(fields["invoice"])))
        amount = fields["amount"]
        await self.type(f"{Decimal(str(amount)):.2f}".replace(".", ","))
        await self.send("tab")
        await self.select(PAYMENT_METHODS.index(str(fields["method"])) + 1)
        await self.send("ctrl+s")


def normalised_actions(records: Sequence[Mapping[str, Any]]) -> list[tuple[str, Any, bool]]:
    """The actions of a run's records as (do, fields, accepted), the fields validated and
    stripped of their defaults (so that ``exemption: none`` typed or not compares equal);
    ``wait`` left out (the UI lets time pass without an action)."""
    found: list[tuple[str, Any, bool]] = []
    for record in records:
        if record.get("kind") != "action" or record.get("do") == "wait":
            continue
        do = str(record["do"])
        with_ = record.get("with") or {}
        try:
            fields: Any = (
                CATALOGUE[do]
                .fields.model_validate(with_)
                .model_dump(by_alias=True, exclude_defaults=True)
            )
        except Exception:  # an invalid action is compared as logged
            fields = with_
        found.append((do, fields, bool((record.get("result") or {}).get("ok"))))
    return found


#: The scenario of the patients and insurance tests (a mother, her daughter on her carte
#: Vitale, a close homonym, a registry entry that differs from the record).
IDENTITY_SCENARIO = Path(__file__).parent / "data_identity" / "identite.yaml"


def actions_of(app: Any) -> list[tuple[str, dict[str, Any], bool]]:
    """The actions of the running run: (do, with, accepted)."""
    screen = next(s for s in app.screen_stack if isinstance(s, WorkspaceScreen))
    return [
        (r["do"], r["with"], bool(r["result"]["ok"]))
        for r in screen.session.run.records
        if r["kind"] == "action"
    ]


def views_of(app: Any) -> list[tuple[str, str]]:
    """The ``view`` records of the running run: (entity, key)."""
    screen = next(s for s in app.screen_stack if isinstance(s, WorkspaceScreen))
    return [(r["entity"], r["key"]) for r in screen.session.run.records if r["kind"] == "view"]


def rendered(widget: Any) -> str:
    """The plain text a Static shows."""
    from rich.console import Console

    text = getattr(widget, "text", None)
    if isinstance(text, str):
        return text
    console = Console(width=200, record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()
