"""The identity status badge: provisoire, récupérée, validée, qualifiée, and the attributes.

RNIV volet 1 (statuts de confiance, EXI SI 07): only a *qualifiée* identity may be used
to share and reference health data; the attributes *douteuse* and *fictive* (allowed
only with the status provisoire) and *homonyme* are shown next to the status, in red,
because they ask the desk to take care.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from rich.text import Text
from textual.widgets import Static

from simsec.i18n import _
from simsec.texts.identity import attribute_label, status_label

__all__ = ["STATUS_STYLES", "StatusBadge", "badge_text", "short_status"]

#: The colour of each status (qualifiée is the only one fit for sharing: green).
STATUS_STYLES: Final[Mapping[str, str]] = {
    "provisoire": "bold black on yellow",
    "recuperee": "bold white on dark_cyan",
    "validee": "bold white on blue",
    "qualifiee": "bold black on green",
}
_ATTRIBUTE_STYLE: Final = "bold white on red"


def short_status(status: str) -> str:
    """The status without « Identité » (« provisoire »), for tables."""
    try:
        label = status_label(status)
    except ValueError:
        return status
    return label.split(" ", 1)[1] if " " in label else label


def badge_text(status: str, attributes: Iterable[str] = (), *, short: bool = False) -> Text:
    """The badge as styled text: `` Identité qualifiée `` then `` douteuse `` etc."""
    try:
        label = short_status(status) if short else status_label(status)
    except ValueError:
        label = status
    text = Text(
        f" {label.upper() if short else label} ", style=STATUS_STYLES.get(status, "reverse")
    )
    for attribute in attributes:
        try:
            name = attribute_label(attribute)
        except ValueError:
            name = attribute
        text.append(" ")
        text.append(f" {name.upper() if short else name} ", style=_ATTRIBUTE_STYLE)
    return text


class StatusBadge(Static):
    """A one-line badge (status and attributes) of the identity shown."""

    def show(self, status: str | None, attributes: Iterable[str] = ()) -> None:
        if status is None:
            self.update(Text(_("Aucun dossier ouvert"), style="dim"))
            return
        self.update(badge_text(status, attributes))
