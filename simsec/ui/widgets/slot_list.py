"""Free slots found by ``find_slots``, to book or to move an appointment to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from simsec.i18n import _, format_date

__all__ = ["FoundSlot", "SlotList", "slots_from_result"]


@dataclass(frozen=True, slots=True)
class FoundSlot:
    """A free slot of the ``find_slots`` result."""

    practitioner: str
    start: datetime
    end: datetime
    type_code: str

    @property
    def key(self) -> str:
        return f"{self.practitioner}@{self.start.isoformat(timespec='minutes')}"


def slots_from_result(result: Mapping[str, Any]) -> tuple[FoundSlot, ...]:
    """The slots of a ``find_slots`` result (``slots``: practitioner, start, end, type)."""
    found: list[FoundSlot] = []
    for item in result.get("slots") or []:
        if isinstance(item, Mapping):
            found.append(
                FoundSlot(
                    str(item["practitioner"]),
                    datetime.fromisoformat(str(item["start"])),
                    datetime.fromisoformat(str(item["end"])),
                    str(item["type"]),
                )
            )
    return tuple(found)


class SlotList(OptionList):
    """One line per slot (day, time, practitioner, type); Enter chooses one."""

    class SlotChosen(Message):
        def __init__(self, slot: FoundSlot) -> None:
            super().__init__()
            self.slot = slot

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.slots: tuple[FoundSlot, ...] = ()

    def show(self, slots: Sequence[FoundSlot], names: Mapping[str, str]) -> None:
        """List ``slots``; ``names`` gives the practitioners' names by key."""
        self.slots = tuple(slots)
        self.clear_options()
        if not self.slots:
            self.add_option(Option(Text(_("Aucun créneau trouvé."), style="dim"), disabled=True))
            return
        self.add_options(self._option(slot, names) for slot in self.slots)
        self.highlighted = 0

    @staticmethod
    def _option(slot: FoundSlot, names: Mapping[str, str]) -> Option:
        line = Text.assemble(
            (format_date(slot.start.date(), "EEE d MMM"), "bold"),
            f" {slot.start:%H:%M}-{slot.end:%H:%M} ",
            (names.get(slot.practitioner, slot.practitioner), "cyan"),
            f" · {slot.type_code}",
        )
        return Option(line, id=slot.key)

    @property
    def chosen(self) -> FoundSlot | None:
        if self.highlighted is None or not self.slots:
            return None
        return self.slots[self.highlighted]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        slot = next((s for s in self.slots if s.key == event.option.id), None)
        if slot is not None:
            self.post_message(self.SlotChosen(slot))

    def clear_slots(self, hint: Iterable[str] = ()) -> None:
        self.slots = ()
        self.clear_options()
        for line in hint:
            self.add_option(Option(Text(line, style="dim"), disabled=True))
