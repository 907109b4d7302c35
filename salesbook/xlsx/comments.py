"""Legacy cell comments of one sheet: the comments part and the VML note shapes that show them.

Which notes are ours is the marking contract's rule (`marks.is_our_note`: the text prefix,
or the old author). Only our notes (and their note shapes) are ever removed; the user's
notes keep their place and bytes, other VML shapes (form controls) and unknown markup are
kept as they are. Our notes are appended after the user's, in cell order. The VML part is
edited as text (Excel's VML is not always well-formed XML).
"""
from __future__ import annotations

import re

from .. import marks
from .cells import split_ref, xml_text
from .opc import NS_MAIN, Damaged
from .xmldoc import Doc, XmlError

_VML_NS = ('xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel"')
_SHAPETYPE = ('<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
              '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')
_NEW = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="{NS_MAIN}">'
        "<authors></authors><commentList></commentList></comments>").encode()


class Comments:
    """The comments part of one sheet: which cells have notes, whose, and edits to ours."""

    def __init__(self, data: bytes | None, part: str = "comments"):
        data = _NEW if data is None else data
        try:
            doc = Doc(_expanded(data), keep_text=True)
        except XmlError as exc:
            raise Damaged(part, str(exc)) from exc
        root = doc.root
        authors = root.kid(NS_MAIN, "authors")
        clist = root.kid(NS_MAIN, "commentList")
        if root.local != "comments" or authors is None or clist is None:
            raise Damaged(part, "unexpected comments part")
        self.p = f"{root.prefix}:" if root.prefix else ""
        d = doc.data
        self._head = d[:authors.start_end]
        self._authors = [d[a.start:a.end] for a in authors.children]
        self.authors = [a.all_text() for a in authors.children]
        self._mid = d[d.rindex(b"</", authors.start_end, authors.end):clist.start_end]
        self._end = d[d.rindex(b"</", clist.start_end, clist.end):]
        self.items: list[tuple[str, int, bytes, bool]] = []   # (ref, authorId, markup, ours)
        for c in clist.children:
            ref = c.attrs.get("ref", "")
            try:
                aid = int(c.attrs.get("authorId", "0"))
            except ValueError:
                aid = 0
            author = self.authors[aid] if 0 <= aid < len(self.authors) else None
            text = next((t.all_text() for t in c.children if t.local == "text"), "")
            self.items.append((ref, aid, d[c.start:c.end], marks.is_our_note(text, author)))
        self._added: list[tuple[str, bytes]] = []
        self._added_author = False

    def refs(self) -> set[str]:
        return {ref for ref, _, _, _ in self.items}

    def has_ours(self) -> bool:
        return any(ours for *_, ours in self.items)

    def remove_ours(self) -> set[str]:
        """Drop salesbook's notes; returns their cell references."""
        gone = {ref for ref, _, _, ours in self.items if ours}
        self.items = [it for it in self.items if not it[3]]
        return gone

    def add(self, ref: str, note: str) -> None:
        if marks.NOTE_AUTHOR not in self.authors:
            self.authors.append(marks.NOTE_AUTHOR)
            self._authors.append(f"<{self.p}author>{marks.NOTE_AUTHOR}</{self.p}author>".encode())
            self._added_author = True
        aid = self.authors.index(marks.NOTE_AUTHOR)
        p = self.p
        body = xml_text(marks.note_text(note)).replace("<t", f"<{p}t", 1).replace("</t>", f"</{p}t>")
        self._added.append((ref, f'<{p}comment ref="{ref}" authorId="{aid}" shapeId="0"><{p}text>{body}'
                                 f"</{p}text></{p}comment>".encode("utf-8")))

    def count(self) -> int:
        return len(self.items) + len(self._added)

    def to_xml(self) -> bytes:
        authors = list(self._authors)
        if self._added_author and not self._added:
            authors.pop()
        elif not self._added and self.authors and self.authors[-1] == marks.NOTE_AUTHOR \
                and all(aid != len(self.authors) - 1 for _, aid, _, _ in self.items):
            authors.pop()   # our author, appended last by an earlier run, unused now
        added = [x for _, x in sorted(self._added, key=lambda it: split_ref(it[0]))]
        return b"".join([self._head, *authors, self._mid, *(x for _, _, x, _ in self.items), *added, self._end])


def _expanded(data: bytes) -> bytes:
    """<authors/> and <commentList/> written open, so entries can go inside."""
    return re.sub(rb"<((?:\w+:)?(?:authors|commentList))(\s[^>]*)?/>", rb"<\1\2></\1>", data, count=2)


