"""The assessor's report as Markdown (``simsec report LOG --format md``).

Plain GitHub-flavoured Markdown that reads well as text too: headings for the grid
(CCP, then competence), pipe tables, bullet lists for the evidence. Every text coming
from the log or the scenario is escaped, so that what a trainee typed can never turn
into markup. The Markdown report shows scenario times only: it holds no wall-clock time
but the date of the run, so that two renderings of one log are identical.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Final

from simsec.reports.layout import (
    Banner,
    Block,
    Bullets,
    Heading,
    KeyValues,
    Paragraph,
    Table,
    report_blocks,
)
from simsec.reports.model import RunReport

__all__ = ["code", "escape", "render_markdown"]

_SPECIAL: Final = re.compile(r"([\\`*\[\]<>|])")
#: An underscore is emphasis only at a word's edge (GFM): ``p_dupont`` stays as it is.
_UNDERSCORE: Final = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_LEADING: Final = re.compile(r"^([#+\-=])")
_SPACES: Final = re.compile(r"\s*[\r\n]+\s*")


def escape(text: str) -> str:
    """``text`` safe in a Markdown paragraph or table cell: one line, markup characters
    backslash-escaped (a pipe cannot end a cell, a ``<`` cannot open HTML, a leading
    ``#`` cannot make a heading)."""
    text = _SPECIAL.sub(r"\\\1", _SPACES.sub(" ", text).strip())
    text = _UNDERSCORE.sub(r"\\_", text)
    return _LEADING.sub(r"\\\1", text)


def code(text: str) -> str:
    """An identifier as a code span (backticks inside are dropped: ids have none)."""
    return f"`{text.replace('`', '')}`" if text else ""


def _heading(block: Heading) -> str:
    text = escape(block.text)
    if block.code:
        text = f"{escape(block.code)} — {text}"
    return f"{'#' * block.level} {text}"


def _table(block: Table) -> Iterator[str]:
    keep = [i for i in range(len(block.headers)) if i != block.wall_column]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cells[i] for i in keep) + " |"

    yield line([escape(h) for h in block.headers])
    align = block.align or ("left",) * len(block.headers)
    yield line(["---:" if a == "right" else "---" for a in align])
    for row in block.rows:
        cells = [escape(cell) for cell in row.cells]
        if row.strong:
            cells = [f"**{cell}**" if cell else cell for cell in cells]
        yield line(cells)


def _block(block: Block) -> Iterator[str]:
    if isinstance(block, Heading):
        yield _heading(block)
    elif isinstance(block, Paragraph):
        yield f"*{escape(block.text)}*" if block.note else escape(block.text)
    elif isinstance(block, Banner):
        yield f"> **⚠ {escape(block.title)}**"
        for line in block.lines:
            yield ">"
            yield f"> {escape(line)}"
    elif isinstance(block, KeyValues):
        yield "| | |"
        yield "| --- | --- |"
        for key, value in block.pairs:
            yield f"| **{escape(key)}** | {escape(value)} |"
    elif isinstance(block, Table):
        yield from _table(block)
    elif isinstance(block, Bullets):
        for item in block.items:
            parts = [f"**{escape(item.strong)}**" if item.strong else "", escape(item.text)]
            if item.code:
                parts.append(f"({code(item.code)})")
            yield "- " + " ".join(part for part in parts if part)
            for child in item.children:
                yield f"  - {escape(child)}"


def render_markdown(report: RunReport) -> str:
    """The report as one Markdown document (ending with a newline)."""
    parts = ["\n".join(_block(block)) for block in report_blocks(report, wall=False)]
    return "\n\n".join(part for part in parts if part) + "\n"
