"""HTML helpers shared by the page importers: parse, read text, turn rich text into safe Markdown.

Rich text (question and answer bodies) becomes Markdown paragraphs; tables are kept as plain HTML
tables (cell text escaped, only colspan/rowspan kept), which the site's sanitiser lets through and
which keep merged cells that Markdown pipe tables cannot express.
"""

from __future__ import annotations

import html as htmllib
import re

from bs4 import BeautifulSoup, NavigableString, Tag

from ..errors import DossierError
from ..text import squash
from .labels import LABELS, label_key
from .lines import escape_markdown

_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
           "article", "center", "tr", "hr", "dl", "dd", "dt"}
_EMPHASIS = {"em": "*", "i": "*", "strong": "**", "b": "**"}


def complete_page(path: str, text: str) -> str:
    """Return the page text, or refuse a page cut short (a saved page ends with '</html>')."""
    if not re.search(r"</html\s*>\s*(<!--.*?-->\s*)*$", text[-2000:], re.I | re.S):
        raise DossierError("truncated page: no closing </html> (save the whole page again)", path)
    return text


def soup_of(text: str) -> BeautifulSoup:
    """Parse a page with the standard-library parser (no native dependency)."""
    page = BeautifulSoup(text, "html.parser")
    for tag in page(["script", "style", "noscript", "svg", "template"]):
        tag.decompose()
    return page


def text_of(node) -> str:
    """The visible text of a node, white space collapsed."""
    if node is None:
        return ""
    return squash(node.get_text(" ") if isinstance(node, Tag) else str(node))


def block_lines(node) -> list[str]:
    """The text of a node as the browser lays it out: one line per block, table cells side by side."""
    lines: list[str] = []
    current: list[str] = []
    _lines(node, lines, current)
    _flush(lines, current)
    return lines


def _lines(node, lines: list, current: list) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:
                current.append(str(child))
        elif child.name in ("td", "th"):
            current.append(" ")
            _lines(child, lines, current)
            current.append(" ")
        elif child.name in _BLOCKS or child.name in ("header", "footer", "table", "tbody", "form", "main", "nav"):
            _flush(lines, current)
            _lines(child, lines, current)
            _flush(lines, current)
        else:
            _lines(child, lines, current)


def to_markdown(node) -> str:
    """Turn an HTML fragment into Markdown: escaped paragraphs, emphasis kept, tables as HTML."""
    blocks: list[str] = []
    current: list[str] = []
    _walk(node, blocks, current)
    _flush(blocks, current)
    return "\n\n".join(b for b in blocks if b)


def _flush(blocks: list, current: list) -> None:
    text = squash("".join(current))
    if text:
        blocks.append(text)
    current.clear()


def _walk(node, blocks: list, current: list) -> None:
    for child in node.children if isinstance(node, Tag) else [node]:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a comment, CDATA marker or doctype
                current.append(escape_markdown(re.sub(r"\s+", " ", str(child))))
        elif child.name == "table":
            _flush(blocks, current)
            blocks.append(table_html(child))
        elif child.name in _EMPHASIS and text_of(child):
            mark, raw = _EMPHASIS[child.name], child.get_text()
            lead, trail = (" " if raw[:1].isspace() else ""), (" " if raw[-1:].isspace() else "")
            current.append(f"{lead}{mark}{escape_markdown(text_of(child))}{mark}{trail}")
        elif child.name in _BLOCKS:
            _flush(blocks, current)
            _walk(child, blocks, current)
            _flush(blocks, current)
        else:
            _walk(child, blocks, current)


def table_html(table: Tag) -> str:
    """Rewrite a table as clean HTML on one block: rows and cells, text escaped, spans kept."""
    rows = []
    for tr in table.find_all("tr"):
        cells = []
        for cell in tr.find_all(["td", "th"]):
            spans = "".join(f' {a}="{int(cell[a])}"' for a in ("colspan", "rowspan")
                            if str(cell.get(a, "")).strip().isdigit() and int(cell[a]) > 1)
            cells.append(f"<{cell.name}{spans}>{htmllib.escape(text_of(cell), quote=False)}</{cell.name}>")
        if cells:
            rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>\n" + "\n".join(rows) + "\n</table>" if rows else ""


def apply_label(facts: dict, label: str, value: str, path: str, line: int | None = None) -> bool:
    """Read one 'label: value' pair through labels.LABELS into facts; False when the label is unknown."""
    entry = LABELS.get(label_key(label))
    if entry is None:
        return False
    targets, reader = entry
    try:
        values = reader(value)
    except ValueError as exc:
        raise DossierError(f"'{squash(label)}': {exc}", path, line) from None
    for target, got in zip(targets, values):
        if isinstance(got, list):
            facts[target] = facts.get(target, []) + got
        elif got is not None:
            facts[target] = got
    return True


def require(node, what: str, path: str):
    """Return node, or raise an error naming the file and what was looked for."""
    if node is None or (isinstance(node, Tag) and not text_of(node)):
        raise DossierError(f"no {what} found", path)
    return node
