"""The workbook part and docProps/app.xml: the sheet list, kept consistent as sheets are added."""
from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass

from .opc import CT_WORKSHEET, NS_MAIN, NS_R, RT_CALCCHAIN, RT_WORKSHEET, Damaged, Package, esc
from .xmldoc import Doc, splice

_BAD_NAME = re.compile(r"[\[\]:*?/\\]")
NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def check_sheet_name(name: str) -> None:
    """Excel's rules for a sheet name; breaking them is a programming error."""
    if not isinstance(name, str) or not name or len(name) > 31 or _BAD_NAME.search(name) \
            or name[0] == "'" or name[-1] == "'" or name.lower() == "history":
        raise ValueError(f"invalid sheet name {name!r}: 1-31 characters, none of []:*?/\\, "
                         "no leading/trailing apostrophe, not 'History'")


@dataclass
class Sheet:
    name: str
    sheet_id: int
    rid: str
    part: str | None      # zip member of the sheet part (None if the rel is missing)
    rtype: str


class Workbook:
    def __init__(self, pkg: Package):
        self.pkg = pkg
        self.part = pkg.office_document()
        root = pkg.doc(self.part).root
        if root.ns != NS_MAIN or root.local != "workbook":
            raise Damaged(self.part, f"root element is <{root.qname}>, not a workbook")
        pr = root.kid(NS_MAIN, "workbookPr")
        self.date1904 = pr is not None and pr.attrs.get("date1904", "").lower() in ("1", "true")
        self._load()

    @property
    def epoch(self) -> dt.datetime:
        return dt.datetime(1904, 1, 1) if self.date1904 else dt.datetime(1899, 12, 30)

    def _sheets_el(self):
        return self.pkg.doc(self.part).root.kid(NS_MAIN, "sheets")

    def _load(self) -> None:
        rels = {r.id: r for r in self.pkg.rels(self.part)}
        self.sheets: list[Sheet] = []
        sheets = self._sheets_el()
        for el in (sheets.kids(NS_MAIN, "sheet") if sheets is not None else []):
            rid = el.attr(NS_R, "id") or ""
            rel = rels.get(rid)
            try:
                sid = int(el.attrs.get("sheetId", "0"))
            except ValueError:
                sid = 0
            self.sheets.append(Sheet(el.attrs.get("name", ""), sid, rid,
                                     rel.target if rel and not rel.external else None, rel.type if rel else ""))

    def find(self, name: str) -> Sheet | None:
        low = name.lower()   # Excel sheet names are unique case-insensitively
        return next((s for s in self.sheets if s.name.lower() == low), None)

    def add_sheet(self, name: str) -> Sheet:
        """Append a worksheet entry; returns it (its part does not exist yet)."""
        folder = posixpath.dirname(self.part)
        part = self.pkg.free_name(posixpath.join(folder, "worksheets", "sheet{}.xml"))
        rid = self.pkg.add_rel(self.part, RT_WORKSHEET, part)
        sid = max([s.sheet_id for s in self.sheets] + [0]) + 1
        doc = self.pkg.doc(self.part)
        sheets = doc.root.kid(NS_MAIN, "sheets")
        if sheets is None:   # no <sheets> at all: create it where the schema puts it
            self._insert_sheets(doc)
            doc = self.pkg.doc(self.part)
            sheets = doc.root.kid(NS_MAIN, "sheets")
        # The r: prefix as bound where the new element goes (declared on it if unbound there).
        r = Doc.prefix_for(sheets, NS_R)
        decl = ""
        if not r:
            r = "r" if "r" not in sheets.scope else next(f"r{k}" for k in range(1, 99) if f"r{k}" not in sheets.scope)
            decl = f' xmlns:{r}="{NS_R}"'
        self.pkg.append_child(self.part, NS_MAIN, "sheet", f'{decl} name="{esc(name)}" sheetId="{sid}" {r}:id="{rid}"',
                              parent=sheets)
        self.pkg.set_override(part, CT_WORKSHEET)
        sheet = Sheet(name, sid, rid, part, RT_WORKSHEET)
        self.sheets.append(sheet)
        self.forget_calc_chain(sheet)   # a stale chain naming this new sheetId would point into our sheet
        _app_add_title(self.pkg, [s.name for s in self.sheets if s.rtype == RT_WORKSHEET][:-1], name)
        return sheet

    def _insert_sheets(self, doc: Doc) -> None:
        later = ("functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize",
                 "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
                 "fileRecoveryPr", "webPublishObjects", "extLst")
        before = next((c for c in doc.root.children if c.ns == NS_MAIN and c.local in later), None)
        self.pkg.append_child(self.part, NS_MAIN, "sheets", "", before=before, inner="")

    def hide(self, sheet: Sheet) -> None:
        """Mark the sheet's <sheet> entry state="hidden" (Excel keeps it; the user can unhide it)."""
        doc = self.pkg.doc(self.part)
        sheets = doc.root.kid(NS_MAIN, "sheets")
        for el in (sheets.kids(NS_MAIN, "sheet") if sheets is not None else []):
            if el.attrs.get("name") == sheet.name:
                tag = doc.data[el.start:el.start_end]
                tag = re.sub(rb'\sstate\s*=\s*("[^"]*"|\'[^\']*\')', b"", tag)
                tag = re.sub(rb"(\s*/?>)$", rb' state="hidden"\1', tag)
                self.pkg.put(self.part, splice(doc.data, [(el.start, el.start_end, tag)]))
                return

    def set_filter_range(self, sheet: Sheet, ref: str | None) -> None:
        """Keep an existing _xlnm._FilterDatabase name in step with the sheet's autoFilter."""
        index = self.sheets.index(sheet)
        doc = self.pkg.doc(self.part)
        names = doc.root.kid(NS_MAIN, "definedNames")
        if names is None:
            return
        for el in names.kids(NS_MAIN, "definedName"):
            if el.attrs.get("name") == "_xlnm._FilterDatabase" and el.attrs.get("localSheetId") == str(index) \
                    and not el.empty:
                break
        else:
            return
        if ref is None:
            self.pkg.put(self.part, splice(doc.data, [(el.start, el.end, b"")]))
            return
        a, b = ref.split(":") if ":" in ref else (ref, ref)
        absref = lambda r: re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", r)
        quoted = "'" + sheet.name.replace("'", "''") + "'"
        text = esc(f"{quoted}!{absref(a)}:{absref(b)}").encode("utf-8")
        close = doc.data.rindex(b"</", el.start_end, el.end)
        self.pkg.put(self.part, splice(doc.data, [(el.start_end, close, text)]))

    def set_print_titles(self, sheet: Sheet) -> None:
        """Print the header row on every page (the sheet's _xlnm.Print_Titles name)."""
        index = str(self.sheets.index(sheet))
        quoted = "'" + sheet.name.replace("'", "''") + "'"
        value = esc(f"{quoted}!$1:$1").encode("utf-8")
        doc = self.pkg.doc(self.part)
        names = doc.root.kid(NS_MAIN, "definedNames")
        if names is not None:
            for el in names.kids(NS_MAIN, "definedName"):
                if el.attrs.get("name", "").lower() == "_xlnm.print_titles" and el.attrs.get("localSheetId") == index:
                    if el.empty:
                        tag = doc.data[el.start:el.start_end]
                        new = tag[:-2].rstrip() + b">" + value + f"</{el.qname}>".encode()
                        self.pkg.put(self.part, splice(doc.data, [(el.start, el.end, new)]))
                    else:
                        close = doc.data.rindex(b"</", el.start_end, el.end)
                        self.pkg.put(self.part, splice(doc.data, [(el.start_end, close, value)]))
                    return
            self.pkg.append_child(self.part, NS_MAIN, "definedName",
                                  f' name="_xlnm.Print_Titles" localSheetId="{index}"', parent=names,
                                  inner=value.decode("utf-8"))
            return
        later = ("calcPr", "oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                 "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst")
        before = next((c for c in doc.root.children if c.ns == NS_MAIN and c.local in later), None)
        p = f"{doc.root.prefix}:" if doc.root.prefix else ""
        self.pkg.append_child(self.part, NS_MAIN, "definedNames", "", before=before,
                              inner=f'<{p}definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
                                    f'{value.decode("utf-8")}</{p}definedName>')

    def forget_calc_chain(self, sheet: Sheet) -> None:
        """Drop the calc chain if it lists cells of `sheet` (whose formulas we replace).

        A calc chain naming cells without formulas makes Excel report a damaged file; Excel
        rebuilds a missing chain silently, so a chain that cannot be read is dropped too.
        """
        rel = next((r for r in self.pkg.rels(self.part) if r.type == RT_CALCCHAIN), None)
        if rel is None:
            return
        if self.pkg.has(rel.target):
            try:
                current, listed = 0, False
                for c in self.pkg.doc(rel.target).root.kids(NS_MAIN, "c"):
                    current = int(c.attrs.get("i", current))
                    if current == sheet.sheet_id:
                        listed = True
                        break
            except (Damaged, ValueError):
                listed = True
            if not listed:
                return
        self.pkg.remove_rel(self.part, rel.id)
        if self.pkg.has(rel.target):
            self.pkg.remove(rel.target)
            self.pkg.remove_override(rel.target)


def _app_add_title(pkg: Package, worksheets_before: list[str], name: str) -> None:
    """docProps/app.xml lists sheet titles per group (HeadingPairs); add `name` to the worksheets group.

    The group is the one whose titles are the workbook's worksheets (its heading text is
    localised: Worksheets, 工作表, ...). If app.xml is absent, damaged or unusual it is left
    alone: Excel does not read it back.
    """
    part = "docProps/app.xml"
    if not pkg.has(part):
        return
    try:
        doc = pkg.doc(part, keep_text=True)
    except Damaged:
        return
    hp = next((c for c in doc.root.children if c.local == "HeadingPairs"), None)
    tp = next((c for c in doc.root.children if c.local == "TitlesOfParts"), None)
    hv = hp.kid(NS_VT, "vector") if hp is not None else None
    tv = tp.kid(NS_VT, "vector") if tp is not None else None
    if hv is None or tv is None or tv.empty:
        return
    variants = hv.kids(NS_VT, "variant")
    if len(variants) % 2 or not variants:
        return
    counts = []
    for v in variants[1::2]:
        i4 = v.kid(NS_VT, "i4")
        if i4 is None or not i4.text.strip().isdigit():
            return
        counts.append((i4, int(i4.text.strip())))
    titles = tv.kids(NS_VT, "lpstr")
    if len(titles) != len(tv.children) or sum(n for _, n in counts) != len(titles):
        return
    start, group = 0, None
    for gi, (_, n) in enumerate(counts):
        if [t.text for t in titles[start:start + n]] == worksheets_before:
            group = gi
            break
        start += n
    if group is None:
        return
    i4, n = counts[group]
    data = doc.data
    edits = []
    # the new title after the group's last one
    qn = titles[0].qname if titles else Doc.qname(tv, NS_VT, "lpstr", "vt")[0]
    at = titles[start + n - 1].end if n else (titles[start].start if start < len(titles) else
                                              data.rindex(b"</", tv.start_end, tv.end))
    edits.append((at, at, f"<{qn}>{esc(name)}</{qn}>".encode("utf-8")))
    close = data.rindex(b"</", i4.start_end, i4.end)
    edits.append((i4.start_end, close, str(n + 1).encode()))
    tag = data[tv.start:tv.start_end].decode("utf-8")
    if re.search(r'\bsize\s*=\s*["\']\d+["\']', tag):
        new = re.sub(r'\bsize\s*=\s*["\']\d+["\']', f'size="{len(titles) + 1}"', tag, count=1)
        edits.append((tv.start, tv.start_end, new.encode("utf-8")))
    pkg.put(part, splice(data, edits))
