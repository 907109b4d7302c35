"""Legacy cell comments of one sheet: the comments part and the VML note shapes that show them.

Only comments whose author is salesbook (and their note shapes) are ever removed; the
user's comments, other VML shapes (form controls) and unknown markup are kept as they are.
Both parts are edited as text (Excel's VML is not always well-formed XML).
"""
from __future__ import annotations

import html
import re

from .cells import split_ref, xml_text
from .opc import NS_MAIN

AUTHOR = "salesbook"
_VML_NS = ('xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel"')
_SHAPETYPE = ('<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
              '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')


class Comments:
    def __init__(self, xml: str | None):
        if xml is None:
            xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="{NS_MAIN}">'
                   "<authors></authors><commentList></commentList></comments>")
        root = re.search(r"<(\w+:)?comments\b", xml)
        self.p = (root.group(1) or "") if root else ""
        p = re.escape(self.p)
        xml = re.sub(rf"<({p})authors\s*/>", r"<\1authors></\1authors>", xml)
        xml = re.sub(rf"<({p})commentList\s*/>", r"<\1commentList></\1commentList>", xml)
        a = re.search(rf"<{p}authors\b[^>]*>(.*?)</{p}authors>", xml, re.S)
        cl = re.search(rf"<{p}commentList\b[^>]*>(.*?)</{p}commentList>", xml, re.S)
        if not a or not cl:
            raise ValueError("unexpected comments part")
        self._head, self._mid, self._end = xml[:a.start(1)], xml[a.end(1):cl.start(1)], xml[cl.end(1):]
        self.authors = [html.unescape(t) for t in re.findall(rf"<{p}author>(.*?)</{p}author>", a.group(1), re.S)]
        self._authors_xml = a.group(1)
        self.items: list[tuple[str, int, str]] = []   # (ref, authorId, xml)
        for m in re.finditer(rf"<{p}comment\b([^>]*)>.*?</{p}comment>", cl.group(1), re.S):
            ref = re.search(r'\bref="([^"]+)"', m.group(1)).group(1)
            aid = re.search(r'\bauthorId="(\d+)"', m.group(1))
            self.items.append((ref, int(aid.group(1)) if aid else 0, m.group(0)))

    def refs(self) -> set[str]:
        return {ref for ref, _, _ in self.items}

    def remove_ours(self) -> set[str]:
        """Drop salesbook's comments; returns their cell references."""
        ours = {i for i, a in enumerate(self.authors) if a == AUTHOR}
        gone = {ref for ref, aid, _ in self.items if aid in ours}
        self.items = [it for it in self.items if it[1] not in ours]
        return gone

    def add(self, ref: str, note: str) -> None:
        if AUTHOR not in self.authors:
            self.authors.append(AUTHOR)
            self._authors_xml += f"<{self.p}author>{AUTHOR}</{self.p}author>"
        aid = self.authors.index(AUTHOR)
        p = self.p
        el = (f'<{p}comment ref="{ref}" authorId="{aid}" shapeId="0"><{p}text>'
              + xml_text(note).replace("<t", f"<{p}t", 1).replace("</t>", f"</{p}t>") + f"</{p}text></{p}comment>")
        self.items.append((ref, aid, el))
        self._unsorted = True

    def to_xml(self) -> str:
        if getattr(self, "_unsorted", False):  # sorted once here: inserting each in place is O(n²)
            self.items.sort(key=lambda it: split_ref(it[0]))
            self._unsorted = False
        authors = self._authors_xml
        used = {aid for _, aid, _ in self.items}
        if self.authors and self.authors[-1] == AUTHOR and len(self.authors) - 1 not in used:
            # salesbook was appended last and is unused now: drop it again (ids of others unchanged)
            authors = re.sub(rf"<{re.escape(self.p)}author>{AUTHOR}</{re.escape(self.p)}author>\s*$", "", authors)
        return self._head + authors + self._mid + "".join(x for _, _, x in self.items) + self._end


_SHAPE = re.compile(r"<v:shape\b[^>]*>.*?</v:shape>", re.S)


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
        for m in re.finditer(r'<o:idmap\b[^>]*\bdata="([^"]*)"', text):
            blocks |= {int(x) for x in re.findall(r"\d+", m.group(1))}
        ids = {int(x) for x in re.findall(r'<v:shape\b[^>]*\bid="_x0000_s(\d+)"', text)}
        return blocks, ids

    def shape_count(self) -> int:
        return len(_SHAPE.findall(self.text)) + len(re.findall(r"<v:shape\b[^>]*/>", self.text))

    def remove_notes(self, cells: set[tuple[int, int]]) -> None:
        """Remove note shapes anchored on (row, col) 1-based cells."""
        def keep(m: re.Match) -> str:
            s = m.group(0)
            if 'ObjectType="Note"' not in s:
                return s
            r = re.search(r"<x:Row>\s*(\d+)\s*</x:Row>", s)
            c = re.search(r"<x:Column>\s*(\d+)\s*</x:Column>", s)
            if r and c and (int(r.group(1)) + 1, int(c.group(1)) + 1) in cells:
                return ""
            return s
        self.text = _SHAPE.sub(keep, self.text)

    def note_shape(self, row: int, col: int, shape_id: int) -> str:
        """The VML note shape for a comment on (row, col), 1-based."""
        r0, c0 = row - 1, col - 1
        top = max(r0 - 1, 0)
        shape = (f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style="position:absolute;margin-left:80pt;'
                 'margin-top:2pt;width:180pt;height:60pt;z-index:1;visibility:hidden" fillcolor="#ffffe1" '
                 'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
                 '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
                 '<div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/>'
                 f"<x:SizeWithCells/><x:Anchor>{c0 + 1}, 15, {top}, 2, {c0 + 4}, 15, {top + 4}, 16</x:Anchor>"
                 f"<x:AutoFill>False</x:AutoFill><x:Row>{r0}</x:Row><x:Column>{c0}</x:Column></x:ClientData>"
                 "</v:shape>")
        return shape

    def add_shapes(self, shapes: list[str]) -> None:
        """Insert note shapes in one splice (one at a time is quadratic in the text size)."""
        if not shapes:
            return
        if 'id="_x0000_t202"' not in self.text:
            shapes = [_SHAPETYPE] + shapes
        self.text = self._insert_before_close("".join(shapes))

    def add_note(self, row: int, col: int, shape_id: int) -> None:
        self.add_shapes([self.note_shape(row, col, shape_id)])

    def ensure_block(self, block: int) -> None:
        m = re.search(r'(<o:idmap\b[^>]*\bdata=")([^"]*)(")', self.text)
        if m is None:
            return
        have = {int(x) for x in re.findall(r"\d+", m.group(2))}
        if block not in have:
            self.text = self.text[:m.end(2)] + f",{block}" + self.text[m.end(2):]

    def _insert_before_close(self, el: str) -> str:
        i = self.text.rindex("</xml>")
        return self.text[:i] + el + self.text[i:]
