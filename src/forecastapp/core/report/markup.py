"""The report's blocks as Markdown or as one self-contained HTML page; every piece of user text escaped."""

from __future__ import annotations

import html
import re

from forecastapp.core.report.blocks import (
    DEFAULT_MAX_PAIRS,
    Bullets,
    Chart,
    Heading,
    Paragraph,
    Table,
    report_blocks,
)
from forecastapp.core.report.chart import CHART_HEIGHT, CHART_WIDTH, svg_data_uri
from forecastapp.core.scorecard_types import Scorecard

# Characters that start markup anywhere in a line (emphasis, code, links/images, table cells,
# strikethrough). Line-start markup (#, -, +, 1.) cannot arise: user text never begins a line.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_escape(text: str) -> str:
    """User text made inert in Markdown: one line, HTML special characters as entities, markup backslashed."""
    flat = " ".join(str(text).split())
    # Entities, not backslashes, for HTML: renderers pass raw HTML through, and "&lt;" must stay text.
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", flat)


def md_link_target(name: str) -> str:
    """A file name beside the report as a Markdown link target: inert whatever the name holds.

    Line breaks and other control characters (which would end the link and start new Markdown) and
    angle brackets (which would end the <...> target) are percent-encoded; a name with a colon gets
    "./" in front, so "javascript:x.svg" stays a file name and is not read as a URL scheme.
    """
    target = re.sub(r"[\x00-\x1f\x7f<>]", lambda m: f"%{ord(m.group()):02X}", name)
    return f"./{target}" if ":" in target.split("/", 1)[0] else target


def _md_table(t: Table) -> list[str]:
    if not t.rows:
        return [f"_{md_escape(t.empty)}_", ""]
    numeric = t.numeric or (False,) * len(t.headers)
    lines = ["| " + " | ".join(md_escape(h) for h in t.headers) + " |",
             "|" + "|".join("---:" if r else "---" for r in numeric) + "|"]
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in t.rows]
    return lines + [""]


def to_markdown(card: Scorecard, *, chart_src: str | None = None, max_pairs: int = DEFAULT_MAX_PAIRS) -> str:
    """The report as Markdown; the chart is `chart_src` (e.g. a file beside the report) or an inline data: URI."""
    report = report_blocks(card, max_pairs=max_pairs)
    lines = [f"# {md_escape(report.title)}", ""]
    for block in report.blocks:
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + md_escape(block.text), ""]
        elif isinstance(block, Paragraph):
            text = md_escape(block.text)
            lines += [f"_{text}_" if block.muted else text, ""]
        elif isinstance(block, Bullets):
            lines += [f"- {md_escape(item)}" for item in block.items] + [""]
        elif isinstance(block, Table):
            lines += _md_table(block)
        elif isinstance(block, Chart):
            src = svg_data_uri(block.svg) if chart_src is None else md_link_target(chart_src)
            # The URL goes inside <...> so a file name with spaces or parentheses still works.
            lines += [f"![{md_escape(block.alt)}](<{src}>)", ""]
    return "\n".join(lines).rstrip() + "\n"


# --- HTML -------------------------------------------------------------------------------------------

HTML_STYLE = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #111827; margin: 2em auto;
       max-width: 60em; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 22pt; margin-bottom: 0.2em; }
h2 { font-size: 14pt; margin-top: 1.4em; border-bottom: 1px solid #d1d5db; padding-bottom: 2px; }
table { border-collapse: collapse; margin: 0.4em 0 0.8em 0; }
th, td { border: 1px solid #d1d5db; padding: 3px 8px; vertical-align: top; }
th { background-color: #f3f4f6; text-align: left; }
td.num, th.num { text-align: right; }
td.nw { white-space: nowrap; }
p.muted { color: #4b5563; }
.chart svg { max-width: 100%; height: auto; }
"""


def _html_table(t: Table) -> str:
    esc = html.escape
    if not t.rows:
        return f'<p class="muted"><i>{esc(t.empty)}</i></p>'
    numeric = t.numeric or (False,) * len(t.headers)
    columns = len(t.headers)
    nowrap = tuple(t.nowrap) + (False,) * (columns - len(t.nowrap))
    classes = [f' class="{" ".join(c for c, on in (("num", r), ("nw", w)) if on)}"' if r or w else ""
               for r, w in zip(numeric, nowrap)]
    widths = [f' width="{esc(w)}"' if w else "" for w in t.widths] + [""] * (columns - len(t.widths))
    head = "".join(f"<th{c}{w}>{esc(h)}</th>" for h, c, w in zip(t.headers, classes, widths))
    body = "\n".join(
        "<tr>" + "".join(f"<td{c}>{esc(v)}</td>" for v, c in zip(row, classes)) + "</tr>" for row in t.rows
    )
    width = ' width="100%"' if t.wide else ""
    return (f'<table border="1" cellspacing="0" cellpadding="4"{width}>\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody>\n</table>")


def to_html(
    card: Scorecard,
    *,
    max_pairs: int = DEFAULT_MAX_PAIRS,
    chart_src: str | None = None,
    style: str = HTML_STYLE,
) -> str:
    """The report as one self-contained HTML page; all user text escaped, the chart inline as SVG.

    `chart_src` replaces the inline SVG with `<img src=...>` and `style` replaces the page's CSS (the
    PDF renderer uses both: Qt's layout engine reads a CSS subset and draws the chart itself).
    """
    esc = html.escape
    report = report_blocks(card, max_pairs=max_pairs)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(report.title)}</title>",
        f"<style>{style}</style>",
        "</head><body>",
        f"<h1>{esc(report.title)}</h1>",
    ]
    for block in report.blocks:
        if isinstance(block, Heading):
            parts.append(f"<h{block.level}>{esc(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            parts.append(f'<p class="muted">{esc(block.text)}</p>' if block.muted else f"<p>{esc(block.text)}</p>")
        elif isinstance(block, Bullets):
            parts.append("<ul>" + "".join(f"<li>{esc(item)}</li>" for item in block.items) + "</ul>")
        elif isinstance(block, Table):
            parts.append(_html_table(block))
        elif isinstance(block, Chart):
            if chart_src is None:
                svg = block.svg.replace("<svg ", f'<svg role="img" aria-label="{esc(block.alt)}" ', 1)
                parts.append(f'<div class="chart">{svg}</div>')
            else:
                parts.append(f'<p><img src="{esc(chart_src)}" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" '
                             f'alt="{esc(block.alt)}"></p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
