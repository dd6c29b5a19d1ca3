"""The person being attended: who they are, what was said, what they handed over."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from simsec.i18n import _
from simsec.ui.views import PersonDesk

__all__ = ["PersonPanel", "conversation_text"]

_STYLES = {"person": "", "trainee": "bold cyan", "system": "italic dim"}


def conversation_text(person: PersonDesk) -> Text:
    """The conversation, one line per turn: ``08:45 » text`` (the trainee's in colour)."""
    text = Text()
    for line in person.lines:
        if text:
            text.append("\n")
        who = {"person": "«", "trainee": "»", "system": "·"}.get(line.speaker, "·")
        text.append(f"{line.t:%H:%M} {who} ", style="dim")
        text.append(line.text, style=_STYLES.get(line.speaker, ""))
    return text


class PersonPanel(Vertical):
    """The header (name, channel, arrival) and the conversation of the current person."""

    def compose(self) -> ComposeResult:
        yield Static(id="person-header")
        with VerticalScroll(id="person-scroll"):
            yield Static(id="person-lines")

    def show(self, person: PersonDesk | None) -> None:
        header = self.query_one("#person-header", Static)
        lines = self.query_one("#person-lines", Static)
        if person is None:
            header.update(_("Personne n'est pris en charge."))
            lines.update(
                Text(
                    _(
                        "Choisissez une personne dans la file d'attente (Entrée), "
                        "ou Ctrl+N pour la suivante."
                    ),
                    style="dim",
                )
            )
            return
        header.update(
            Text.assemble(
                (person.display_name(), "bold"),
                f" · {person.channel_label} · ",
                _("depuis {time}").format(time=f"{person.arrived:%H:%M}"),
            )
        )
        lines.update(conversation_text(person))
        self.query_one("#person-scroll", VerticalScroll).scroll_end(animate=False)
