"""The queue: visitors waiting at the desk and ringing calls, to prioritise."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from simsec.i18n import _
from simsec.ui.messages import AttendRequested
from simsec.ui.views import PersonDesk

__all__ = ["WaitingQueue"]


def _line(person: PersonDesk, attending: str | None, held: Sequence[str]) -> Text:
    icon = "☎" if person.channel == "call" else "☺"
    text = Text()
    text.append(
        f"{icon} {person.arrived:%H:%M} ", style="bold red" if person.channel == "call" else "bold"
    )
    text.append(person.display_name())
    if person.key == attending:
        text.append(_(" (en cours)"), style="italic")
    elif person.key in held:
        text.append(_(" (en attente de reprise)"), style="italic yellow")
    return text


class WaitingQueue(OptionList):
    """Calls first, then visitors, in order of arrival; Enter takes the person in charge
    (or comes back to a person on hold)."""

    def show(
        self, people: Sequence[PersonDesk], attending: str | None, held: Sequence[str] = ()
    ) -> None:
        highlighted = self.highlighted
        self.clear_options()
        if not people:
            self.add_option(Option(Text(_("Personne n'attend."), style="dim"), disabled=True))
            return
        self.add_options(Option(_line(p, attending, held), id=p.key) for p in people)
        if highlighted is not None:
            self.highlighted = min(highlighted, len(people) - 1)
        else:
            self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(AttendRequested(event.option.id))
