"""The INSi result: the traits of the record and those of the national registry side by
side, each difference named and coloured.

Source: identitovigilance.md, "INSi teleservice" (ANS guide of the INS): INSi answers
zero identities, exactly one (the INS, its OID and the traits of reference) or several;
when the traits returned differ from the local ones, the operator checks them against
the identity document; the INS traits then replace the local strict traits, and a
difference she cannot explain is a reason not to accept the result. A fault means the
degraded procedure: the identity stays as it is and INSi is called again later.

The panel draws the result of a ``call_insi`` action, as logged (the record's traits
before the call are in its ``differences``; an identical trait is the registry's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from simsec.i18n import _, upper_first
from simsec.rules.identity import DifferenceKind, TraitName
from simsec.rules.nir import format_nir
from simsec.services.identity import INSI_ACCEPTED
from simsec.texts.identity import difference_label, status_label, trait_label

__all__ = [
    "STRICT_ORDER",
    "InsiPanel",
    "comparison_table",
    "insi_renderable",
    "insi_rows",
    "status_change",
    "trait_text",
    "verdict_text",
]

#: The strict traits in the order of the identity form (RNIV).
STRICT_ORDER: Final[tuple[TraitName, ...]] = (
    TraitName.BIRTH_NAME,
    TraitName.FIRST_NAMES,
    TraitName.BIRTH_DATE,
    TraitName.SEX,
    TraitName.BIRTH_PLACE,
)


def trait_text(value: Any) -> str:
    """A trait as shown: first names joined by a space, dates as ``JJ/MM/AAAA``."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


def _verdict(kind: str, tolerated: frozenset[DifferenceKind]) -> tuple[str, str, str]:
    """(symbol, style, label) of a difference: ``=`` identical (green), ``≈`` tolerated
    (yellow), ``≠`` contradicting (red), ``·`` not compared (dim)."""
    if kind == DifferenceKind.IDENTICAL.value:
        return "=", "green", difference_label(kind)
    if kind == "not_compared":
        return "·", "dim", _("non comparé (lieu écrit en toutes lettres)")
    try:
        known = DifferenceKind(kind)
    except ValueError:
        return "≠", "bold red", kind
    if known in tolerated:
        return "≈", "yellow", difference_label(known)
    return "≠", "bold red", difference_label(known)


def verdict_text(kind: str, tolerated: frozenset[DifferenceKind]) -> Text:
    """The verdict of one trait with its name: ``≈ prénom composé…`` in its colour."""
    symbol, style, label = _verdict(kind, tolerated)
    return Text(f"{symbol} {label}", style=style)


def _trait_name(trait: str) -> str:
    try:
        return upper_first(trait_label(trait))
    except ValueError:
        return trait


def comparison_table(
    rows: Sequence[tuple[str, str, str, str]],
    *,
    left: str,
    right: str,
    tolerated: frozenset[DifferenceKind],
) -> RenderableType:
    """A table ``trait | left | right | =/≈/≠`` (``rows``: trait, left value, right value,
    difference kind), then one line naming each difference. A differing value is drawn
    in the colour of its verdict."""
    table = Table(expand=True, show_edge=False, pad_edge=False, box=None, header_style="bold")
    table.add_column(_("Trait"), style="dim", no_wrap=True)
    table.add_column(left, ratio=1)
    table.add_column(right, ratio=1)
    table.add_column("", width=1, no_wrap=True)
    notes: list[Text] = []
    for trait, a, b, kind in rows:
        symbol, style, label = _verdict(kind, tolerated)
        shown = "" if kind == DifferenceKind.IDENTICAL.value else style
        table.add_row(
            _trait_name(trait),
            Text(a or "—", style=shown),
            Text(b or "—", style=shown),
            Text(symbol, style=style),
        )
        if kind != DifferenceKind.IDENTICAL.value:
            notes.append(Text(f"{symbol} {_trait_name(trait)} : {label}", style=style))
    return Group(table, *notes)


