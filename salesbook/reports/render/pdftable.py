"""Tables of the PDF templates, laid out here instead of by fpdf2's table engine.

fpdf2 re-measures a cell's text for every character it adds to a line, so a pay statement
with a hundred long 依据 cells took seconds. Here each cell is broken once with the
shipped font's advance widths (fonts.wrap_lines) and drawn line by line. The template
keeps control: the attributes fpdf2's HTML reads are honoured — table width (%) and align,
th/td width (% of the table, first row), align, tr/td bgcolor, <font size/color> inside a
cell, <thead> rows repeated at the top of every page the table runs onto.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import fonts

BORDER = (217, 226, 236)
PAD_X, PAD_Y, LEADING = 1.2, 0.9, 1.28


@dataclass
class Cell:
    head: bool
    align: str
    width: float | None
    bg: str | None
    size: float
    color: str | None = None
    text: str = ""


@dataclass
class Row:
    head: bool
    bg: str | None
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Table:
    width: float | None          # % of the text width
    align: str
    size: float
    rows: list[Row] = field(default_factory=list)
    in_head: bool = False
    cell: Cell | None = None


def _rgb(colour: str | None):
    if not colour or not colour.startswith("#") or len(colour) != 7:
        return None
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def _rg(colour: tuple[int, int, int]) -> str:
    """The PDF operator that sets the fill (and text) colour."""
    return "{:.4f} {:.4f} {:.4f} rg".format(*(v / 255 for v in colour))


def start(attrs: dict, size: float) -> Table:
    width = attrs.get("width")
    pct = float(width[:-1]) if width and width.endswith("%") else None
    return Table(pct, (attrs.get("align") or "center").lower(), size)


def tag_open(t: Table, tag: str, attrs: dict) -> None:
    if tag == "thead":
        t.in_head = True
    elif tag == "tbody":
        t.in_head = False
    elif tag == "tr":
        t.rows.append(Row(t.in_head, attrs.get("bgcolor")))
    elif tag in ("td", "th"):
        if not t.rows:
            t.rows.append(Row(t.in_head, None))
        w = attrs.get("width")
        default = "C" if tag == "th" else "L"
        t.cell = Cell(tag == "th" or t.rows[-1].head, (attrs.get("align") or default)[0].upper(),
                      float(w.rstrip("%")) if w else None, attrs.get("bgcolor"), t.size)
        t.rows[-1].cells.append(t.cell)
    elif tag == "font" and t.cell is not None:
        if attrs.get("size"):
            t.cell.size = float(attrs["size"])
        if attrs.get("color"):
            t.cell.color = attrs["color"]


def data(t: Table, text: str) -> None:
    if t.cell is not None:
        t.cell.text += text


def tag_close(t: Table, tag: str) -> None:
    if tag in ("td", "th"):
        t.cell = None


def draw(pdf, t: Table, family: str, ink=(0, 0, 0), head_ink=(16, 42, 67), head_fill=(238, 242, 247)) -> None:
    if not t.rows:
        return
    total = pdf.epw * (t.width or 100) / 100
    x0 = pdf.l_margin + {"left": 0, "right": pdf.epw - total}.get(t.align, (pdf.epw - total) / 2)
    first = t.rows[0].cells
    given = [c.width for c in first]
    n = max(len(r.cells) for r in t.rows)
    free = max(0.0, 100 - sum(w for w in given if w)) / max(1, sum(1 for w in given if not w) + n - len(given))
    widths = [total * (w or free) / 100 for w in given] + [total * free / 100] * (n - len(given))
    heads = [r for r in t.rows if r.head]
    pdf.set_draw_color(*BORDER)    # the cells' border colour and width: fpdf2 state, kept
    pdf.set_line_width(0.15)

    def layout(row: Row):
        cells = []
        for c, w in zip(row.cells, widths):
            text = " ".join(c.text.split())
            lines = fonts.wrap_lines(text, w - 2 * PAD_X, c.size) if text else [""]
            cells.append((c, w, lines))
        height = max(len(lines) * c.size * LEADING / pdf.k for c, _, lines in cells) + 2 * PAD_Y
        return cells, height

    k, page_h = pdf.k, pdf.h

    def put(row: Row, cells, height: float) -> None:
        # The row's rectangles and text go straight into the page's content stream: fpdf2's
        # rect()/text()/set_text_color() per cell were most of a long table's time. Each
        # cell's colours live inside q … Q, so fpdf2's own colour state stays true; the font
        # is selected outside it (Q would undo a Tf that fpdf2 believes is set).
        x, y = x0, pdf.get_y()
        top, ops = (page_h - y) * k, []
        for c, w, lines in cells:
            if c.size != pdf.font_size_pt:
                pdf.set_font(family, size=c.size)
            if not pdf.current_font_is_set_on_page:
                ops.append(pdf._set_font_for_page(pdf.current_font, pdf.font_size_pt))
            box = f"{x * k:.2f} {top:.2f} {w * k:.2f} {-height * k:.2f} re"
            fill = _rgb(c.bg) or _rgb(row.bg) or (head_fill if c.head else None)
            ops.append(f"q {_rg(fill)} {box} B" if fill else f"q {box} S")
            ops.append(_rg(_rgb(c.color) or (head_ink if c.head else ink)))
            lh = c.size * LEADING / k
            encode = pdf.current_font.encode_text
            for i, line in enumerate(lines):
                if not line:
                    continue
                lw = fonts.width_mm(line, c.size)
                tx = {"R": x + w - PAD_X - lw, "C": x + (w - lw) / 2}.get(c.align, x + PAD_X)
                ty = y + PAD_Y + i * lh + c.size * 0.95 / k
                ops.append(f"BT {tx * k:.2f} {(page_h - ty) * k:.2f} Td {encode(line)} ET")
            ops.append("Q")
            x += w
        pdf._out(" ".join(ops))
        pdf.set_y(y + height)

    head_layouts = [layout(r) for r in heads]
    body = [r for r in t.rows if not r.head]
    if heads and body:   # the heading rows never stand alone at a page's foot
        need = sum(h for _, h in head_layouts) + layout(body[0])[1]
        if pdf.get_y() + need > pdf.page_break_trigger:
            pdf._perform_page_break()
    for row in t.rows:
        cells, height = layout(row)
        if pdf.get_y() + height > pdf.page_break_trigger and not row.head:
            # write_html runs inside a local graphics context: fpdf2's own page break closes
            # and reopens it around the new page (a plain add_page would unbalance q/Q)
            pdf._perform_page_break()
            for r, (hc, hh) in zip(heads, head_layouts):
                put(r, hc, hh)
        put(row, cells, height)
    pdf.set_text_color(*ink)
    pdf.set_font(family, size=t.size)
    pdf.set_xy(pdf.l_margin, pdf.get_y() + 1.5)
