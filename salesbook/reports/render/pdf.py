"""PDF (A4) with fpdf2: the `KIND.pdf.html` template through fpdf2's HTML support.

fpdf2 is pure Python (no system libraries on any OS). Its HTML support ignores CSS; the
templates use the attributes it reads (see templates/base.pdf.html). Every page carries
公司名称, the report title and period in its header and "第 x 页 / 共 n 页" in its footer.
The font is the shipped Noto Sans SC, embedded from a cut holding only the characters of
the batch (see fonts.cut), so files stay small and fast to write.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import templating
from .charts import none_drawn
from .words import word

FAMILY = "noto"
KEEP_WITH_NEXT = 40   # mm a heading needs below it (a table's first rows, a chart's top)
GREY, INK, BLUE = (82, 96, 109), (16, 42, 67), (47, 109, 181)


def html(ctx: dict, charts: dict[str, str], *, company: Path | None) -> str:
    """The template's output for fpdf2 (chart paths absolute)."""
    return templating.render(f"{ctx['kind']}.pdf.html", {**ctx, "charts": {**none_drawn(ctx["kind"]), **charts}}, company=company)


def render(ctx: dict, markup: str, font: Path) -> bytes:
    from fpdf import FPDF, TextStyle
    from fpdf.html import HTML2FPDF

    from . import pdftable as T

    lang = ctx["lang"]

    class Doc(FPDF):
        def header(self):
            self.set_font(FAMILY, size=8)
            self.set_text_color(*GREY)
            self.cell(0, 5, ctx["company"] or "", align="L")
            self.set_x(self.l_margin)
            self.cell(0, 5, f"{ctx['title']}", align="R", new_x="LMARGIN", new_y="NEXT")
            self.set_draw_color(217, 226, 236)
            self.line(self.l_margin, self.get_y() + 0.5, self.w - self.r_margin, self.get_y() + 0.5)
            self.ln(3)
            self.set_text_color(0, 0, 0)

        def footer(self):
            self.set_y(-12)
            self.set_font(FAMILY, size=8)
            self.set_text_color(*GREY)
            if lang == "en":
                text = f"Page {self.page_no()} of {{nb}}"
            else:
                text = f"第 {self.page_no()} 页 / 共 {{nb}} 页"
            self.cell(0, 6, text, align="C")

    class Html(HTML2FPDF):
        """fpdf2's HTML, with tables laid out by pdftable (fast, same attributes)."""
        table_state = None

        def handle_starttag(self, tag, attrs):
            a = {k.lower(): v for k, v in attrs}
            if tag == "table":
                self._end_paragraph()
                self.table_state = T.start(a, self.font_size_pt)
            elif self.table_state is not None:
                T.tag_open(self.table_state, tag, a)
            else:
                if tag in ("h2", "h3"):
                    # keep a heading with what follows: no heading alone at a page's foot
                    self._end_paragraph()
                    if self.pdf.get_y() > self.pdf.page_break_trigger - KEEP_WITH_NEXT:
                        self.pdf._perform_page_break()
                super().handle_starttag(tag, attrs)

        def handle_data(self, data):
            if self.table_state is not None:
                T.data(self.table_state, data)
            else:
                super().handle_data(data)

        def handle_endtag(self, tag):
            if self.table_state is None:
                super().handle_endtag(tag)
            elif tag == "table":
                T.draw(self.pdf, self.table_state, FAMILY)
                self.table_state = None
            else:
                T.tag_close(self.table_state, tag)

    Doc.HTML2FPDF_CLASS = Html
    pdf = Doc(orientation="P", unit="mm", format="A4")
    pdf.set_creation_date(dt.datetime.fromisoformat(ctx["generated_on"]).replace(tzinfo=dt.timezone.utc))
    pdf.set_title(ctx["title"])
    pdf.set_author(ctx["company"] or "salesbook")
    pdf.set_creator("salesbook")
    pdf.set_producer("salesbook")
    pdf.set_lang("en" if lang == "en" else "zh-CN")
    pdf.add_font(FAMILY, "", str(font))   # one weight is shipped; headings use size and colour
    for f in pdf.fonts.values():
        # the cut's glyph boxes are already right: without this, writing the file unpacks
        # and repacks every embedded glyph in Python (most of a small PDF's time)
        f.ttfont.recalcBBoxes = False
    pdf.set_margins(14, 12, 14)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    pdf.set_font(FAMILY, size=9)
    styles = {
        "h1": TextStyle(font_family=FAMILY, font_size_pt=16, color=INK, t_margin=0, b_margin=1),
        "h2": TextStyle(font_family=FAMILY, font_size_pt=12, color=BLUE, t_margin=4, b_margin=1.5),
        "h3": TextStyle(font_family=FAMILY, font_size_pt=10, color=INK, t_margin=3, b_margin=1),
    }
    pdf.write_html(markup, font_family=FAMILY, tag_styles=styles)
    return bytes(pdf.output())


def footer_words(lang: str) -> str:
    """The characters the page furniture draws (they must be in the font cut)."""
    return word("第", lang) + word("页", lang) + word("共", lang) + " Page of /0123456789"
