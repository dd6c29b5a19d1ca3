"""Messages from practitioners and services, and the scenario's instructions."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from simsec.i18n import _
from simsec.ui.labels import EVENT_LABELS, label
from simsec.ui.views import InboxMessage, NoteView

__all__ = ["Inbox"]


class Inbox(OptionList):
    """One line per message or instruction, the newest last; the body in the tooltip
    and under the list (``Desk``)."""

    def show(self, messages: Sequence[InboxMessage], notes: Sequence[NoteView]) -> None:
        highlighted = self.highlighted
        self.clear_options()
        items: list[tuple[object, Option]] = []
        for i, message in enumerate(messages):
            line = Text.assemble(
                (f"{message.t:%H:%M} ✉ ", "bold"), f"{message.sender} : {message.subject}"
            )
            items.append((message.t, Option(line, id=f"message-{i}")))
        for note in notes:
            line = Text.assemble((f"{note.t:%H:%M} ✎ ", "bold"), label(EVENT_LABELS, note.kind))
            items.append((note.t, Option(line, id=f"note-{note.id}")))
        if not items:
            self.add_option(Option(Text(_("Aucun message."), style="dim"), disabled=True))
            return
        items.sort(key=lambda pair: pair[0])  # type: ignore[arg-type,return-value]
        self.add_options(option for _t, option in items)
        if highlighted is not None:
            self.highlighted = min(highlighted, len(items) - 1)
