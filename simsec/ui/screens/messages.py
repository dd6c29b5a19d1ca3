"""Messages and letters (PRODUCT.md §2.1 messages, §2.7 letters).

The inbox (the messages the scenario sends: practitioners, services, patients), the
outbox (the messages the desk sent: ``send_message``) and the letters (``write_letter``
from a template filled from the record and edited, then ``send_letter``). One list, by
section, the body of the highlighted item beside it.

Keys: ``n`` new message, ``r`` reply to the message shown, ``l`` new letter, ``k``
rewrite the letter shown (a new draft with its values), ``e`` send the letter shown,
``m`` edit the draft shown (its recipient, subject and text: ``edit_letter``), ``x`` or
``Suppr`` discard it after a confirmation (``discard_letter``: it stays listed, marked
abandoned). A sent or discarded letter cannot be edited: the screen says so.
Other modules open the same message form (:func:`compose_message`: the agenda tells the
patients concerned by a change) and the same letter editor (:func:`write_letter`: the
access module's acknowledgement of receipt).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from simsec.i18n import N_, _, format_datetime
from simsec.services import readmodels_planning as rm
from simsec.ui.screens.dialogs import ConfirmDialog
from simsec.ui.screens.record import PlanningModule
from simsec.ui.widgets.form_dialog import FormDialog, FormField
from simsec.ui.widgets.letter_editor import LetterDraft, LetterEditor
from simsec.ui.widgets.picker import PickerOption

if TYPE_CHECKING:
    from simsec.ui.session import PlaySession
    from simsec.ui.views import InboxMessage

__all__ = ["MessagesModule", "compose_message", "recipient_options", "write_letter"]


#: A letter's ``status`` values (:mod:`simsec.services.documents`).
_SENT = "sent"
_DISCARDED = "dropped"


def _when(value: Any) -> str:
    return format_datetime(value, "dd/MM HH:mm") if value is not None else "—"


def _letter_state(letter: rm.LetterView) -> tuple[str, str]:
    """The state of a letter as listed, and its colour."""
    if letter.status == _SENT:
        return _("envoyé"), "green"
    if letter.status == _DISCARDED:
        return _("abandonné"), "red"
    return _("brouillon"), "yellow"


def recipient_options(module: PlanningModule) -> list[PickerOption]:
    """Who a message can go to: the practitioners, the structure's services, and the
    people of the scenario (patients reached by phone or SMS, relatives, partners)."""
    options: list[PickerOption] = [
        (p.key, _("{name} · praticien").format(name=p.name)) for p in rm.practitioners(module.db)
    ]
    options.extend(
        (s, _("Service : {name}").format(name=s)) for s in rm.structure_services(module.db)
    )
    patients = {p.key: p.patient for p in module.session.scenario.people if p.patient}
    labels = rm.patient_labels(module.db, [k for k in patients.values() if k])
    for person in module.session.scenario.people:
        patient = patients.get(person.key)
        name = person.name or (labels[patient].name if patient in labels else person.key)
        options.append((person.key, _("{name} · {role}").format(name=name, role=person.role)))
    return options


def _person_patient(module: PlanningModule, recipient: str | None) -> str | None:
    return next(
        (p.patient for p in module.session.scenario.people if p.key == recipient and p.patient),
        None,
    )


def compose_message(
    module: PlanningModule,
    *,
    to: str | None = None,
    patient: str | None = None,
    subject: str = "",
    body: str = "",
    title: str = "",
) -> None:
    """The form of ``send_message`` (to, patient, subject, body), prefilled."""

    def patients_for(values: Mapping[str, Any]) -> list[PickerOption]:
        linked = _person_patient(module, values.get("to"))
        return module.patient_options([linked, patient])

    def submit(values: dict[str, Any]) -> str | None:
        chosen = values.get("patient")
        feedback = module.act(
            "send_message",
            {
                "to": values["to"],
                "subject": values["subject"],
                "body": values.get("body") or "",
                "patient": chosen,
            },
        )
        if feedback.ok:
            module.notify(_("Message envoyé à {to}.").format(to=values["to"]))
        return module.refusal(feedback)

    fields = [
        FormField(
            "to",
            _("Destinataire"),
            "choice",
            default=to,
            required=True,
            options=recipient_options(module),
            allow_free=True,
            help=_("Un praticien, un service, ou la personne à prévenir (patient, proche)."),
        ),
        FormField(
            "patient",
            _("Patient concerné"),
            "choice",
            default=patient,
            options=module.patient_options([patient]),
            options_for=patients_for,
            allow_free=True,
            help=_("Le patient de la personne choisie est proposé en premier."),
        ),
        FormField("subject", _("Objet"), default=subject, required=True),
        FormField("body", _("Message"), "area", default=body),
    ]
    module.app.push_screen(
        FormDialog(
            title or _("Nouveau message"),
            fields,
            submit,
            today=module.today,
            submit_label=_("Envoyer (Ctrl+S)"),
            dialog_id="message-form",
        )
    )


def write_letter(
    module: PlanningModule,
    *,
    template: str | None = None,
    to: str = "",
    patient: str | None = None,
    fields: dict[str, str] | None = None,
    on_written: Any = None,
) -> None:
    """The letter editor; Ctrl+S performs ``write_letter`` (a draft to send)."""

    def preview(template_key: str, recipient: str, who: str | None, overrides: Any) -> Any:
        return rm.letter_preview(module.db, module.now, template_key, recipient, who, overrides)

    def submit(draft: LetterDraft) -> str | None:
        feedback = module.act(
            "write_letter",
            {
                "template": draft.template,
                "to": draft.to,
                "patient": draft.patient,
                "fields": dict(draft.fields) or None,
            },
        )
        if feedback.ok:
            module.notify(_("Courrier rédigé (brouillon) : envoyez-le depuis Messages (E)."))
            if on_written is not None:
                on_written(str(feedback.result.get("key")))
        return module.refusal(feedback)

    module.app.push_screen(
        LetterEditor(
            rm.letter_templates(),
            module.patient_options([patient]),
            preview,
            submit,
            template=template,
            to=to,
            patient=patient,
            fields=fields,
        )
    )


class MessagesModule(PlanningModule):
    """Messages and letters (see the module docstring)."""

    MODULE_ID = "messages"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_message", N_("Nouveau message"), id="messages.new"),
        Binding("r", "reply", N_("Répondre"), id="messages.reply"),
        Binding("l", "new_letter", N_("Nouveau courrier"), id="messages.letter"),
        Binding("k", "rewrite_letter", N_("Reprendre le courrier"), id="messages.rewrite"),
        Binding("e", "send_letter", N_("Envoyer le courrier"), id="messages.send"),
        Binding("m", "edit_letter", N_("Modifier le courrier"), id="messages.edit"),
        Binding("x,delete", "discard_letter", N_("Abandonner le brouillon"), id="messages.discard"),
    ]

    def __init__(self, session: PlaySession, *, classes: str | None = None) -> None:
        super().__init__(session, classes=classes)
        self._inbox: list[InboxMessage] = []
        self._outbox: tuple[rm.MessageView, ...] = ()
        self._letters: tuple[rm.LetterView, ...] = ()
        self._select: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="messages"):
            with Vertical(id="messages-left"):
                yield Label(_("Messages et courriers"), classes="section")
                yield OptionList(id="messages-list")
            with VerticalScroll(id="messages-right"):
                yield Static(id="messages-body")

    # ------------------------------------------------------------------ reading

    def reload(self) -> None:
        self._inbox = list(self.session.journal.inbox)
        self._outbox = rm.outbox(self.db)
        self._letters = rm.letters(self.db)
        options = self.query_one("#messages-list", OptionList)
        previous = self._select or self._highlighted_id()
        options.clear_options()
        options.add_options(self._options())
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        if previous is not None and previous in ids:
            options.highlighted = ids.index(previous)
        else:
            options.highlighted = next(
                (
                    i
                    for i in range(options.option_count)
                    if not options.get_option_at_index(i).disabled
                ),
                None,
            )
        self._select = None
        self._show_body()
        if self.display:
            self.session.mark_messages_read()

    def _options(self) -> list[Option]:
        options: list[Option] = [Option(Text(_("Reçus"), style="bold underline"), disabled=True)]
        if not self._inbox:
            options.append(Option(Text(_("Aucun message reçu."), style="dim"), disabled=True))
        for index, message in reversed(list(enumerate(self._inbox))):
            line = Text.assemble(
                (f"{message.t:%H:%M} ✉ ", "bold"), f"{message.sender} : {message.subject}"
            )
            options.append(Option(line, id=f"in-{index}"))
        options.append(Option(Text(_("Envoyés"), style="bold underline"), disabled=True))
        if not self._outbox:
            options.append(Option(Text(_("Aucun message envoyé."), style="dim"), disabled=True))
        names = self._recipient_names()
        for sent in self._outbox:
            who = names.get(sent.to, sent.to)
            line = Text.assemble((f"{_when(sent.at)} ➜ ", "bold"), f"{who} : {sent.subject}")
            options.append(Option(line, id=f"out-{sent.key}"))
        options.append(Option(Text(_("Courriers"), style="bold underline"), disabled=True))
        if not self._letters:
            options.append(Option(Text(_("Aucun courrier."), style="dim"), disabled=True))
        for letter in self._letters:
            state, colour = _letter_state(letter)
            line = Text.assemble(
                (f"{_when(letter.created_at)} ✎ ", "bold"),
                f"{letter.to[:30]} : {letter.subject[:40]} ",
                (f"[{state}]", colour),
            )
            options.append(Option(line, id=f"letter-{letter.key}"))
        return options

    def _recipient_names(self) -> dict[str, str]:
        """Recipients by key, as the message form names them (without their role)."""
        return {key: label.split(" · ")[0] for key, label in recipient_options(self)}

    def _highlighted_id(self) -> str | None:
        options = self.query_one("#messages-list", OptionList)
        if options.highlighted is None or options.option_count == 0:
            return None
        return options.get_option_at_index(options.highlighted).id

    def _selected_letter(self) -> rm.LetterView | None:
        chosen = self._highlighted_id() or ""
        if not chosen.startswith("letter-"):
            return None
        key = chosen.removeprefix("letter-")
        return next((letter for letter in self._letters if letter.key == key), None)

    def _selected_inbox(self) -> InboxMessage | None:
        chosen = self._highlighted_id() or ""
        if not chosen.startswith("in-"):
            return None
        index = int(chosen.removeprefix("in-"))
        return self._inbox[index] if 0 <= index < len(self._inbox) else None

    def _show_body(self) -> None:
        self.query_one("#messages-body", Static).update(self._body())

    def _body(self) -> RenderableType:
        chosen = self._highlighted_id() or ""
        if chosen.startswith("in-"):
            message = self._selected_inbox()
            if message is not None:
                return Group(
                    Text.assemble((_("De : "), "bold"), message.sender),
                    Text.assemble((_("Reçu à : "), "bold"), f"{message.t:%H:%M}"),
                    Text.assemble((_("Objet : "), "bold"), message.subject),
                    Text(""),
                    Text(message.body),
                )
        if chosen.startswith("out-"):
            sent = next((m for m in self._outbox if f"out-{m.key}" == chosen), None)
            if sent is not None:
                return Group(
                    Text.assemble(
                        (_("À : "), "bold"), self._recipient_names().get(sent.to, sent.to)
                    ),
                    Text.assemble((_("Envoyé le : "), "bold"), _when(sent.at)),
                    Text.assemble((_("Patient : "), "bold"), sent.patient or "—"),
                    Text.assemble((_("Objet : "), "bold"), sent.subject),
                    Text(""),
                    Text(sent.body),
                )
        letter = self._selected_letter()
        if letter is not None:
            if letter.status == _SENT:
                state = _("envoyé le {when} : il ne peut plus être modifié").format(
                    when=_when(letter.sent_at)
                )
            elif letter.status == _DISCARDED:
                state = _(
                    "abandonné : il ne peut plus être modifié ni envoyé (K pour le reprendre)"
                )
            else:
                state = _(
                    "brouillon : E pour l'envoyer, M pour le modifier, X pour l'abandonner, "
                    "K pour le reprendre"
                )
            return Group(
                Text.assemble((_("Courrier : "), "bold"), (state, "italic")),
                Text.assemble((_("À : "), "bold"), letter.to),
                Text.assemble((_("Objet : "), "bold"), letter.subject),
                Text(""),
                Text(letter.body),
            )
        return Text(_("N : nouveau message · L : nouveau courrier"), style="dim")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "messages-list":
            self._show_body()

    def on_module_shown(self) -> None:
        super().on_module_shown()
        self.session.mark_messages_read()
        self.query_one("#messages-list").focus()

    # ------------------------------------------------------------------ actions

    def action_new_message(self) -> None:
        compose_message(self, patient=self.context_patient())

    def action_reply(self) -> None:
        message = self._selected_inbox()
        if message is None:
            self.notify(_("Choisissez d'abord un message reçu."), severity="warning")
            return
        subject = message.subject if message.subject.startswith("Re") else f"Re : {message.subject}"
        compose_message(self, to=message.sender, patient=message.patient, subject=subject)

    def _written(self, key: str) -> None:
        self._select = f"letter-{key}"
        self.refresh_view()

    def action_new_letter(self) -> None:
        write_letter(self, patient=self.context_patient(), on_written=self._written)

    def action_rewrite_letter(self) -> None:
        letter = self._selected_letter()
        if letter is None:
            self.notify(_("Choisissez d'abord un courrier."), severity="warning")
            return
        preview = rm.letter_preview(self.db, self.now, letter.template, letter.to, letter.patient)
        record = {f.name: f.from_record for f in preview.fields} if preview is not None else {}
        changed = {
            name: value
            for name, value in letter.fields
            if name in record and record[name] != value and name not in ("date",)
        }
        write_letter(
            self,
            template=letter.template,
            to=letter.to,
            patient=letter.patient,
            fields=changed,
            on_written=self._written,
        )

    def action_send_letter(self) -> None:
        letter = self._selected_letter()
        if letter is None:
            self.notify(_("Choisissez d'abord un courrier à envoyer."), severity="warning")
            return
        if letter.status == _DISCARDED:
            self.notify(self._locked(letter), severity="warning")
            return
        feedback = self.act("send_letter", {"letter": letter.key})
        if feedback.ok:
            self.notify(_("Courrier envoyé à {to}.").format(to=letter.to))
            self._select = f"letter-{letter.key}"
            self.refresh_view()

    @staticmethod
    def _locked(letter: rm.LetterView) -> str:
        """Why ``letter`` can no longer be changed."""
        if letter.status == _SENT:
            return _("Le courrier {key} a été envoyé : il ne peut plus être modifié.").format(
                key=letter.key
            )
        return _(
            "Le courrier {key} a été abandonné : il ne peut plus être modifié ni envoyé."
        ).format(key=letter.key)

    def _draft(self, what: str) -> rm.LetterView | None:
        """The draft highlighted, or None after telling why there is none."""
        letter = self._selected_letter()
        if letter is None:
            self.notify(what, severity="warning")
            return None
        if letter.status in (_SENT, _DISCARDED):
            self.notify(self._locked(letter), severity="warning")
            return None
        return letter

    def action_edit_letter(self) -> None:
        """The draft's recipient, subject and text, pre-filled; Ctrl+S: ``edit_letter``
        with what changed."""
        letter = self._draft(_("Choisissez d'abord un brouillon de courrier à modifier."))
        if letter is None:
            return

        def submit(values: dict[str, Any]) -> str | None:
            to = str(values.get("to") or "")
            texts = {
                "subject": str(values.get("subject") or ""),
                "body": str(values.get("body") or ""),
            }
            current = {"subject": letter.subject.strip(), "body": letter.body.strip()}
            changed = {part: text for part, text in texts.items() if text != current[part]}
            if to == letter.to and not changed:
                return _("Rien n'a changé : modifiez le courrier, ou Échap pour fermer.")
            feedback = self.act(
                "edit_letter",
                {
                    "letter": letter.key,
                    "fields": changed or None,
                    "to": to if to != letter.to else None,
                },
            )
            if feedback.ok:
                self.notify(_("Courrier {key} modifié.").format(key=letter.key))
                self._select = f"letter-{letter.key}"
                self.refresh_view()
            return self.refusal(feedback)

        fields = [
            FormField("to", _("Destinataire (nom et adresse)"), default=letter.to, required=True),
            FormField("subject", _("Objet"), default=letter.subject, required=True),
            FormField("body", _("Texte du courrier"), "area", default=letter.body, required=True),
        ]
        self.app.push_screen(
            FormDialog(
                _("Modifier le brouillon {key}").format(key=letter.key),
                fields,
                submit,
                today=self.today,
                intro=_("Le brouillon, tel qu'il sera envoyé : corrigez-le puis Ctrl+S."),
                submit_label=_("Enregistrer (Ctrl+S)"),
                dialog_id="letter-edit-form",
            )
        )

    def action_discard_letter(self) -> None:
        """Discard the draft shown (``discard_letter``), after a confirmation."""
        letter = self._draft(_("Choisissez d'abord un brouillon de courrier à abandonner."))
        if letter is None:
            return

        def confirmed(answer: object) -> None:
            if answer is not True:
                return
            feedback = self.act("discard_letter", {"letter": letter.key})
            if feedback.ok:
                self.notify(_("Brouillon {key} abandonné.").format(key=letter.key))
                self._select = f"letter-{letter.key}"
                self.refresh_view()

        question = _(
            "Abandonner le brouillon {key} (« {subject} ») ? Il restera dans la liste, "
            "mais ne pourra plus être envoyé ni modifié."
        ).format(key=letter.key, subject=letter.subject)
        self.app.push_screen(ConfirmDialog(question), confirmed)
