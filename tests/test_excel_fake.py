"""A fake xlwings Book over openpyxl: just the xlwings calls salesbook.excel makes.

This is the only mock in the add-in tests, at the Excel boundary. It follows xlwings'
semantics for those calls (a 2-D list written from the top-left cell, a single-row read
as a flat list unless ndim=2, color None = no fill, notes per cell). The tests at the
bottom pin those semantics so the fake cannot drift into something xlwings is not.
"""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter


class FakeApp:
    def __init__(self):
        self.status_history: list = []
        self.alerts: list[dict] = []
        self._status = False

    @property
    def status_bar(self):
        return self._status

    @status_bar.setter
    def status_bar(self, value):
        self._status = value
        self.status_history.append(value)

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.alerts.append({"prompt": prompt, "title": title, "mode": mode})


class FakeApi:
    def __init__(self):
        self.Saved = True


class FakeNote:
    def __init__(self, cell):
        self._cell = cell

    @property
    def text(self):
        return self._cell.comment.text

    def delete(self):
        self._cell.comment = None


class FakeFont:
    def __init__(self, cells):
        self._cells = cells

    @property
    def bold(self):
        return all(c.font.b for c in self._cells)

    @bold.setter
    def bold(self, value):
        for c in self._cells:
            c.font = Font(bold=bool(value))


def _parse(address: str) -> list[tuple[int, int]]:
    cells = []
    for part in address.split(","):
        m = re.fullmatch(r"([A-Z]+)(\d+)", part.strip().upper())
        if not m:
            raise ValueError(f"fake supports single-cell areas only: {part}")
        cells.append((int(m.group(2)), column_index_from_string(m.group(1))))
    return cells


class FakeRange:
    def __init__(self, ws, cells: list[tuple[int, int]], ndim=None):
        self._ws, self._cells, self._ndim = ws, cells, ndim

    def options(self, ndim=None, chunksize=None, **_):
        return FakeRange(self._ws, self._cells, ndim)

    def _cell(self):
        (r, c), = self._cells if len(self._cells) == 1 else [self._cells[0]]
        return self._ws.cell(r, c)

    @property
    def value(self):
        rows = sorted({r for r, _ in self._cells})
        cols = sorted({c for _, c in self._cells})
        grid = [[self._ws.cell(r, c).value for c in cols] for r in rows]
        if len(grid) == 1 and len(grid[0]) == 1 and self._ndim != 2:
            return grid[0][0]
        if len(grid) == 1 and self._ndim != 2:
            return grid[0]
        return grid

    @value.setter
    def value(self, data):
        r0, c0 = self._cells[0]
        if not isinstance(data, (list, tuple)):
            data = [[data]]
        elif data and not isinstance(data[0], (list, tuple)):
            data = [data]
        for i, row in enumerate(data):
            for j, v in enumerate(row):
                self._ws.cell(r0 + i, c0 + j).value = v

    def expand(self):
        r0, c0 = self._cells[0]
        r1, c1 = r0, c0
        while self._ws.cell(r1 + 1, c0).value is not None:
            r1 += 1
        while self._ws.cell(r0, c1 + 1).value is not None:
            c1 += 1
        return FakeRange(self._ws, [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)])

    @property
    def color(self):
        fill = self._cell().fill
        if fill is None or fill.fill_type is None:
            return None
        rgb = fill.fgColor.rgb[-6:]
        return tuple(int(rgb[i:i + 2], 16) for i in (0, 2, 4))

    @color.setter
    def color(self, value):
        for r, c in self._cells:
            if value is None:
                self._ws.cell(r, c).fill = PatternFill(fill_type=None)
            else:
                hexrgb = "FF%02X%02X%02X" % tuple(value)
                self._ws.cell(r, c).fill = PatternFill("solid", fgColor=hexrgb)

    @property
    def note(self):
        cell = self._cell()
        return FakeNote(cell) if cell.comment is not None else None

    def add_note(self, text):
        cell = self._cell()
        if cell.comment is not None:
            raise ValueError("This cell already has a note")   # as xlwings does
        cell.comment = Comment(text, "salesbook")

    @property
    def font(self):
        return FakeFont([self._ws.cell(r, c) for r, c in self._cells])


class FakeSheet:
    def __init__(self, ws):
        self.ws = ws

    @property
    def name(self):
        return self.ws.title

    @property
    def visible(self):
        return self.ws.sheet_state == "visible"

    @visible.setter
    def visible(self, value):
        self.ws.sheet_state = "visible" if value else "hidden"

    def range(self, first, second=None):
        if isinstance(first, str):
            return FakeRange(self.ws, _parse(first))
        if second is None:
            return FakeRange(self.ws, [tuple(first)])
        (r0, c0), (r1, c1) = first, second
        return FakeRange(self.ws, [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)])

    def clear_contents(self):
        for row in self.ws.iter_rows():
            for cell in row:
                cell.value = None


class FakeSheets:
    def __init__(self, wb):
        self._wb = wb

    def __iter__(self):
        return iter([FakeSheet(ws) for ws in self._wb.worksheets])

    def __getitem__(self, name):
        return FakeSheet(self._wb[name])

    def add(self, name=None, before=None, after=None):
        index = None
        if after is not None:
            index = self._wb.worksheets.index(after.ws) + 1
        return FakeSheet(self._wb.create_sheet(name, index))


class FakeBook:
    """xw.Book stand-in: fullname, save(), api.Saved, app, sheets."""

    def __init__(self, path: Path | str | None, fullname: str | None = None):
        self.wb = openpyxl.load_workbook(path) if path else openpyxl.Workbook()
        self.fullname = fullname if fullname is not None else str(path)
        self.app = FakeApp()
        self.api = FakeApi()
        self.sheets = FakeSheets(self.wb)
        self.saves = 0

    def save(self):
        self.wb.save(self.fullname)
        self.api.Saved = True
        self.saves += 1


# --- the fake's own semantics ------------------------------------------------------

def test_fake_follows_xlwings_value_shapes(tmp_path):
    book = FakeBook(None, fullname=str(tmp_path / "x.xlsx"))
    sheet = book.sheets.add("S")
    sheet.range("A1").value = [["h1", "h2"], [1, 2]]
    assert sheet.range("A1").value == "h1"
    assert sheet.range("A1").expand().value == [["h1", "h2"], [1, 2]]
    sheet.range("A3").value = None
    sheet.clear_contents()
    sheet.range("A1").value = [["only", "row"]]
    assert sheet.range("A1").expand().value == ["only", "row"]          # xlwings: 1 row -> flat
    assert sheet.range("A1").expand().options(ndim=2).value == [["only", "row"]]


def test_fake_notes_and_colours(tmp_path):
    book = FakeBook(None, fullname=str(tmp_path / "x.xlsx"))
    sheet = book.sheets.add("S")
    sheet.range("A1,C3").color = (255, 0, 0)
    assert sheet.range("C3").color == (255, 0, 0) and sheet.range("B2").color is None
    sheet.range((2, 2)).add_note("hi")
    assert sheet.range("B2").note.text == "hi"
    import pytest
    with pytest.raises(ValueError):
        sheet.range("B2").add_note("again")
    sheet.range("B2").note.delete()
    assert sheet.range("B2").note is None
