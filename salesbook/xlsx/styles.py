"""The styles part: find or append the number formats, fonts, fills, cell formats (xfs) and
differential formats (dxfs) salesbook needs.

Existing entries are never reordered or changed, so every index the workbook already uses
stays valid. An entry is reused when an equal one exists (compared by content, whatever
the prefixes), so running a command again does not grow the part. Collections are the
styleSheet's direct children in the main namespace; an `mc:AlternateContent` entry counts
as one entry (Excel picks one of its branches), whatever it holds.
"""
from __future__ import annotations

import posixpath
import re

from .opc import CT_STYLES, NS_MAIN, RT_STYLES, Damaged, Package, esc
from .xmldoc import Doc, Element, insert_child, parse, splice

# Order of styleSheet children (CT_Stylesheet), to insert a missing collection in place.
_ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
          "tableStyles", "colors", "extLst"]
_MINIMAL = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<styleSheet xmlns="{NS_MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>').encode()
# Number formats every Excel knows by id (ECMA-376 18.8.30); others are added as numFmts.
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "@": 49}
# The entries an xf's ids 0 point at (fonts[0] is the default font; fills 0 and 1 are
# reserved by Excel), written into a styles part that lacks them before anything is added.
_SEEDS = {"fonts": ['<font><sz val="11"/><name val="Calibri"/></font>'],
          "fills": ['<fill><patternFill patternType="none"/></fill>',
                    '<fill><patternFill patternType="gray125"/></fill>'],
          "borders": ["<border><left/><right/><top/><bottom/><diagonal/></border>"],
          "cellStyleXfs": ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'],
          "cellXfs": ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'],
          "cellStyles": ['<cellStyle name="Normal" xfId="0" builtinId="0"/>']}


def canonical(el: Element) -> str:
    """Namespace- and attribute-order-independent text of an element, for equality."""
    a = " ".join(f"{k.rsplit(':', 1)[-1]}={v!r}" for k, v in sorted(el.attrs.items())
                 if not (k == "xmlns" or k.startswith("xmlns:")))
    inner = "".join(canonical(c) for c in el.children)
    return f"<{el.ns}|{el.local} {a}>{el.text.strip()}{inner}</{el.local}>"


def _plain(xml: str) -> Element:
    """An element written without prefixes, in the main namespace."""
    return parse(f'<r xmlns="{NS_MAIN}">{xml}</r>'.encode("utf-8"), keep_text=True).children[0]