def insi_rows(result: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """(trait, record before the call, INSi, difference kind) for the strict traits."""
    reference: Mapping[str, Any] = result.get("traits") or {}
    differences = {
        str(d.get("trait")): d for d in result.get("differences") or [] if isinstance(d, Mapping)
    }
    rows: list[tuple[str, str, str, str]] = []
    for trait in STRICT_ORDER:
        insi = trait_text(reference.get(trait.value))
        found = differences.get(trait.value)
        if found is None:
            rows.append((trait.value, insi, insi, DifferenceKind.IDENTICAL.value))
        else:
            rows.append(
                (trait.value, trait_text(found.get("record")), insi, str(found.get("kind")))
            )
    return rows


def status_change(result: Mapping[str, Any]) -> Text:
    before, after = result.get("status_before"), result.get("identity_status")
    if not after:
        return Text("")
    try:
        after_label = status_label(str(after))
        before_label = status_label(str(before)) if before else after_label
    except ValueError:
        return Text("")
    if before == after:
        return Text(_("Statut inchangé : {status}.").format(status=after_label), style="dim")
    return Text(
        _("Statut : {before} → {after}.").format(before=before_label, after=after_label),
        style="bold",
    )


def insi_renderable(
    result: Mapping[str, Any] | None, *, mode: str = "traits", at: datetime | None = None
) -> RenderableType:
    """The panel's content for the result of a ``call_insi`` (None: never called)."""
    if result is None:
        return Text(_("INSi n'a pas encore été interrogé pour ce dossier (Ctrl+G)."), style="dim")
    how = _("avec la carte Vitale") if mode == "vitale" else _("par les traits")
    when = f" · {at:%H:%M}" if at is not None else ""
    title = Text(_("Téléservice INSi, interrogé {how}").format(how=how) + when, style="bold")
    if not result.get("ok", True):
        error: Mapping[str, Any] = result.get("error") or {}
        return Group(
            title,
            Text(str(error.get("message") or _("Appel refusé.")), style="bold red"),
            Text(
                _(
                    "Procédure dégradée : l'identité garde son statut ; interrogez INSi de "
                    "nouveau quand le service sera rétabli."
                ),
                style="yellow",
            ),
        )
    found = result.get("found")
    if found == 0:
        return Group(
            title,
            Text(_("Aucune identité trouvée."), style="bold yellow"),
            Text(
                _("Vérifiez les traits sur la pièce d'identité (nom de naissance, prénoms, date)."),
                style="dim",
            ),
            status_change(result),
        )
    if found == "many":
        return Group(
            title,
            Text(
                _(
                    "Plusieurs identités trouvées ({count}) : précisez la recherche "
                    "(lieu de naissance)."
                ).format(count=result.get("count", "?")),
                style="bold yellow",
            ),
            status_change(result),
        )
    table = comparison_table(
        insi_rows(result),
        left=_("Dossier (avant l'appel)"),
        right=_("INSi"),
        tolerated=INSI_ACCEPTED,
    )
    ins = str(result.get("ins") or "")
    head = Text.assemble(
        (_("Matricule INS : "), "dim"),
        (format_nir(ins) if ins else "—", "bold"),
        (f"   OID {result.get('oid') or '—'}", "dim"),
    )
    if result.get("accepted"):
        verdict = Text(
            _("INS récupéré : les traits INSi remplacent les traits stricts du dossier."),
            style="bold green",
        )
    elif result.get("ins_elsewhere"):
        keys = ", ".join(str(k) for k in result.get("ins_elsewhere") or [])
        verdict = Text(
            _("Cet INS est déjà celui du dossier {keys} : doublon probable, à signaler.").format(
                keys=keys
            ),
            style="bold red",
        )
    else:
        verdict = Text(
            _(
                "Résultat non accepté : des traits diffèrent. Contrôlez-les sur la pièce "
                "d'identité, corrigez le dossier puis interrogez INSi de nouveau."
            ),
            style="bold red",
        )
    return Group(title, head, table, verdict, status_change(result))


class InsiPanel(Static):
    """The last INSi answer for the record shown."""

    def show(
        self, result: Mapping[str, Any] | None, *, mode: str = "traits", at: datetime | None = None
    ) -> None:
        self.update(insi_renderable(result, mode=mode, at=at))
