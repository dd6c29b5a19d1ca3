"""The assessor's report as one self-contained HTML page (``simsec report LOG --format html``).

The issue "Assessor and trainer tools": self-contained HTML that prints cleanly on A4.
One file, no external asset (no font, script, image or stylesheet to fetch), the CSS
inline with ``@page { size: A4 }``; tables repeat their header on each printed page and
rows are not split across pages; colours are kept when printing but never carry the
meaning alone (every result also has a sign and a word). Every text from the log or the
scenario is escaped (:func:`html.escape`): a trainee's input can never become markup.
The journal shows the wall-clock time of each record as a secondary column, for the
assessor only (RUNLOG_FORMAT.md: ``wall`` is never used for scoring).
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Final

from simsec.i18n import _, current_lang
from simsec.reports.layout import (
    Banner,
    Block,
    Bullets,
    Heading,
    KeyValues,
    Paragraph,
    Row,
    Table,
    report_blocks,
)
from simsec.reports.model import RunReport

__all__ = ["STYLE", "render_html"]

STYLE: Final = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 10pt;
       line-height: 1.35; color: #111; margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
h1 { font-size: 17pt; margin: 0 0 4mm; border-bottom: 2px solid #1f3a5f; padding-bottom: 2mm;
     color: #1f3a5f; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; color: #1f3a5f; border-bottom: 1px solid #9db0c8; }
h3 { font-size: 11.5pt; margin: 5mm 0 2mm; background: #e8eef6; padding: 1.5mm 2mm; }
h4 { font-size: 10.5pt; margin: 4mm 0 1.5mm; }
h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
.code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-weight: bold;
        margin-right: 2mm; }
table { border-collapse: collapse; width: 100%; margin: 1.5mm 0 3mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #b8c2cc; padding: 1mm 1.5mm; vertical-align: top;
         text-align: left; }
th { background: #f0f3f7; font-weight: bold; }
td.right, th.right { text-align: right; white-space: nowrap; }
tr.strong td { font-weight: bold; background: #f7f9fb; }
tr.ok td:first-child { border-left: 3px solid #2e7d32; }
tr.ko td:first-child { border-left: 3px solid #c62828; }
table.kv th { width: 45mm; }
table.journal { font-size: 8.5pt; }
td.wall, th.wall { color: #666; font-size: 7.5pt; white-space: nowrap; }
ul { margin: 1mm 0 3mm; padding-left: 5mm; }
li { margin: 0.5mm 0; break-inside: avoid; page-break-inside: avoid; }
li ul { margin: 0.5mm 0; }
p.note { font-style: italic; color: #444; font-size: 9pt; }
.banner { border: 3px solid #c62828; background: #fdecea; color: #7f0000; padding: 3mm 4mm;
          margin: 3mm 0 5mm; break-inside: avoid; page-break-inside: avoid; }
.banner strong { font-size: 13pt; display: block; margin-bottom: 1mm; }
.banner p { margin: 1mm 0; }
footer { margin-top: 8mm; font-size: 8pt; color: #666; border-top: 1px solid #ccc;
         padding-top: 2mm; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; } }
"""


def _heading(block: Heading) -> str:
    level = min(max(block.level, 1), 6)
    code = f'<span class="code">{escape(block.code)}</span>' if block.code else ""
    return f"<h{level}>{code}{escape(block.text)}</h{level}>"


def _cell(tag: str, text: str, align: str, extra: str = "") -> str:
    classes = " ".join(c for c in ("right" if align == "right" else "", extra) if c)
    attribute = f' class="{classes}"' if classes else ""
    return f"<{tag}{attribute}>{escape(text)}</{tag}>"


def _row(row: Row, block: Table) -> str:
    classes = " ".join(c for c in ("strong" if row.strong else "", row.status) if c)
    attribute = f' class="{classes}"' if classes else ""
    cells = "".join(
        _cell(
            "td",
            cell,
            block.align[i] if i < len(block.align) else "left",
            "wall" if i == block.wall_column else "",
        )
        for i, cell in enumerate(row.cells)
    )
    return f"<tr{attribute}>{cells}</tr>"


def _table(block: Table) -> Iterator[str]:
    css = f' class="{escape(block.css)}"' if block.css else ""
    yield f"<table{css}>"
    headers = "".join(
        _cell(
            "th",
            header,
            block.align[i] if i < len(block.align) else "left",
            "wall" if i == block.wall_column else "",
        )
        for i, header in enumerate(block.headers)
    )
    yield f"<thead><tr>{headers}</tr></thead>"
    yield "<tbody>"
    for row in block.rows:
        yield _row(row, block)
    yield "</tbody></table>"


def _block(block: Block) -> Iterator[str]:
    if isinstance(block, Heading):
        yield _heading(block)
    elif isinstance(block, Paragraph):
        yield (
            f'<p class="note">{escape(block.text)}</p>'
            if block.note
            else (f"<p>{escape(block.text)}</p>")
        )
    elif isinstance(block, Banner):
        lines = "".join(f"<p>{escape(line)}</p>" for line in block.lines)
        title = f"<strong>⚠ {escape(block.title)}</strong>"
        yield f'<div class="banner" role="alert">{title}{lines}</div>'
    elif isinstance(block, KeyValues):
        rows = "".join(
            f"<tr><th>{escape(key)}</th><td>{escape(value)}</td></tr>" for key, value in block.pairs
        )
        yield f'<table class="kv"><tbody>{rows}</tbody></table>'
    elif isinstance(block, Table):
        yield from _table(block)
    elif isinstance(block, Bullets):
        yield "<ul>"
        for item in block.items:
            parts = [f"<strong>{escape(item.strong)}</strong>" if item.strong else ""]
            if item.text:
                parts.append(escape(item.text))
            if item.code:
                parts.append(f'(<span class="code">{escape(item.code)}</span>)')
            children = "".join(f"<li>{escape(child)}</li>" for child in item.children)
            nested = f"<ul>{children}</ul>" if children else ""
            yield f"<li>{' '.join(p for p in parts if p)}{nested}</li>"
        yield "</ul>"


def render_html(report: RunReport) -> str:
    """The report as one HTML document (UTF-8, inline CSS, no external asset)."""
    header = report.header
    title = _("Rapport d'évaluation : {title} — {trainee}").format(
        title=header.scenario_title or header.scenario_id or header.log_name,
        trainee=header.trainee,
    )
    body = "\n".join(line for block in report_blocks(report, wall=True) for line in _block(block))
    footer = _("Rapport établi par simsec à partir du journal {log}.").format(log=header.log_name)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(current_lang())}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f"<style>{STYLE}</style>\n"
        "</head>\n"
        "<body>\n"
        f"{body}\n"
        f"<footer>{escape(footer)}</footer>\n"
        "</body>\n"
        "</html>\n"
    )