class StyleBook:
    """Read view plus append-only edits of the styles part."""

    def __init__(self, pkg: Package):
        self.pkg = pkg
        wb = pkg.office_document()
        part = next((r.target for r in pkg.rels(wb) if r.type == RT_STYLES and not r.external), None)
        if part is None or not pkg.has(part):
            # xl/styles.xml where possible: some readers (openpyxl) look only there
            part = part or ("xl/styles.xml" if not pkg.find("xl/styles.xml") else
                            pkg.free_name(posixpath.join(posixpath.dirname(wb), "styles{}.xml")))
            pkg.put(part, _MINIMAL)
            pkg.set_override(part, CT_STYLES)
            if not any(r.type == RT_STYLES for r in pkg.rels(wb)):
                pkg.add_rel(wb, RT_STYLES, part)
        self.part = part
        root = self._doc().root
        if root.ns != NS_MAIN or root.local != "styleSheet":
            raise Damaged(part, f"root element is <{root.qname}>, not a styleSheet")
        self._canon: dict[str, list[str]] = {}

    def _doc(self) -> Doc:
        return self.pkg.doc(self.part, keep_text=True)

    def _coll(self, name: str) -> Element | None:
        return self._doc().root.kid(NS_MAIN, name)

    def entries(self, name: str) -> list[Element]:
        coll = self._coll(name)
        return [c for c in coll.children] if coll is not None else []

    def count(self, name: str) -> int:
        return len(self.entries(name))

    def _canonicals(self, name: str) -> list[str]:
        if name not in self._canon:
            self._canon[name] = [canonical(e) for e in self.entries(name)]
        return self._canon[name]

    # --- find or append -----------------------------------------------------------
    def add(self, coll: str, xml: str) -> int:
        """Index of an entry equal to `xml` (plain markup) in collection `coll`, appended if missing."""
        want = canonical(_plain(xml))
        have = self._canonicals(coll)
        if want in have:
            return have.index(want)
        self._append(coll, xml)
        return len(self._canonicals(coll)) - 1

    def _ensure_base(self) -> None:
        """Give empty collections the default entries the ids 0 (and Excel's fill 1) mean."""
        for coll, seeds in _SEEDS.items():
            have = self._canonicals(coll)
            for i, xml in enumerate(seeds):
                if len(have) <= i:
                    self._append(coll, xml)
                    have = self._canonicals(coll)

    def _append(self, coll: str, xml: str) -> None:
        doc = self._doc()
        el = self._coll(coll)
        if el is None:   # collection missing: create it before the next one in schema order
            later = set(_ORDER[_ORDER.index(coll) + 1:])
            before = next((c for c in doc.root.children if c.ns == NS_MAIN and c.local in later), None)
            qname = f"{doc.root.prefix}:{coll}" if doc.root.prefix else coll
            new = f'<{qname} count="0"></{qname}>'.encode("utf-8")
            self.pkg.put(self.part, insert_child(doc.data, doc.root, new, before))
            doc = self._doc()
            el = self._coll(coll)
        if el.prefix:   # the collection's own prefix is bound to the main namespace where it is
            xml = re.sub(r"<(/?)(?=[A-Za-z_])", rf"<\1{el.prefix}:", xml)
        data = insert_child(doc.data, el, xml.encode("utf-8"))
        # recount: the start tag of the collection is at the same offset
        new_doc = Doc(data, keep_text=True)
        new_el = new_doc.root.kid(NS_MAIN, coll)
        tag = data[new_el.start:new_el.start_end].decode("utf-8")
        n = len(new_el.children)
        if re.search(r'\scount\s*=\s*["\'][^"\']*["\']', tag):
            tag = re.sub(r'(\scount\s*=\s*)["\'][^"\']*["\']', rf'\g<1>"{n}"', tag, count=1)
        else:
            end = len(tag) - (2 if tag.endswith("/>") else 1)
            tag = tag[:end].rstrip() + f' count="{n}"' + tag[end:]
        self.pkg.put(self.part, splice(data, [(new_el.start, new_el.start_end, tag.encode("utf-8"))]))
        self._canon.pop(coll, None)

    # --- what the writer asks for -----------------------------------------------------
    def num_fmt(self, code: str) -> int:
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        ids = []
        for e in self.entries("numFmts"):
            if e.attrs.get("formatCode") == code and e.attrs.get("numFmtId", "").isdigit():
                return int(e.attrs["numFmtId"])
            if e.attrs.get("numFmtId", "").isdigit():
                ids.append(int(e.attrs["numFmtId"]))
        new = max([163] + ids) + 1
        self.add("numFmts", f'<numFmt numFmtId="{new}" formatCode="{esc(code)}"/>')
        return new

    def font(self, *, bold: bool = False, rgb: str | None = None) -> int:
        """fonts[0] (the workbook's default font: name and size) made bold and/or coloured."""
        self._ensure_base()
        base = self.entries("fonts")[:1]
        keep = []
        for c in (base[0].children if base else []):
            if c.local in ("b", "color") or c.ns != NS_MAIN:
                continue
            attrs = "".join(f' {k}="{esc(v)}"' for k, v in c.attrs.items() if ":" not in k and k != "xmlns")
            keep.append(f"<{c.local}{attrs}/>")
        # CT_Font is a sequence: b first; color after the flags, before sz (kept order: i, strike, ...)
        flags = [k for k in keep if k.split()[0].rstrip("/>")[1:] in ("i", "strike", "condense", "extend",
                                                                      "outline", "shadow", "u", "vertAlign")]
        rest = [k for k in keep if k not in flags]
        color = [f'<color rgb="{rgb}"/>'] if rgb else []
        inner = ("<b/>" if bold else "") + "".join(flags) + "".join(color) + "".join(rest)
        return self.add("fonts", f"<font>{inner}</font>")

    def solid_fill(self, rgb: str) -> int:
        self._ensure_base()
        return self.add("fills", f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/>'
                                 f'<bgColor indexed="64"/></patternFill></fill>')

    def xf(self, *, numfmt: int = 0, font: int = 0, fill: int = 0, border: int = 0,
           alignment: dict[str, str] | None = None) -> int:
        self._ensure_base()
        a = {"numFmtId": str(numfmt), "fontId": str(font), "fillId": str(fill), "borderId": str(border), "xfId": "0"}
        if numfmt:
            a["applyNumberFormat"] = "1"
        if font:
            a["applyFont"] = "1"
        if fill:
            a["applyFill"] = "1"
        if alignment:
            a["applyAlignment"] = "1"
        head = "<xf " + " ".join(f'{k}="{v}"' for k, v in a.items())
        if alignment:
            al = " ".join(f'{k}="{v}"' for k, v in alignment.items())
            return self.add("cellXfs", f"{head}><alignment {al}/></xf>")
        return self.add("cellXfs", head + "/>")

    def dxf_fill(self, rgb: str) -> int:
        return self.add("dxfs", f'<dxf><fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/>'
                                f'<bgColor rgb="{rgb}"/></patternFill></fill></dxf>')

