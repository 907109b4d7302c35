"""The plain-text alternative of a report's HTML (for clients that show no HTML)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "br", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "li", "table", "section",
           "header", "footer", "ul", "ol", "caption", "hr"}
_CELLS = {"td", "th"}
_SKIP = {"style", "script", "head"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[list[str]] = [[]]
        self.skip = 0
        self.cell = False

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCKS:
            self._newline()
        elif tag in _CELLS:
            self.lines[-1].append("\t" if self.lines[-1] else "")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.lines[-1].append(f"[{alt}]")
        if tag == "li":
            self.lines[-1].append("- ")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS:
            self._newline()

    def handle_data(self, data):
        if not self.skip:
            text = re.sub(r"\s+", " ", data)
            if text.strip():
                self.lines[-1].append(text.strip() if self.lines[-1] and self.lines[-1][-1] == "\t" else text)

    def _newline(self):
        if self.lines[-1]:
            self.lines.append([])


def html_to_text(html: str) -> str:
    """Readable text: one line per block or table row, cells separated by tabs."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    out = []
    for parts in parser.lines:
        line = "".join(parts).strip()
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"
