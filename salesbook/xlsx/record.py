"""What salesbook last wrote into each input sheet, so that a re-run with the same marks
leaves those sheets alone without even inflating them.

The record is a custom XML part of the workbook (`customXml/itemN.xml`, namespace
`urn:salesbook:marks:1`, with its itemProps; the package's own place for application
data, kept by Excel). Per input sheet it holds the CRC-32 and size of the sheet part (and
of its notes and note-shape parts) as written, and a digest of the marks put there ("-"
for none). On the next run a sheet whose parts still have those CRCs and sizes carries
exactly those marks: if the new marks have the same digest, the sheet is copied as it is.
After any other program saves the file the CRCs differ, so a stale record only fails to
match, and the sheet is looked at as usual. The record is written last, once the CRCs of
everything else in the new zip are known.
"""
from __future__ import annotations

import hashlib

from .opc import REL, Damaged, Package, esc
from .xmldoc import XmlError, parse

NS = "urn:salesbook:marks:1"
NONE = "-"
RT_CUSTOMXML = REL + "customXml"
RT_CUSTOMXML_PROPS = REL + "customXmlProps"
CT_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
ITEM_ID = "{6E3C2A2B-5B0E-4C4D-9E1F-53414C455342}"   # fixed: the same inputs give the same bytes

Entry = tuple[str, tuple[tuple[str, int, int], ...]]   # (digest, ((member, crc, size), ...))


def digest(marks: list) -> str:
    """Digest of the marks of one sheet (order-independent)."""
    if not marks:
        return NONE
    h = hashlib.sha1()
    for m in sorted((m.row, m.column, m.level, m.note) for m in marks):
        h.update(repr(m).encode("utf-8"))
    return h.hexdigest()[:16]


def find(pkg: Package) -> str | None:
    """The record part of this workbook, if it has one."""
    wb = pkg.office_document()
    for r in pkg.rels(wb):
        if r.type == RT_CUSTOMXML and not r.external and pkg.has(r.target):
            try:
                if parse(pkg.read(r.target)[:1 << 20]).ns == NS:
                    return r.target
            except (XmlError, Damaged):
                continue
    return None


def load(pkg: Package) -> dict[str, Entry]:
    part = find(pkg)
    if part is None:
        return {}
    out = {}
    for sheet in parse(pkg.read(part)).kids(NS, "sheet"):
        try:
            members = tuple((p.attrs["name"], int(p.attrs["crc"], 16), int(p.attrs["size"]))
                            for p in sheet.kids(NS, "part"))
        except (KeyError, ValueError):
            return {}
        if members:
            out[members[0][0]] = (sheet.attrs.get("marks", ""), members)
    return out


def render(states: dict[str, tuple[str, list[str]]], written: dict[str, tuple[int, int]]) -> bytes:
    """The record for the file being written: `states` = sheet part -> (digest, its notes parts);
    `written` = member -> (crc, size) in the new zip. Sheets not fully written are left out."""
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<marks xmlns="{NS}">']
    for part in sorted(states):
        dig, related = states[part]
        members = [part] + sorted(related)
        if any(m not in written for m in members):
            continue
        out.append(f'<sheet marks="{dig}">' + "".join(
            f'<part name="{esc(m)}" crc="{written[m][0]:08x}" size="{written[m][1]}"/>' for m in members) + "</sheet>")
    out.append("</marks>")
    return "".join(out).encode("utf-8")


def install(pkg: Package, states: dict[str, tuple[str, list[str]]]) -> None:
    """Have the new zip end with the record of `states` (the part is added on first use)."""
    part = find(pkg)
    if part is None:
        wb = pkg.office_document()
        part = pkg.free_name("customXml/item{}.xml")
        props = part.replace("/item", "/itemProps")
        pkg.put(props, (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ds:datastoreItem '
                        f'ds:itemID="{ITEM_ID}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/'
                        f'customXml"><ds:schemaRefs><ds:schemaRef ds:uri="{NS}"/></ds:schemaRefs>'
                        "</ds:datastoreItem>").encode())
        pkg.set_override(props, CT_PROPS)
        pkg.add_rel(part, RT_CUSTOMXML_PROPS, props)
        pkg.add_rel(wb, RT_CUSTOMXML, part)
        if pkg.content_type(part) is None:
            pkg.ensure_content_type(part, "xml", "application/xml")
    pkg.put_last(part, lambda written: render(states, written))
