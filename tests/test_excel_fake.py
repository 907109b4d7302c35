"""A fake xlwings Book: just the xlwings calls salesbook.excel makes, acting on a real file.

This is the only mock in the add-in tests, at the Excel boundary. Like Excel, an open fake
book holds the `~$<name>` lock file beside the workbook (so writing the file while the
book is open is refused by the writer, as it would be on a real PC), `close()` releases
it, and `app.books.open(path)` opens the file again. The workbook's content is the file
itself (the fake never keeps unsaved edits); sheets are read with openpyxl for the tests.
The tests at the bottom pin these semantics so the fake cannot drift from Excel's.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl


class FakeApp:
    def __init__(self):
        self.status_history: list = []
        self.alerts: list[dict] = []
        self.answers: list[str] = []      # what the person clicks in OK/Cancel boxes, in order
        self._status = False
        self.books = FakeBooks(self)
        self.api = FakeAppApi()

    @property
    def status_bar(self):
        return self._status

    @status_bar.setter
    def status_bar(self, value):
        self._status = value
        self.status_history.append(value)

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        """xlwings' App.alert: returns the button clicked ("ok", "cancel", ...)."""
        if buttons == "ok":
            self.alerts.append({"prompt": prompt, "title": title, "mode": mode})
            return "ok"
        self.alerts.append({"prompt": prompt, "title": title, "mode": mode, "buttons": buttons})
        return self.answers.pop(0)


class FakeAppApi:
    """Excel's Application object, as far as salesbook uses it: InputBox."""

    def __init__(self):
        self.inputs: list = []            # what the person types (False: Cancel)
        self.prompts: list[str] = []

    def InputBox(self, prompt, title="", default="", Type=2):  # noqa: N802, N803 - Excel's names
        self.prompts.append(prompt)
        return self.inputs.pop(0)


class FakeBooks:
    def __init__(self, app: FakeApp):
        self.app = app
        self.opened: list[str] = []
        self.reopened: list["FakeBook"] = []

    def open(self, fullname: str) -> "FakeBook":
        self.opened.append(fullname)
        self.reopened.append(FakeBook(fullname, app=self.app))
        return self.reopened[-1]


class FakeApi:
    def __init__(self):
        self.Saved = True


class FakeSelection:
    def __init__(self, address: str):
        self.address = address


class FakeSheet:
    def __init__(self, book: "FakeBook", name: str):
        self.book, self.name = book, name

    def activate(self):
        self.book._active = self.name

    def range(self, address):
        return FakeRange(self, address)


class FakeRange:
    def __init__(self, sheet: FakeSheet, address: str):
        self.sheet, self.address = sheet, address

    def select(self):
        self.sheet.book._active = self.sheet.name
        self.sheet.book._selection = self.address


class FakeSheets:
    def __init__(self, book: "FakeBook"):
        self._book = book

    def _names(self) -> list[str]:
        return self._book._names

    def __iter__(self):
        return iter([FakeSheet(self._book, n) for n in self._names()])

    def __getitem__(self, name):
        if name not in self._names():
            raise KeyError(name)
        return FakeSheet(self._book, name)

    @property
    def active(self) -> FakeSheet:
        return FakeSheet(self._book, self._book._active)


class FakeBook:
    """xw.Book stand-in: fullname, api.Saved, save(), close(), app, sheets, selection."""

    def __init__(self, path: Path | str | None, fullname: str | None = None, app: FakeApp | None = None):
        self.fullname = fullname if fullname is not None else str(path)
        self.app = app or FakeApp()
        self.api = FakeApi()
        self.saves = 0
        self.closed = False
        self._names = openpyxl.load_workbook(path, read_only=True).sheetnames if path else ["Sheet1"]
        self._active, self._selection = self._names[0], "A1"
        self._lock = Path(self.fullname).with_name("~$" + Path(self.fullname).name) if path else None
        if self._lock:
            self._lock.write_bytes(b"\x00")      # Excel's owner file while the book is open

    @property
    def sheets(self) -> FakeSheets:
        self._alive()
        return FakeSheets(self)

    @property
    def selection(self) -> FakeSelection:
        self._alive()
        return FakeSelection(self._selection)

    def save(self):
        self._alive()
        self.api.Saved = True
        self.saves += 1

    def close(self):
        self._alive()
        self.closed = True
        if self._lock and self._lock.exists():
            self._lock.unlink()

    def _alive(self):
        if self.closed:
            raise RuntimeError("the book was closed (Excel: object is no longer valid)")


# --- the fake's own semantics ------------------------------------------------------

def test_an_open_fake_holds_the_lock_file_and_close_releases_it(tmp_path):
    path = tmp_path / "台账.xlsx"
    openpyxl.Workbook().save(path)
    book = FakeBook(path)
    assert (tmp_path / "~$台账.xlsx").exists()
    book.close()
    assert not (tmp_path / "~$台账.xlsx").exists()
    import pytest
    with pytest.raises(RuntimeError):
        book.sheets


def test_reopening_gives_a_new_book_on_the_same_file(tmp_path):
    path = tmp_path / "台账.xlsx"
    wb = openpyxl.Workbook()
    wb.create_sheet("拜访")
    wb.save(path)
    book = FakeBook(path)
    book.sheets["拜访"].range("B3").select()
    assert (book.sheets.active.name, book.selection.address) == ("拜访", "B3")
    book.close()
    again = book.app.books.open(str(path))
    assert again is not book and [s.name for s in again.sheets] == ["Sheet", "拜访"]
    assert book.app.books.opened == [str(path)]