# Note shapes (never empty elements), whatever prefix the writer of the part used (openpyxl: ns1:).
_SHAPE = re.compile(r"<((?:[\w.-]+:)?)shape\b[^>]*>.*?</\1shape\s*>", re.S)
_IDMAP = re.compile(r'(<(?:[\w.-]+:)?idmap\b[^>]*\bdata\s*=\s*")([^"]*)(")')
_SHAPE_ID = re.compile(r'<(?:[\w.-]+:)?shape\b[^>]*\bid\s*=\s*"_x0000_s(\d+)"')
_PREFIXES = {"v": "urn:schemas-microsoft-com:vml", "o": "urn:schemas-microsoft-com:office:office",
             "x": "urn:schemas-microsoft-com:office:excel"}


class Vml:
    def __init__(self, text: str | None, first_block: int):
        self.new = text is None
        if text is None:
            text = (f'<xml {_VML_NS}><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{first_block}"/>'
                    f"</o:shapelayout>{_SHAPETYPE}</xml>")
        self.text = text

    @staticmethod
    def blocks_and_ids(text: str) -> tuple[set[int], set[int]]:
        blocks = set()
        for m in _IDMAP.finditer(text):
            blocks |= {int(x) for x in re.findall(r"\d+", m.group(2))}
        return blocks, {int(x) for x in _SHAPE_ID.findall(text)}

    def is_ours_and_empty(self) -> bool:
        """Nothing left but the skeleton salesbook writes for a new note-shape part."""
        skeleton = (re.escape(f'<xml {_VML_NS}><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="') + "[0-9,]+"
                    + re.escape(f'"/></o:shapelayout>{_SHAPETYPE}</xml>'))
        return re.fullmatch(skeleton, self.text) is not None

    def remove_notes(self, cells: set[tuple[int, int]]) -> None:
        """Remove note shapes anchored on (row, col) 1-based cells."""
        def keep(m: re.Match) -> str:
            s = m.group(0)
            if not re.search(r"ObjectType\s*=\s*[\"']Note[\"']", s):
                return s
            r = re.search(r"<(?:[\w.-]+:)?Row>\s*(\d+)\s*</", s)
            c = re.search(r"<(?:[\w.-]+:)?Column>\s*(\d+)\s*</", s)
            if r and c and (int(r.group(1)) + 1, int(c.group(1)) + 1) in cells:
                return ""
            return s
        self.text = _SHAPE.sub(keep, self.text)

    def note_shape(self, row: int, col: int, shape_id: int) -> str:
        """The VML note shape for a comment on (row, col), 1-based."""
        r0, c0 = row - 1, col - 1
        top = max(r0 - 1, 0)
        return (f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style="position:absolute;margin-left:80pt;'
                'margin-top:2pt;width:180pt;height:60pt;z-index:1;visibility:hidden" fillcolor="#ffffe1" '
                'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
                '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
                '<div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/>'
                f"<x:SizeWithCells/><x:Anchor>{c0 + 1}, 15, {top}, 2, {c0 + 4}, 15, {top + 4}, 16</x:Anchor>"
                f"<x:AutoFill>False</x:AutoFill><x:Row>{r0}</x:Row><x:Column>{c0}</x:Column></x:ClientData>"
                "</v:shape>")

    def add_shapes(self, shapes: list[str]) -> None:
        """Insert note shapes in one splice (one at a time is quadratic in the text size)."""
        if not shapes:
            return
        if 'id="_x0000_t202"' not in self.text:
            shapes = [_SHAPETYPE] + shapes
        self._declare_prefixes()
        i = self.text.rindex("</")
        self.text = self.text[:i] + "".join(shapes) + self.text[i:]

    def drop_unused_prefixes(self) -> None:
        """Undo `_declare_prefixes` once no element uses our prefixes any more (clearing restores the part)."""
        if self.text.startswith(f"<xml {_VML_NS}>"):
            return   # a part salesbook made: its own declarations stay
        for p, uri in _PREFIXES.items():
            decl = f' xmlns:{p}="{uri}"'
            if decl in self.text and not re.search(rf"</?{p}:", self.text):
                self.text = self.text.replace(decl, "", 1)

    def _declare_prefixes(self) -> None:
        """Our shapes say v:, o:, x:; a part written with other prefixes gets those declared too."""
        m = re.match(r"\s*(?:<\?[^>]*\?>\s*)?<[\w.:-]+", self.text)
        if m is None:
            return
        root_end = self.text.index(">", m.end())
        root = self.text[:root_end]
        missing = "".join(f' xmlns:{p}="{uri}"' for p, uri in _PREFIXES.items() if f"xmlns:{p}=" not in root)
        if missing:
            at = root_end - 1 if self.text[root_end - 1] == "/" else root_end
            self.text = self.text[:at] + missing + self.text[at:]

    def ensure_block(self, block: int) -> None:
        m = _IDMAP.search(self.text)
        if m is None:
            return
        have = {int(x) for x in re.findall(r"\d+", m.group(2))}
        if block not in have:
            self.text = self.text[:m.end(2)] + f",{block}" + self.text[m.end(2):]
