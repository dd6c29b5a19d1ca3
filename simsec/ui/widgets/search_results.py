"""The results of the search before creating: ranked, each trait coloured by how it
matched the query.

RNIV volet 1 (identification primaire): when several candidates come up, compare every
strict trait before choosing one. Each cell says how its trait matched (the match kinds
of :class:`simsec.services.dto.MatchKind`): green when identical (or the first letters
typed), yellow when only close (a typing slip, the same sound, a day and month swapped,
first names in another order), red when different; the record's status badge tells the
qualified record from a provisional doublon.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Final

from rich.console import RenderableType
from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import DataTable

from simsec.i18n import N_, _
from simsec.rules.phonetic import letters_only
from simsec.services.dto import MatchKind
from simsec.services.readmodels import PatientSummary, SearchRow
from simsec.ui.widgets.status_badge import badge_text

__all__ = [
    "MATCH_STYLES",
    "FixedView",
    "SearchResults",
    "StatusLine",
    "match_style",
    "styled_name",
]

#: How a matched trait is drawn.
MATCH_STYLES: Final[dict[MatchKind, str]] = {
    MatchKind.IDENTICAL: "bold green",
    MatchKind.PREFIX: "bold green",
    MatchKind.SEPARATORS: "green",
    MatchKind.COMPOUND_FIRST_NAME: "green",
    MatchKind.FIRST_NAMES_PARTIAL: "green",
    MatchKind.USED_NAME: "bold cyan",
    MatchKind.FIRST_NAMES_ORDER: "yellow",
    MatchKind.TYPO: "bold yellow",
    MatchKind.PHONETIC: "yellow",
    MatchKind.CLOSE: "yellow",
    MatchKind.DAY_MONTH_SWAPPED: "bold yellow",
    MatchKind.USED_NAME_AS_BIRTH_NAME: "bold yellow",
    MatchKind.DIFFERENT: "red",
    MatchKind.CONFLICT: "bold red",
    MatchKind.SUSPECTED: "yellow",
    MatchKind.MISSING: "dim",
}

_COLUMNS: Final = (
    ("rank", "#"),
    ("birth_name", N_("Nom de naissance")),
    ("used_name", N_("Nom utilisé")),
    ("first_names", N_("Prénoms")),
    ("birth_date", N_("Né(e) le")),
    ("sex", N_("Sexe")),
    ("birth_place", N_("Lieu")),
    ("status", N_("Statut")),
    ("score", N_("Score")),
)


def match_style(kind: MatchKind | None) -> str:
    """The style of a trait matched as ``kind`` (plain when the query did not give it)."""
    return MATCH_STYLES.get(kind, "") if kind is not None else ""


def styled_name(value: str | None, kind: MatchKind | None, typed: str | None = None) -> Text:
    """A name cell: the whole name in the style of its match; for the first letters typed
    (RNIV: birth date and at most three letters), those letters only, underlined."""
    text = value or ""
    if kind is MatchKind.PREFIX and typed:
        size = len(letters_only(typed))
        cell = Text(text[:size], style="bold green underline")
        cell.append(text[size:])
        return cell
    return Text(text, style=match_style(kind))


class FixedView(Widget):
    """A Rich renderable in a box whose height the style sheet fixes: changing what it
    shows redraws it without laying the screen out again (a ``Static`` update would,
    measuring every auto-sized widget: tens of milliseconds at every key)."""

    DEFAULT_CSS = """
    FixedView {
        height: 1;
        width: 1fr;
    }
    """

    content: reactive[RenderableType] = reactive("", layout=False, always_update=True)

    def render(self) -> RenderableType:
        return self.content


class StatusLine(FixedView):
    """One line of text: the state of the search."""

    @property
    def text(self) -> str:
        return str(self.content)

    @text.setter
    def text(self, value: str) -> None:
        self.content = value


def _date_text(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


class SearchResults(DataTable[Text | str]):
    """Search hits (or, with no query, the records of the run), one row each; Enter opens
    the record of the highlighted row."""

    class PatientChosen(Message):
        """Enter on a row: open the record ``key``."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(
        self, *, id: str | None = None, on_choose: Callable[[str], None] | None = None
    ) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, show_cursor=True)
        self.keys: tuple[str, ...] = ()
        self.on_choose = on_choose
        """Called at once with the key chosen (the record opens in the frame of the key
        press); without it, :class:`PatientChosen` is posted."""

    def action_select_cursor(self) -> None:
        key = self.highlighted_key()
        if self.on_choose is not None and key is not None:
            self.on_choose(key)
            return
        super().action_select_cursor()

    def on_mount(self) -> None:
        for key, title in _COLUMNS:
            self.add_column(_(title) if title != "#" else title, key=key)

    def _replace(self, rows: Sequence[tuple[str, tuple[Text | str, ...]]]) -> None:
        keys = tuple(key for key, _cells in rows)
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        self.keys = keys
        if keys:
            self.move_cursor(row=0, animate=False)

    def show_hits(self, hits: Sequence[SearchRow], typed_name: str | None = None) -> None:
        """Ranked hits; each trait in the colour of its match."""
        rows: list[tuple[str, tuple[Text | str, ...]]] = []
        for hit in hits:
            birth_kind = hit.match("birth_name")
            used_kind = hit.match("used_name")
            rows.append(
                (
                    hit.key,
                    (
                        Text(str(hit.rank), style="bold"),
                        styled_name(hit.birth_name, birth_kind, typed_name),
                        styled_name(hit.used_name, used_kind, typed_name),
                        Text(
                            " ".join(hit.first_names), style=match_style(hit.match("first_names"))
                        ),
                        Text(
                            _date_text(hit.birth_date), style=match_style(hit.match("birth_date"))
                        ),
                        Text(hit.sex or "", style=match_style(hit.match("sex"))),
                        hit.birth_place or "",
                        badge_text(hit.identity_status, hit.attributes, short=True),
                        Text(f"{round(hit.score * 100)} %", justify="right"),
                    ),
                )
            )
        self._replace(rows)

    def show_records(
        self, records: Sequence[PatientSummary], notes: Mapping[str, str] | None = None
    ) -> None:
        """Records without a query (those of the run, those expected today), unranked;
        ``notes`` says why a record is listed (in the last column)."""
        notes = notes or {}
        rows: list[tuple[str, tuple[Text | str, ...]]] = [
            (
                record.key,
                (
                    Text("·", style="dim"),
                    record.birth_name,
                    record.used_name or "",
                    " ".join(record.first_names),
                    _date_text(record.birth_date),
                    record.sex or "",
                    record.birth_place or "",
                    badge_text(record.identity_status, record.attributes, short=True),
                    Text(notes.get(record.key, ""), style="dim", justify="right"),
                ),
            )
            for record in records
        ]
        self._replace(rows)

    def highlighted_key(self) -> str | None:
        if not self.keys or self.cursor_row < 0 or self.cursor_row >= len(self.keys):
            return None
        return self.keys[self.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key:
            self.post_message(self.PatientChosen(str(key)))
