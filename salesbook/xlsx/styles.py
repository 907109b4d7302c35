"""xl/styles.xml: find or append the fonts, fills, number formats and cell formats (xfs) we need.

Existing entries are never reordered or changed, so every index the workbook already uses
stays valid. An entry is reused when an identical one exists (compared as canonical XML),
so running a command again does not grow the file.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .opc import CT_STYLES, NS_MAIN, RT_STYLES, Package, attrs, esc

# Order of styleSheet children (CT_Stylesheet), to insert a missing collection in place.
_ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
          "tableStyles", "colors", "extLst"]
_MINIMAL = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<styleSheet xmlns="{NS_MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
# Built-in number formats that show dates/times (ECMA-376 18.8.30).
_BUILTIN_DATES = set(range(14, 23)) | {45, 46, 47}


def canonical(el: ET.Element) -> str:
    """Namespace- and attribute-order-independent text of an element, for equality."""
    tag = el.tag.rsplit("}", 1)[-1]
    a = " ".join(f'{k.rsplit("}", 1)[-1]}={v!r}' for k, v in sorted(el.attrib.items()))
    inner = "".join(canonical(c) for c in el)
    text = (el.text or "").strip()
    return f"<{tag} {a}>{text}{inner}</{tag}>"


def is_date_format(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code)   # drop literals, colours, escapes
    return bool(re.search(r"[ymdhYMDH]", code))


class StyleBook:
    """Read view plus append-only edits of the styles part."""

    def __init__(self, pkg: Package):
        self.pkg = pkg
        wb = pkg.office_document()
        part = next((r.target for r in pkg.rels(wb) if r.type == RT_STYLES), None)
        if part is None or not pkg.has(part):
            part = part or "xl/styles.xml"
            pkg.put_text(part, _MINIMAL)
            pkg.set_override(part, CT_STYLES)
            if not any(r.type == RT_STYLES for r in pkg.rels(wb)):
                pkg.add_rel(wb, RT_STYLES, part)
        self.part = part
        self.prefix = re.match(r"\s*(?:<\?[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(\w+:)?styleSheet\b", pkg.text(part), re.S)
        self.prefix = (self.prefix.group(1) or "") if self.prefix else ""
        self._parse()

    def _parse(self) -> None:
        root = ET.fromstring(self.pkg.read(self.part) if self.part not in self.pkg._text
                             else self.pkg.text(self.part).encode("utf-8"))
        self.items: dict[str, list[ET.Element]] = {}
        for name in ("numFmts", "fonts", "fills", "borders", "cellXfs"):
            el = root.find(f"{{{NS_MAIN}}}{name}")
            self.items[name] = list(el) if el is not None else []
        self._canon = {k: [canonical(e) for e in v] for k, v in self.items.items()}

    # --- read -------------------------------------------------------------------
    def xf(self, i: int) -> ET.Element:
        xfs = self.items["cellXfs"]
        return xfs[i] if 0 <= i < len(xfs) else xfs[0]

    def num_format(self, num_fmt_id: int) -> str | None:
        for e in self.items["numFmts"]:
            if e.get("numFmtId") == str(num_fmt_id):
                return e.get("formatCode")
        return None

    def is_date_xf(self, i: int) -> bool:
        n = int(self.xf(i).get("numFmtId", "0"))
        if n in _BUILTIN_DATES:
            return True
        code = self.num_format(n)
        return bool(code) and is_date_format(code)

    # --- find or append -----------------------------------------------------------
    def _add(self, coll: str, xml: str) -> int:
        """Index of an element equal to `xml` in collection `coll`, appended if missing."""
        el = _parse_plain(xml)
        c = canonical(el)
        if c in self._canon[coll]:
            return self._canon[coll].index(c)
        self._append(coll, xml)
        self.items[coll].append(el)
        self._canon[coll].append(c)
        return len(self.items[coll]) - 1

    def _append(self, coll: str, xml: str) -> None:
        p = self.prefix
        if p:
            xml = re.sub(r"<(/?)(?=\w)", rf"<\1{p}", xml)
        text = self.pkg.text(self.part)
        m = re.search(rf"<{re.escape(p)}{coll}\b[^>]*?(/?)>", text)
        if m is None:   # collection missing: create it before the next one in schema order
            later = _ORDER[_ORDER.index(coll) + 1:]
            pos = None
            for name in later:
                mm = re.search(rf"<{re.escape(p)}{name}\b", text)
                if mm:
                    pos = mm.start()
                    break
            if pos is None:
                pos = text.rindex("</")
            text = text[:pos] + f'<{p}{coll} count="0"></{p}{coll}>' + text[pos:]
            m = re.search(rf"<{re.escape(p)}{coll}\b[^>]*?(/?)>", text)
        start = m.group(0)
        if m.group(1):   # <fonts count="0"/>
            start = start[:-2] + ">"
            text = text[:m.start()] + start + f"</{p}{coll}>" + text[m.end():]
            m = re.search(rf"<{re.escape(p)}{coll}\b[^>]*?>", text)
            start = m.group(0)
        close = text.index(f"</{p}{coll}>", m.end())
        count = len(self.items[coll]) + 1
        new_start = re.sub(r'\bcount="\d*"', f'count="{count}"', start) if "count=" in start \
            else start[:-1] + f' count="{count}">'
        text = text[:m.start()] + new_start + text[m.end():close] + xml + text[close:]
        self.pkg.put_text(self.part, text)

    def num_fmt(self, code: str) -> int:
        for e in self.items["numFmts"]:
            if e.get("formatCode") == code:
                return int(e.get("numFmtId"))
        ids = [int(e.get("numFmtId", "0")) for e in self.items["numFmts"]]
        new = max([163] + ids) + 1
        self._add("numFmts", f'<numFmt numFmtId="{new}" formatCode="{esc(code)}"/>')
        return new

    def bold_font(self) -> int:
        """fonts[0] (the workbook's default font) made bold."""
        base = self.items["fonts"][0] if self.items["fonts"] else None
        parts = [] if base is None else [ET.tostring(c, encoding="unicode") for c in base
                                         if c.tag.rsplit("}", 1)[-1] not in ("b",)]
        inner = "<b/>" + "".join(re.sub(r'\sxmlns(:\w+)?="[^"]*"', "", p) for p in parts)
        inner = re.sub(r"<(/?)\w+:", r"<\1", inner)
        return self._add("fonts", f"<font>{inner}</font>")

    def solid_fill(self, rgb: str) -> int:
        return self._add("fills", f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/>'
                                  f'<bgColor indexed="64"/></patternFill></fill>')

    def fill_plain(self, i: int) -> str:
        fills = self.items["fills"]
        return _plain(fills[i] if 0 <= i < len(fills) else fills[0])

    def fill_from_plain(self, xml: str, prefer: int | None = None) -> int:
        """Index of a fill equal to `xml` (recorded earlier), preferring `prefer`; re-added if gone."""
        fills = self._canon["fills"]
        if prefer is not None and 0 <= prefer < len(fills) and fills[prefer] == canonical(_parse_plain(xml)):
            return prefer
        return self._add("fills", xml)

    def xf_index(self, numfmt: int = 0, font: int = 0, fill: int = 0, border: int = 0, **flags: str) -> int:
        a = {"numFmtId": str(numfmt), "fontId": str(font), "fillId": str(fill), "borderId": str(border), "xfId": "0"}
        a.update(flags)
        return self._add("cellXfs", "<xf " + " ".join(f'{k}="{v}"' for k, v in a.items()) + "/>")

    def xf_variant(self, base: int, **changes: str | None) -> int:
        """Index of an xf equal to cellXfs[base] with some attributes changed (None = removed)."""
        el = self.xf(base)
        a = {k: v for k, v in el.attrib.items()}
        for k, v in changes.items():
            if v is None:
                a.pop(k, None)
            else:
                a[k] = v
        children = "".join(_plain(c) for c in el)
        xml = "<xf " + " ".join(f'{k}="{esc(v)}"' for k, v in a.items()) + (f">{children}</xf>" if children else "/>")
        return self._add("cellXfs", xml)

    def canonical_xf(self, i: int) -> str:
        return self._canon["cellXfs"][i] if 0 <= i < len(self._canon["cellXfs"]) else self._canon["cellXfs"][0]


def _plain(el: ET.Element) -> str:
    """Element as XML in the main namespace without prefixes (to append it again)."""
    tag = el.tag.rsplit("}", 1)[-1]
    a = "".join(f' {k.rsplit("}", 1)[-1]}="{esc(v)}"' for k, v in el.attrib.items() if not k.startswith("{"))
    inner = "".join(_plain(c) for c in el)
    return f"<{tag}{a}>{esc(el.text or '')}{inner}</{tag}>" if inner or el.text else f"<{tag}{a}/>"


def _parse_plain(xml: str) -> ET.Element:
    return ET.fromstring(f'<r xmlns="{NS_MAIN}">{xml}</r>')[0]
