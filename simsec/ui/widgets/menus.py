"""The desk's quick menus: the question catalogue and the document requests."""

from __future__ import annotations

from textual.widgets import OptionList
from textual.widgets.option_list import Option

from simsec.i18n import upper_first
from simsec.texts.documents import kind_label
from simsec.ui.labels import DESK_DOCUMENT_KINDS, QUESTION_LABELS, label
from simsec.ui.messages import DocumentChosen, QuestionChosen

__all__ = ["DocumentMenu", "QuestionMenu"]


class QuestionMenu(OptionList):
    """The fixed catalogue of questions (SCENARIO_FORMAT.md § people); Enter asks."""

    def on_mount(self) -> None:
        self.add_options(Option(label(QUESTION_LABELS, q), id=q) for q in QUESTION_LABELS)
        self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(QuestionChosen(event.option.id))


class DocumentMenu(OptionList):
    """The documents the desk can ask for; Enter asks the person to show one."""

    def on_mount(self) -> None:
        self.add_options(
            Option(upper_first(kind_label(kind)), id=kind) for kind in DESK_DOCUMENT_KINDS
        )
        self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(DocumentChosen(event.option.id))
