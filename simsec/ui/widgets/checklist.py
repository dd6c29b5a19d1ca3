"""Checklists: the documents of an admission (by case) and the proofs of an access
request, each line ticked or not, required or optional."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from simsec.i18n import _, upper_first
from simsec.services.readmodels_planning import ChecklistLine, ProofLine
from simsec.texts.documents import kind_label

__all__ = ["ChecklistView", "admission_checklist", "document_label", "proof_checklist"]

_DONE = ("✔", "bold green")
_MISSING = ("✘", "bold red")
_OPTIONAL = ("○", "yellow")


def _mark(done: bool, required: bool) -> tuple[str, str]:
    if done:
        return _DONE
    return _MISSING if required else _OPTIONAL


def document_label(kind: str) -> str:
    """The label of a document kind; kinds the catalogue does not know (some proofs of
    ``access.yaml``, such as ``certificat_heredite``) are shown as written."""
    try:
        return kind_label(kind)
    except ValueError:
        return kind.replace("_", " ")


def _kinds(kinds: Sequence[str]) -> str:
    return ", ".join(document_label(kind) for kind in kinds)


def admission_checklist(lines: Sequence[ChecklistLine]) -> RenderableType:
    """The admission's checklist: ✔ done, ✘ required and missing, ○ optional."""
    if not lines:
        return Text(_("Aucune admission choisie."), style="dim")
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(width=1, no_wrap=True)
    table.add_column(ratio=1)
    for line in lines:
        mark, style = _mark(line.done, line.required)
        text = Text(line.label, style="" if line.done else ("bold" if line.required else "dim"))
        if not line.required:
            text.append(_(" (facultatif)"), style="dim")
        if line.contact == "confiance":
            hint = _("personne de confiance : désignée par écrit par un patient majeur (L1111-6)")
        elif line.contact == "prevenir":
            hint = _(
                "personne à prévenir : seulement contactée, aucun droit à l'information médicale"
            )
        else:
            hint = _("pièces acceptées : {kinds}").format(kinds=_kinds(line.any_of))
        text.append(f"\n  {hint}", style="dim italic")
        table.add_row(Text(mark, style=style), text)
    return table


def proof_checklist(lines: Sequence[ProofLine]) -> RenderableType:
    """The proofs an access request needs (R1111-1, L1110-4): ✔ in, ✘ missing."""
    if not lines:
        return Text(_("Aucun justificatif exigé."), style="dim")
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(width=1, no_wrap=True)
    table.add_column(ratio=1)
    for line in lines:
        mark, style = _mark(line.satisfied, True)
        text = Text(upper_first(line.label), style="" if line.satisfied else "bold")
        if line.kinds and not line.satisfied:
            text.append(f"\n  {_kinds(line.kinds)}", style="dim italic")
        table.add_row(Text(mark, style=style), text)
    return table


class ChecklistView(Static):
    """A checklist (give it the renderable of :func:`admission_checklist` or
    :func:`proof_checklist`)."""

    def show(self, renderable: RenderableType) -> None:
        self.update(renderable)
