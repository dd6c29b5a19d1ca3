"""The desk module: visitors, phone calls, messages (PRODUCT.md §2.1).

The person being attended, with what they said; the question catalogue as a quick menu
and the document requests; the documents handed over, shown as cards (fields, expiry and
the MRZ of identity documents); ``say``; ending the interaction with its outcome; the
queue of waiting visitors and ringing calls to prioritise; the messages received.
Every change is an action of the catalogue (``attend`` is performed by the workspace,
which any module may ask with :class:`~simsec.ui.messages.AttendRequested`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, OptionList, Static

from simsec.actions.catalogue import (
    Ask,
    AskFields,
    EndInteraction,
    EndInteractionFields,
    RequestDocument,
    RequestDocumentFields,
    Say,
    SayFields,
)
from simsec.i18n import N_, _
from simsec.ui.messages import DocumentChosen, QuestionChosen
from simsec.ui.screens.base import ModuleScreen
from simsec.ui.screens.dialogs import KeywordDialog, OutcomeDialog
from simsec.ui.views import PersonDesk
from simsec.ui.widgets.document_card import DocumentCardView
from simsec.ui.widgets.inbox import Inbox
from simsec.ui.widgets.menus import DocumentMenu, QuestionMenu
from simsec.ui.widgets.person_panel import PersonPanel
from simsec.ui.widgets.queue import WaitingQueue

__all__ = ["DeskModule"]


class DeskModule(ModuleScreen):
    """The front desk (see the module docstring)."""

    MODULE_ID = "desk"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+f", "focus_queue", N_("File d'attente"), id="desk.queue"),
        Binding("ctrl+o", "focus_questions", N_("Questions"), id="desk.questions"),
        # priority: Ctrl+D is also "delete right" in the say input
        Binding("ctrl+d", "focus_documents", N_("Pièces"), id="desk.documents", priority=True),
        Binding("ctrl+s", "focus_say", N_("Dire"), id="desk.say"),
        Binding("ctrl+t", "end_interaction", N_("Terminer l'échange"), id="desk.end"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="desk"):
            with Vertical(id="desk-left"):
                yield Label(_("File d'attente"), classes="section")
                yield WaitingQueue(id="desk-queue")
                yield Label(_("Messages et consignes"), classes="section")
                yield Inbox(id="desk-inbox")
                yield Static(id="desk-inbox-body")
            with Vertical(id="desk-center"):
                yield PersonPanel(id="desk-person")
                yield Input(placeholder=_("Dire à la personne… (Entrée pour dire)"), id="desk-say")
                yield Label(_("Documents remis"), classes="section")
                yield VerticalScroll(id="desk-cards")
            with Vertical(id="desk-right"):
                yield Label(_("Questions"), classes="section")
                yield QuestionMenu(id="desk-questions")
                yield Label(_("Demander une pièce"), classes="section")
                yield DocumentMenu(id="desk-document-menu")

    def on_mount(self) -> None:
        self.refresh_view()

    # ------------------------------------------------------------------ state

    @property
    def current(self) -> PersonDesk | None:
        return self.session.journal.current()

    def refresh_view(self) -> None:
        journal = self.session.journal
        self.query_one(WaitingQueue).show(journal.waiting(), journal.attending, journal.held)
        current = journal.current()
        self.query_one(PersonPanel).show(current)
        self._show_cards(current)
        self.query_one(Inbox).show(journal.inbox, journal.notes)
        if self.display:
            self.session.mark_messages_read()

    def _show_cards(self, person: PersonDesk | None) -> None:
        holder = self.query_one("#desk-cards", VerticalScroll)
        cards = person.documents if person is not None else []
        shown = [child.id for child in holder.children]
        wanted = [f"card-{card.key}" for card in cards]
        if shown == wanted:
            return
        # Removing is asynchronous: mounting cards with the same ids before the old ones
        # are gone raises DuplicateIds. Queued callbacks run one after the other, in order.
        self.call_later(self._replace_cards, holder, list(cards))

    async def _replace_cards(self, holder: VerticalScroll, cards: list[Any]) -> None:
        await holder.remove_children()
        if cards:
            await holder.mount_all(DocumentCardView(card) for card in cards)
        else:
            await holder.mount(Static(_("Aucun document remis."), classes="dim"))

    def on_module_shown(self) -> None:
        self.session.mark_messages_read()
        target = "#desk-questions" if self.current is not None else "#desk-queue"
        self.query_one(target).focus()

    # ------------------------------------------------------------------ inbox

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id != "desk-inbox" or event.option.id is None:
            return
        journal = self.session.journal
        body = ""
        if event.option.id.startswith("message-"):
            message = journal.inbox[int(event.option.id.removeprefix("message-"))]
            body = f"[b]{message.subject}[/b]\n{message.body}"
        else:
            note_id = event.option.id.removeprefix("note-")
            note = next((n for n in journal.notes if n.id == note_id), None)
            body = note.text if note is not None else ""
        self.query_one("#desk-inbox-body", Static).update(body)

    # ------------------------------------------------------------------ actions

    def _person_or_warn(self) -> PersonDesk | None:
        person = self.current
        if person is None:
            self.notify(
                _("Prenez d'abord une personne en charge (file d'attente, Entrée)."),
                severity="warning",
            )
        return person

    def on_question_chosen(self, message: QuestionChosen) -> None:
        person = self._person_or_warn()
        if person is None:
            return
        if message.question == "free":

            def ask_free(keyword: object) -> None:
                if isinstance(keyword, str):
                    self._ask(person.key, "free", keyword)

            self.app.push_screen(KeywordDialog(), ask_free)
            return
        self._ask(person.key, message.question, None)

    def _ask(self, person: str, question: str, keyword: str | None) -> None:
        data = {"person": person, "question": question}
        if keyword is not None:
            data["keyword"] = keyword
        fields = AskFields.model_validate(data)
        self.perform(Ask(do="ask", with_=fields))

    def on_document_chosen(self, message: DocumentChosen) -> None:
        person = self._person_or_warn()
        if person is None:
            return
        fields = RequestDocumentFields.model_validate({"person": person.key, "kind": message.kind})
        self.perform(RequestDocument(do="request_document", with_=fields))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "desk-say":
            return
        event.stop()
        text = event.value.strip()
        if not text:
            return
        person = self._person_or_warn()
        if person is None:
            return
        feedback = self.perform(Say(do="say", with_=SayFields(person=person.key, text=text)))
        if feedback.ok:
            event.input.value = ""

    def action_end_interaction(self) -> None:
        person = self._person_or_warn()
        if person is None:
            return

        def end(choice: object) -> None:
            if not isinstance(choice, tuple):
                return
            outcome, note = choice
            data = {"person": person.key, "outcome": outcome}
            if note:
                data["note"] = note
            fields = EndInteractionFields.model_validate(data)
            self.perform(EndInteraction(do="end_interaction", with_=fields))

        self.app.push_screen(OutcomeDialog(person.display_name()), end)

    def action_focus_queue(self) -> None:
        self.query_one("#desk-queue").focus()

    def action_focus_questions(self) -> None:
        self.query_one("#desk-questions").focus()

    def action_focus_documents(self) -> None:
        self.query_one("#desk-document-menu").focus()

    def action_focus_say(self) -> None:
        self.query_one("#desk-say").focus()
