"""The agenda and team planning module (PRODUCT.md §2.4; SAMA.1.2, SAMS.1.5, SAMS.2.2).

Views: a day for every practitioner (``j``, the default), a week (``s``), for every
practitioner or one (``t`` toggles, ``p`` the next one); ``PgUp``/``PgDn`` the previous
or next period, ``g`` a date, ``z`` the scale. Appointments are coloured by type and
status, absences and meetings shown (:mod:`simsec.ui.widgets.agenda_grid`).

Every change is an action, refused by the rules with their reason (no double booking,
ever: ``book_appointment`` and ``move_appointment`` lock the practitioner's agenda and
check it; the form stays open with the refusal, which the run log keeps):

- ``c`` the next free slots of a type, for one practitioner or any (``find_slots``);
  ``u`` the free slots of today for an urgency: Enter on one books it as urgent
  (``urgent: true``; any free start of the day, never a double booking); Enter on a
  slot found books it;
- ``r`` book (from the cell under the cursor, a slot found, or the patient attended);
  booking a patient who is on the waiting list serves the entry; ``f`` the appointments
  of a patient;
- ``d`` move, ``x`` cancel (who cancelled and why); when either frees a slot the
  waiting list could take, the waiting patients are offered it (Enter books it for the
  one chosen, Escape leaves it free); ``a`` arrived, ``n`` no-show (✓ and ✗ in the
  grid), ``l`` waiting list;
- ``b`` an absence, ``e`` a meeting (participants, room);
- ``m`` a message to the people concerned by the last change; ``o`` the patient record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from simsec.i18n import N_, _, format_date, ngettext, upper_first
from simsec.services import readmodels_planning as rm
from simsec.texts.services import appointment_status_label
from simsec.ui.screens.messages import compose_message
from simsec.ui.screens.record import CANCELLED_BY_LABELS, PlanningModule
from simsec.ui.widgets.agenda_grid import AgendaGrid, GridModel, build_grid
from simsec.ui.widgets.date_entry import day_text, moment_text
from simsec.ui.widgets.form_dialog import FormDialog, FormField, ListDialog
from simsec.ui.widgets.picker import PickerOption
from simsec.ui.widgets.slot_list import FoundSlot, SlotList, slots_from_result

if TYPE_CHECKING:
    from simsec.ui.session import PlaySession

__all__ = ["AgendaModule"]

#: The scales of the grid, in minutes per row (``z`` cycles through them).
STEPS: Final = (10, 15, 30, 5)
_CANCELLED_BY: Final[Mapping[str, str]] = CANCELLED_BY_LABELS
_END_OF_DAY: Final = time(23, 59)

View = Literal["day", "week"]


@dataclass(frozen=True, slots=True)
class Change:
    """The last change of the agenda, for the message to the people concerned."""

    kind: str
    """``move``, ``cancel``, ``book``, ``absence`` or ``meeting``."""
    patients: tuple[tuple[str, datetime], ...] = ()
    """The patients concerned and the (new) start of their appointment."""
    practitioners: tuple[str, ...] = ()
    start: datetime | None = None
    text: str = ""


class AgendaModule(PlanningModule):
    """The agenda (see the module docstring)."""

    MODULE_ID = "agenda"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "view('day')", N_("Jour"), id="agenda.day"),
        Binding("s", "view('week')", N_("Semaine"), id="agenda.week"),
        Binding("t", "toggle_scope", N_("Tous / un praticien"), id="agenda.scope"),
        Binding(
            "p",
            "next_practitioner",
            N_("Praticien suivant"),
            id="agenda.next_practitioner",
            show=False,
        ),
        Binding("pageup", "shift(-1)", N_("Période précédente"), id="agenda.previous", show=False),
        Binding("pagedown", "shift(1)", N_("Période suivante"), id="agenda.following", show=False),
        Binding("g", "goto", N_("Aller à une date"), id="agenda.goto", show=False),
        Binding("z", "zoom", N_("Échelle"), id="agenda.zoom", show=False),
        Binding("c", "find_slots", N_("Créneaux libres"), id="agenda.find"),
        Binding("u", "urgent", N_("Urgence"), id="agenda.urgent", show=False),
        Binding("r", "book", N_("Prendre RDV"), id="agenda.book"),
        Binding(
            "f", "patient_appointments", N_("RDV d'un patient"), id="agenda.patient", show=False
        ),
        Binding("d", "move", N_("Déplacer"), id="agenda.move"),
        Binding("x", "cancel", N_("Annuler le RDV"), id="agenda.cancel"),
        Binding("a", "arrived", N_("Arrivé"), id="agenda.arrived"),
        Binding("n", "no_show", N_("Non venu"), id="agenda.no_show"),
        Binding("l", "waitlist", N_("Liste d'attente"), id="agenda.waitlist", show=False),
        Binding("b", "absence", N_("Absence"), id="agenda.absence", show=False),
        Binding("e", "meeting", N_("Réunion"), id="agenda.meeting", show=False),
        Binding("m", "notify_change", N_("Prévenir"), id="agenda.notify"),
        Binding("o", "record", N_("Dossier patient"), id="agenda.record", show=False),
    ]

    def __init__(self, session: PlaySession, *, classes: str | None = None) -> None:
        super().__init__(session, classes=classes)
        self.mode: View = "day"
        self.scope: str | None = None
        """The practitioner shown alone, or None for all of them."""
        self.shown_day: date = session.now.date()
        self.step = STEPS[0]
        self.model: GridModel | None = None
        self._practitioners: tuple[rm.PractitionerView, ...] = ()
        self._placed = False
        self._pending: str | None = None
        """An entry to put the cursor on at the next reload."""
        self._last_change: Change | None = None
        self._focus_appointment: rm.AgendaEntry | None = None
        self._picked: str | None = None
        """The appointment chosen by the patient's list (a row may hold several)."""
        self._urgent_slots = False
        """The slots listed come from ``u``: the one chosen is booked as urgent."""

    def compose(self) -> ComposeResult:
        with Vertical(id="agenda"):
            yield Static(id="agenda-title")
            yield AgendaGrid(id="agenda-grid")
            with Horizontal(id="agenda-bottom"):
                yield Static(id="agenda-detail")
                with Vertical(id="agenda-slots-box"):
                    yield Label(
                        _("Créneaux trouvés (Entrée : réserver)"),
                        classes="section",
                        id="agenda-slots-title",
                    )
                    yield SlotList(id="agenda-slots")
                with Vertical(id="agenda-waitlist-box"):
                    yield Label(_("Liste d'attente"), classes="section")
                    yield Static(id="agenda-waitlist")

    def on_mount(self) -> None:
        self.query_one(SlotList).clear_slots([_("C : chercher des créneaux libres.")])

    def on_module_shown(self) -> None:
        super().on_module_shown()
        self.query_one(AgendaGrid).focus()

    # ------------------------------------------------------------------ reading

    @property
    def grid(self) -> AgendaGrid:
        return self.query_one(AgendaGrid)

    def _days(self) -> tuple[date, int]:
        if self.mode == "day":
            return self.shown_day, 1
        monday = self.shown_day - timedelta(days=self.shown_day.weekday())
        shown = [p for p in self._practitioners if self.scope in (None, p.key)]
        last = 4
        for weekday in (5, 6):
            if any(any(day == weekday for day, _r in p.hours) for p in shown):
                last = weekday
        return monday, last + 1

    def _names(self) -> dict[str, str]:
        return {p.key: p.name for p in self._practitioners}

    def reload(self) -> None:
        self._practitioners = rm.practitioners(self.db)
        if self.scope is not None and self.scope not in self._names():
            self.scope = None
        first, days = self._days()
        keys = [self.scope] if self.scope is not None else None
        window = rm.agenda_window(self.db, first, days, keys)
        self.model = build_grid(window, step=self.step, now=self.now)
        grid = self.grid
        cursor = None
        if not self._placed:
            cursor = (0, self.model.row_of(self.now))
            self._placed = True
        grid.show(self.model, cursor=cursor)
        if self._pending is not None:
            grid.select_entry(self._pending)
            self._pending = None
        self._show_title()
        self._show_waitlist()
        self._show_detail()
        view_key = f"{first.isoformat()}/{self.mode}/{self.scope or '*'}"
        self.log_view("agenda", view_key)

    def _show_title(self) -> None:
        first, days = self._days()
        if self.mode == "day":
            period = format_date(first, "EEEE d MMMM y")
        else:
            period = _("semaine du {first} au {last}").format(
                first=format_date(first, "d MMMM"),
                last=format_date(first + timedelta(days=days - 1), "d MMMM y"),
            )
        who = (
            self._names().get(self.scope, self.scope)
            if self.scope is not None
            else _("tous les praticiens")
        )
        legend = Text.assemble(
            (upper_first(period), "bold"),
            f"  ·  {who}  ·  ",
            (_("1 ligne = {n} min").format(n=self.step), "dim"),
            "   ",
            ("✓ ", "green"),
            (_("arrivé"), "dim"),
            ("  ✗ ", "red"),
            (_("non venu"), "dim"),
            ("  ⚠ ", "bold red"),
            (_("pendant une absence"), "dim"),
            ("  ░ ", "grey70"),
            (_("absence"), "dim"),
            ("  ▤ ", "magenta"),
            (_("réunion"), "dim"),
        )
        self.query_one("#agenda-title", Static).update(legend)

    def _show_waitlist(self) -> None:
        entries = rm.waitlist(self.db)
        target = self.query_one("#agenda-waitlist", Static)
        if not entries:
            target.update(Text(_("Personne en attente."), style="dim"))
            return
        lines = Text()
        for entry in entries:
            if lines:
                lines.append("\n")
            who = self._names().get(entry.practitioner or "", _("tout praticien"))
            lines.append(f"{entry.patient_name}", style="bold")
            lines.append(f" · {entry.type_code} · {who}")
            if entry.note:
                lines.append(f" · {entry.note}", style="dim")
        target.update(lines)

    def _detail(self) -> RenderableType:
        grid = self.grid
        cell, lane, moment = grid.cell, grid.lane, grid.moment
        if cell is None or lane is None or moment is None:
            return Text(_("Aucun praticien."), style="dim")
        where = (
            f"{format_date(moment.date(), 'EEE d MMM')} {moment:%H:%M} · {lane.practitioner.name}"
        )
        entry = self._cursor_appointment() or cell.entry
        parts: list[RenderableType] = []
        if entry is None:
            if cell.kind == "closed":
                parts.append(Text.assemble((_("Fermé"), "bold"), f" · {where}"))
            else:
                parts.append(Text.assemble((_("Libre"), "bold green"), f" · {where}"))
                parts.append(
                    Text(_("R : prendre rendez-vous ici · B : absence · E : réunion"), style="dim")
                )
        elif entry.kind is rm.EntryKind.APPOINTMENT:
            minutes = lane.practitioner.type_minutes(entry.type_code or "")
            parts.append(
                Text.assemble(
                    (entry.title or _("(sans patient)"), "bold"),
                    f" · {entry.start:%H:%M}-{entry.end:%H:%M} · {entry.type_code}",
                    f" ({minutes} min)" if minutes else "",
                    f" · {lane.practitioner.name} · ",
                    (appointment_status_label(entry.status or ""), "cyan"),
                )
            )
            if entry.reason:
                parts.append(Text(_("Motif : {reason}").format(reason=entry.reason)))
            if cell.conflict:
                parts.append(
                    Text(
                        _("⚠ Pendant une absence du praticien : à déplacer ou annuler."),
                        style="bold red",
                    )
                )
            parts.append(
                Text(
                    _("D : déplacer · X : annuler · A : arrivé · N : non venu · O : dossier"),
                    style="dim",
                )
            )
        elif entry.kind is rm.EntryKind.ABSENCE:
            parts.append(
                Text.assemble(
                    (_("Absence"), "bold"),
                    f" · {lane.practitioner.name} · {entry.start:%d/%m %H:%M}",
                    f" → {entry.end:%d/%m %H:%M}",
                )
            )
            parts.append(Text(_("Motif : {reason}").format(reason=entry.title)))
        else:
            names = self._names()
            who = ", ".join(names.get(p, p) for p in entry.participants)
            parts.append(
                Text.assemble(
                    (_("Réunion : {title}").format(title=entry.title), "bold magenta"),
                    f" · {entry.start:%H:%M}-{entry.end:%H:%M}",
                    f" · {entry.room}" if entry.room else "",
                )
            )
            parts.append(Text(_("Participants : {who}").format(who=who)))
        if self.model is not None:
            others = [
                e
                for e in self.model.entries_at(*grid.cursor)
                if e.key != (entry.key if entry is not None else None)
                and e.kind is not rm.EntryKind.ABSENCE
            ]
            if others:
                parts.append(
                    Text(
                        _("Aussi sur cette ligne : {entries}").format(
                            entries=" · ".join(f"{e.start:%H:%M} {e.title}" for e in others)
                        ),
                        style="yellow",
                    )
                )
        cancelled = [
            e
            for e in (self.model.window.entries if self.model else ())
            if e.practitioner == lane.practitioner.key
            and e.kind is rm.EntryKind.APPOINTMENT
            and not e.active
            and e.start <= moment < e.end
        ]
        for e in cancelled:
            by = _(_CANCELLED_BY.get(e.cancelled_by or "", e.cancelled_by or "?"))
            parts.append(
                Text(
                    _("Annulé ici : {who} {start} (par {by} : {reason})").format(
                        who=e.title, start=f"{e.start:%H:%M}", by=by, reason=e.cancel_reason or "—"
                    ),
                    style="dim strike",
                )
            )
        return Group(*parts)

    def _show_detail(self) -> None:
        self.query_one("#agenda-detail", Static).update(self._detail())

    def on_agenda_grid_cursor_moved(self, event: AgendaGrid.CursorMoved) -> None:
        if self._picked is not None and self.model is not None and self.model.lanes:
            here = {e.key for e in self.model.entries_at(*self.grid.cursor)}
            if self._picked not in here:
                self._picked = None
        entry = self._cursor_appointment()
        if entry is not None:
            self._focus_appointment = entry
        if self.is_mounted:
            self._show_detail()

    # ------------------------------------------------------------------ navigation

    def action_view(self, view: str) -> None:
        self.mode = "week" if view == "week" else "day"
        moment = self.grid.moment
        if moment is not None:
            self.shown_day = moment.date()
        self.refresh_view()

    def action_toggle_scope(self) -> None:
        lane = self.grid.lane
        if self.scope is None:
            self.scope = lane.practitioner.key if lane is not None else None
        else:
            self.scope = None
        self.refresh_view()

    def action_next_practitioner(self) -> None:
        keys = [p.key for p in self._practitioners]
        if not keys:
            return
        index = keys.index(self.scope) + 1 if self.scope in keys else 0
        self.scope = keys[index % len(keys)]
        self.refresh_view()

    def on_agenda_grid_period_requested(self, event: AgendaGrid.PeriodRequested) -> None:
        event.stop()
        self.action_shift(event.direction)

    def action_shift(self, direction: int) -> None:
        days = 1 if self.mode == "day" else 7
        self.shown_day += timedelta(days=days * direction)
        self.refresh_view()

    def action_zoom(self) -> None:
        self.step = STEPS[(STEPS.index(self.step) + 1) % len(STEPS)]
        moment = self.grid.moment
        self.refresh_view()
        if moment is not None and self.model is not None:
            self.grid.move_to(self.grid.cursor[0], self.model.row_of(moment))

    def action_goto(self) -> None:
        def submit(values: dict[str, Any]) -> str | None:
            self.shown_day = values["day"]
            self.refresh_view()
            return None

        self.app.push_screen(
            FormDialog(
                _("Aller à une date"),
                [
                    FormField(
                        "day", _("Date"), "day", default=day_text(self.shown_day), required=True
                    )
                ],
                submit,
                today=self.today,
            )
        )

    def show_entry(self, key: str, day: date) -> None:
        """Show the day of ``day`` and put the cursor on the entry ``key``."""
        self.shown_day = day
        self._pending = key
        self._picked = key
        if self.scope is not None and self.model is not None:
            known = {e.practitioner for e in self.model.window.entries if e.key == key}
            if known and self.scope not in known:
                self.scope = None
        self.refresh_view()
        self.grid.focus()

    # ------------------------------------------------------------------ choices

    def _practitioner_options(self) -> list[PickerOption]:
        return [(p.key, f"{p.name} · {p.specialty}") for p in self._practitioners]

    def _type_options(self, practitioner: str | None = None) -> list[PickerOption]:
        seen: dict[str, str] = {}
        for p in self._practitioners:
            if practitioner not in (None, p.key):
                continue
            for t in p.types:
                seen.setdefault(t.code, f"{t.code} · {t.label} ({t.minutes} min)")
        return sorted(seen.items())

    def _type_field(
        self,
        default: str | None = None,
        practitioner: str | None = None,
        options_for: Callable[[Mapping[str, Any]], Sequence[PickerOption]] | None = None,
    ) -> FormField:
        """The appointment type of a form (the types of ``practitioner``, or of all)."""
        return FormField(
            "type",
            _("Type de rendez-vous"),
            "choice",
            default=default,
            required=True,
            options=self._type_options(practitioner),
            options_for=options_for,
        )

    def _cursor_appointment(self) -> rm.AgendaEntry | None:
        """The appointment under the cursor: the one picked (``F``) when the row holds
        several, else the one the cell shows."""
        if self.model is None or not self.model.lanes:
            return None
        here = [
            e
            for e in self.model.entries_at(*self.grid.cursor)
            if e.kind is rm.EntryKind.APPOINTMENT
        ]
        picked = next((e for e in here if e.key == self._picked), None)
        if picked is not None:
            return picked
        cell = self.grid.cell
        entry = cell.entry if cell is not None else None
        return entry if entry is not None and entry.kind is rm.EntryKind.APPOINTMENT else None

    def _appointment_or_warn(self, booked_only: bool = True) -> rm.AgendaEntry | None:
        entry = self._cursor_appointment()
        if entry is None:
            self.notify(_("Placez le curseur sur un rendez-vous."), severity="warning")
            return None
        if booked_only and entry.status != "booked":
            self.notify(
                _("Ce rendez-vous est {status}.").format(
                    status=appointment_status_label(entry.status or "")
                ),
                severity="warning",
            )
        return entry

    # ------------------------------------------------------------------ slots

    def _show_slots(self, feedback_result: Mapping[str, Any]) -> tuple[FoundSlot, ...]:
        slots = slots_from_result(feedback_result)
        slot_list = self.query_one(SlotList)
        slot_list.show(slots, self._names())
        return slots

    def _find(self, fields: dict[str, Any], *, urgent: bool = False) -> str | None:
        feedback = self.act("find_slots", fields)
        if not feedback.ok:
            return self.refusal(feedback)
        self._urgent_slots = urgent
        self.query_one("#agenda-slots-title", Label).update(
            _("Créneaux du jour pour une urgence (Entrée : réserver en urgence)")
            if urgent
            else _("Créneaux trouvés (Entrée : réserver)")
        )
        slots = self._show_slots(feedback.result)
        count = len(slots)
        self.notify(
            ngettext("{n} créneau libre trouvé.", "{n} créneaux libres trouvés.", count).format(
                n=count
            )
        )
        if slots:
            self.query_one(SlotList).focus()
        return None

    def action_find_slots(self) -> None:
        lane = self.grid.lane
        type_default = None
        entry = self._focus_appointment
        if entry is not None and entry.type_code:
            type_default = entry.type_code

        def submit(values: dict[str, Any]) -> str | None:
            return self._find(
                {
                    "type": values["type"],
                    "practitioner": values.get("practitioner"),
                    "after": values.get("after"),
                    "before": values.get("before"),
                    "count": values.get("count"),
                }
            )

        fields = [
            self._type_field(type_default),
            FormField(
                "practitioner",
                _("Praticien"),
                "choice",
                default=lane.practitioner.key if lane is not None and self.scope else None,
                options=self._practitioner_options(),
                help=_("Vide : tous les praticiens qui proposent ce type."),
            ),
            FormField(
                "after", _("À partir du"), "moment", default=moment_text(self.now.replace(second=0))
            ),
            FormField("before", _("Avant le"), "moment", help=_("Vide : sans limite (3 mois).")),
            FormField("count", _("Nombre de créneaux"), "integer", placeholder="5"),
        ]
        self.app.push_screen(
            FormDialog(
                _("Chercher des créneaux libres"),
                fields,
                submit,
                today=self.today,
                dialog_id="find-slots-form",
            )
        )

    def action_urgent(self) -> None:
        def submit(values: dict[str, Any]) -> str | None:
            end = datetime.combine(self.today, _END_OF_DAY)
            outcome = self._find(
                {
                    "type": values["type"],
                    "practitioner": values.get("practitioner"),
                    "after": self.now.replace(second=0, microsecond=0),
                    "before": end,
                    "count": 3,
                },
                urgent=True,
            )
            if outcome is None and not self.query_one(SlotList).slots:
                self.notify(
                    _(
                        "Aucun créneau libre aujourd'hui : voyez avec un médecin "
                        "pour un créneau d'urgence."
                    ),
                    severity="warning",
                    timeout=8,
                )
            return outcome

        fields = [
            self._type_field(),
            FormField(
                "practitioner",
                _("Praticien"),
                "choice",
                options=self._practitioner_options(),
                help=_("Vide : le premier praticien libre."),
            ),
        ]
        self.app.push_screen(
            FormDialog(_("Créneau urgent aujourd'hui"), fields, submit, today=self.today)
        )

    def on_slot_list_slot_chosen(self, event: SlotList.SlotChosen) -> None:
        event.stop()
        self.action_book(event.slot, urgent=self._urgent_slots)

    # ------------------------------------------------------------------ booking

    def action_book(
        self,
        slot: FoundSlot | None = None,
        patient: str | None = None,
        reason: str | None = None,
        urgent: bool = False,
    ) -> None:
        lane, moment = self.grid.lane, self.grid.moment
        practitioner = slot.practitioner if slot else (lane.practitioner.key if lane else None)
        start = slot.start if slot else moment
        type_default = slot.type_code if slot else None
        if type_default is None and practitioner is not None:
            types = self._type_options(practitioner)
            type_default = types[0][0] if types else None
        who = patient or self.context_patient()

        def types_for(values: Mapping[str, Any]) -> list[PickerOption]:
            return self._type_options(values.get("practitioner"))

        def submit(values: dict[str, Any]) -> str | None:
            feedback = self.act(
                "book_appointment",
                {
                    "patient": values["patient"],
                    "practitioner": values["practitioner"],
                    "type": values["type"],
                    "start": values["start"],
                    "reason": values.get("reason"),
                    "urgent": True if values.get("urgent") == "oui" else None,
                },
            )
            if feedback.ok:
                start_at = values["start"]
                self._last_change = Change(
                    "book", ((values["patient"], start_at),), (values["practitioner"],), start_at
                )
                done = (
                    _("Rendez-vous urgent pris le {when}.")
                    if values.get("urgent") == "oui"
                    else _("Rendez-vous pris le {when}.")
                )
                self.notify(done.format(when=moment_text(start_at)))
                self._tell_served(feedback.result.get("waitlist_served"))
                self.show_entry(str(feedback.result.get("key")), start_at.date())
            return self.refusal(feedback)

        fields = [
            self.patient_field(
                who, help=_("La personne attendue, une recherche faite, ou la clé du dossier.")
            ),
            FormField(
                "practitioner",
                _("Praticien"),
                "choice",
                default=practitioner,
                required=True,
                options=self._practitioner_options(),
            ),
            self._type_field(type_default, practitioner, types_for),
            FormField(
                "start",
                _("Début"),
                "moment",
                default=moment_text(start) if start else None,
                required=True,
            ),
            FormField("reason", _("Motif"), default=reason),
            FormField(
                "urgent",
                _("Urgent"),
                "choice",
                default="oui" if urgent else None,
                options=[("oui", _("Oui")), ("non", _("Non"))],
                help=_("Oui : le rendez-vous est marqué urgent dans l'agenda."),
            ),
        ]
        intro = (
            Text(
                _("Urgence : ce rendez-vous sera marqué urgent (sans double réservation)."),
                style="bold red",
            )
            if urgent
            else ""
        )
        self.app.push_screen(
            FormDialog(
                _("Prendre un rendez-vous urgent") if urgent else _("Prendre rendez-vous"),
                fields,
                submit,
                today=self.today,
                intro=intro,
                dialog_id="book-form",
            )
        )

    def _tell_served(self, served: object) -> None:
        """Say that the booking served a waiting-list entry (``waitlist_served``)."""
        if not isinstance(served, str):
            return
        entry = next((w for w in rm.waitlist(self.db, waiting_only=False) if w.key == served), None)
        name = entry.patient_name if entry is not None else served
        self.notify(
            _("{name} était en liste d'attente : son inscription est servie.").format(name=name)
        )

    def action_patient_appointments(self) -> None:
        def chosen(key: object) -> None:
            found = next((a for a in self._listed if a.key == key), None)
            if found is not None:
                self.show_entry(found.key, found.start.date())

        def listed(values: object) -> None:
            if not isinstance(values, dict):
                return
            self._listed = rm.patient_appointments(self.db, values["patient"])
            options = [
                (
                    a.key,
                    f"{a.start:%d/%m/%Y %H:%M} · {a.practitioner_name} · {a.type_code} · "
                    f"{appointment_status_label(a.status)}",
                )
                for a in self._listed
            ]
            dialog = ListDialog(
                _("Rendez-vous du patient"),
                options,
                empty=_("Aucun rendez-vous."),
                dialog_id="patient-appointments",
            )
            self.app.push_screen(dialog, chosen)

        who = self.context_patient()
        fields = [self.patient_field(who)]
        self.app.push_screen(
            FormDialog(_("Rendez-vous d'un patient"), fields, lambda _v: None, today=self.today),
            listed,
        )

    _listed: tuple[rm.AppointmentView, ...] = ()

    # ------------------------------------------------------------------ changes

    def action_move(self) -> None:
        entry = self._appointment_or_warn()
        focused = self.app.focused
        if entry is None and isinstance(focused, SlotList):
            entry = self._focus_appointment
        if entry is None or entry.status != "booked":
            return
        slot = self.query_one(SlotList).chosen if isinstance(focused, SlotList) else None
        start = slot.start if slot is not None else entry.start
        practitioner = slot.practitioner if slot is not None else entry.practitioner
        offer: list[str] = []

        def submit(values: dict[str, Any]) -> str | None:
            target = values.get("practitioner") or entry.practitioner
            feedback = self.act(
                "move_appointment",
                {
                    "appointment": entry.key,
                    "start": values["start"],
                    "practitioner": target if target != entry.practitioner else None,
                },
            )
            if feedback.ok:
                new_start: datetime = values["start"]
                patients = ((entry.patient, new_start),) if entry.patient else ()
                self._last_change = Change("move", patients, (target,), new_start)
                self.notify(
                    _("Rendez-vous déplacé au {when}. M : prévenir le patient.").format(
                        when=moment_text(new_start)
                    )
                )
                self.show_entry(entry.key, new_start.date())
                offer.extend(str(k) for k in feedback.result.get("waitlist") or [])
            return self.refusal(feedback)

        def then(values: object) -> None:
            if values is not None and offer:
                self._offer_slot(entry, offer)

        intro = Text.assemble(
            (entry.title, "bold"),
            f" · {entry.type_code} · {moment_text(entry.start)} · ",
            self._names().get(entry.practitioner, entry.practitioner),
        )
        fields = [
            FormField(
                "start", _("Nouveau début"), "moment", default=moment_text(start), required=True
            ),
            FormField(
                "practitioner",
                _("Praticien"),
                "choice",
                default=practitioner,
                options=self._practitioner_options(),
            ),
        ]
        self.app.push_screen(
            FormDialog(
                _("Déplacer le rendez-vous"),
                fields,
                submit,
                today=self.today,
                intro=intro,
                dialog_id="move-form",
            ),
            then,
        )

    def action_cancel(self) -> None:
        entry = self._appointment_or_warn()
        if entry is None or entry.status != "booked":
            return

        offer: list[str] = []

        def submit(values: dict[str, Any]) -> str | None:
            feedback = self.act(
                "cancel_appointment",
                {"appointment": entry.key, "by": values["by"], "reason": values["reason"]},
            )
            if feedback.ok:
                patients = ((entry.patient, entry.start),) if entry.patient else ()
                self._last_change = Change("cancel", patients, (entry.practitioner,), entry.start)
                self.refresh_view()
                waiting = [str(k) for k in feedback.result.get("waitlist") or []]
                offer.extend(waiting)
            return self.refusal(feedback)

        def then(values: object) -> None:
            if values is not None and offer:
                self._offer_slot(entry, offer)

        by_options = [(k, upper_first(_(v))) for k, v in _CANCELLED_BY.items()]
        intro = Text.assemble((entry.title, "bold"), f" · {moment_text(entry.start)}")
        fields = [
            FormField("by", _("Annulé par"), "choice", required=True, options=by_options),
            FormField("reason", _("Motif de l'annulation"), required=True),
        ]
        self.app.push_screen(
            FormDialog(
                _("Annuler le rendez-vous"),
                fields,
                submit,
                today=self.today,
                intro=intro,
                dialog_id="cancel-form",
            ),
            then,
        )

    def _offer_slot(self, entry: rm.AgendaEntry, waiting: Sequence[str]) -> None:
        """The slot a cancel or a move freed, offered to the waiting list (the action's
        ``waitlist`` candidates): Enter opens the booking of that slot for the patient
        chosen (``book_appointment``, which serves the entry), Escape leaves it free."""
        entries = {w.key: w for w in rm.waitlist(self.db)}
        names = self._names()
        options = [
            (
                key,
                f"{entries[key].patient_name} · {entries[key].type_code} · "
                + names.get(entries[key].practitioner or "", _("tout praticien"))
                + (f" · {entries[key].note}" if entries[key].note else ""),
            )
            for key in waiting
            if key in entries
        ]
        if not options:
            return

        def chosen(key: object) -> None:
            if isinstance(key, str) and key in entries:
                slot = FoundSlot(entry.practitioner, entry.start, entry.end, entry.type_code or "")
                self.action_book(slot, patient=entries[key].patient)

        intro = (
            _("Créneau libéré le {when} : le proposer à un patient en attente ?").format(
                when=moment_text(entry.start)
            )
            + f" ({names.get(entry.practitioner, entry.practitioner)})"
        )
        self.app.push_screen(
            ListDialog(_("Liste d'attente"), options, intro=intro, dialog_id="waitlist-offer"),
            chosen,
        )

    def _status(self, do: str) -> None:
        entry = self._appointment_or_warn(booked_only=False)
        if entry is None:
            return
        feedback = self.act(do, {"appointment": entry.key})
        if feedback.ok:
            self.refresh_view()

    def action_arrived(self) -> None:
        self._status("mark_arrived")

    def action_no_show(self) -> None:
        self._status("mark_no_show")

    def action_waitlist(self) -> None:
        who = self.context_patient()
        lane = self.grid.lane

        def submit(values: dict[str, Any]) -> str | None:
            feedback = self.act(
                "add_to_waitlist",
                {
                    "patient": values["patient"],
                    "type": values["type"],
                    "practitioner": values.get("practitioner"),
                    "note": values.get("note"),
                },
            )
            if feedback.ok:
                self.notify(_("Patient inscrit sur la liste d'attente."))
            return self.refusal(feedback)

        fields = [
            self.patient_field(who),
            self._type_field(),
            FormField(
                "practitioner",
                _("Praticien"),
                "choice",
                default=lane.practitioner.key if lane is not None and self.scope else None,
                options=self._practitioner_options(),
                help=_("Vide : n'importe lequel."),
            ),
            FormField("note", _("Disponibilités, remarque")),
        ]
        self.app.push_screen(
            FormDialog(_("Inscrire sur la liste d'attente"), fields, submit, today=self.today)
        )

    # ------------------------------------------------------------------ team planning

    def action_absence(self) -> None:
        lane = self.grid.lane
        day = lane.day if lane is not None else self.today
        openings = lane.practitioner.openings(day) if lane is not None else ()
        start = openings[0][0] if openings else datetime.combine(day, time(8, 0))
        end = openings[-1][1] if openings else datetime.combine(day, time(19, 0))

        def submit(values: dict[str, Any]) -> str | None:
            feedback = self.act(
                "add_absence",
                {
                    "practitioner": values["practitioner"],
                    "from": values["start"],
                    "to": values["end"],
                    "reason": values["reason"],
                },
            )
            if feedback.ok:
                hit = feedback.result.get("appointments") or []
                patients = tuple(
                    (str(h["patient"]), datetime.fromisoformat(str(h["start"])))
                    for h in hit
                    if h.get("patient")
                )
                self._last_change = Change(
                    "absence", patients, (values["practitioner"],), values["start"]
                )
                if hit:
                    self.notify(
                        ngettext(
                            "{n} rendez-vous pendant l'absence : à déplacer (⚠ dans l'agenda).",
                            "{n} rendez-vous pendant l'absence : à déplacer (⚠ dans l'agenda).",
                            len(hit),
                        ).format(n=len(hit)),
                        severity="warning",
                        timeout=10,
                    )
                self.shown_day = values["start"].date()
                self.refresh_view()
            return self.refusal(feedback)

        fields = [
            FormField(
                "practitioner",
                _("Praticien"),
                "choice",
                default=lane.practitioner.key if lane is not None else None,
                required=True,
                options=self._practitioner_options(),
            ),
            FormField("start", _("Du"), "moment", default=moment_text(start), required=True),
            FormField("end", _("Au"), "moment", default=moment_text(end), required=True),
            FormField("reason", _("Motif"), required=True),
        ]
        self.app.push_screen(
            FormDialog(
                _("Absence d'un praticien"),
                fields,
                submit,
                today=self.today,
                dialog_id="absence-form",
            )
        )

    def action_meeting(self) -> None:
        lane, moment = self.grid.lane, self.grid.moment

        def submit(values: dict[str, Any]) -> str | None:
            others = [n.strip() for n in (values.get("others") or "").split(",") if n.strip()]
            participants = list(values.get("participants") or []) + others
            if not participants:
                return _("Choisissez au moins un participant.")
            feedback = self.act(
                "schedule_meeting",
                {
                    "title": values["title"],
                    "participants": participants,
                    "start": values["start"],
                    "minutes": values["minutes"],
                    "room": values.get("room"),
                },
            )
            if feedback.ok:
                self._last_change = Change(
                    "meeting", (), tuple(participants), values["start"], values["title"]
                )
                self.notify(_("Réunion planifiée. M : prévenir les participants."))
                self.shown_day = values["start"].date()
                self.refresh_view()
            return self.refusal(feedback)

        fields = [
            FormField("title", _("Objet de la réunion"), required=True),
            FormField(
                "participants",
                _("Participants (Espace pour cocher)"),
                "multi",
                default=[lane.practitioner.key] if lane is not None else [],
                options=self._practitioner_options(),
            ),
            FormField("others", _("Autres participants (noms, séparés par des virgules)")),
            FormField(
                "start",
                _("Début"),
                "moment",
                default=moment_text(moment) if moment else None,
                required=True,
            ),
            FormField("minutes", _("Durée (minutes)"), "integer", default=30, required=True),
            FormField("room", _("Salle")),
        ]
        self.app.push_screen(
            FormDialog(
                _("Réunion d'équipe"), fields, submit, today=self.today, dialog_id="meeting-form"
            )
        )

    # ------------------------------------------------------------------ telling people

    def action_notify_change(self) -> None:
        change = self._last_change
        if change is None:
            compose_message(self, patient=self.context_patient())
            return
        if change.kind == "meeting":
            start = change.start or self.now
            compose_message(
                self,
                to=change.practitioners[0] if change.practitioners else None,
                subject=_("Réunion : {title}").format(title=change.text),
                body=_("Une réunion « {title} » est prévue le {day} à {time}.").format(
                    title=change.text,
                    day=format_date(start.date(), "EEEE d MMMM"),
                    time=f"{start:%H:%M}",
                ),
            )
            return
        if not change.patients:
            compose_message(self, to=change.practitioners[0] if change.practitioners else None)
            return
        patient, start = change.patients[0]
        person = next((p.key for p in self.session.scenario.people if p.patient == patient), None)
        if change.kind == "cancel":
            subject = _("Annulation de votre rendez-vous")
            body = _(
                "Bonjour, votre rendez-vous du {day} à {time} est annulé. "
                "Merci de nous rappeler pour en fixer un autre."
            )
        else:
            subject = _("Votre rendez-vous")
            body = _(
                "Bonjour, votre rendez-vous est fixé au {day} à {time}. "
                "Si cet horaire ne vous convient pas, appelez-nous."
            )
        compose_message(
            self,
            to=person,
            patient=patient,
            subject=subject,
            body=body.format(day=format_date(start.date(), "EEEE d MMMM"), time=f"{start:%H:%M}"),
            title=_("Prévenir le patient"),
        )

    def action_record(self) -> None:
        cell = self.grid.cell
        entry = cell.entry if cell is not None else None
        patient = entry.patient if entry is not None else self.context_patient()
        self.open_record(patient)
