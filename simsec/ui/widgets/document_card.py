"""A document handed over at the desk, drawn as a card: fields, expiry, MRZ."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from simsec.i18n import _, format_date
from simsec.ui.views import DocumentCard

__all__ = ["DocumentCardView", "render_card"]


def render_card(card: DocumentCard) -> RenderableType:
    """The card as a Rich panel (the MRZ in the machine-readable zone at the bottom)."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    for name, value in card.fields:
        table.add_row(name, value)
    parts: list[RenderableType] = [table]
    if card.expires is not None:
        status = _("EXPIRÉ le {date}") if card.expired else _("Valable jusqu'au {date}")
        parts.append(
            Text(
                status.format(date=format_date(card.expires, "long")),
                style="bold red" if card.expired else "green",
            )
        )
    if card.mrz:
        parts.append(Text("\n".join(card.mrz), style="bold", no_wrap=True, overflow="ignore"))
    return Panel(Group(*parts), title=card.title, title_align="left", expand=True)


class DocumentCardView(Static):
    """One card; its id is the document key."""

    DEFAULT_CSS = """
    DocumentCardView {
        height: auto;
        margin: 0 0 1 0;
    }
    """

    def __init__(self, card: DocumentCard) -> None:
        super().__init__(render_card(card), id=f"card-{card.key}", classes="document-card")
        self.card = card
