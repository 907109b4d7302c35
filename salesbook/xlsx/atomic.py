"""Replace a file atomically: temp file in the same folder, fsync, os.replace; one backup generation."""
from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable

from ..errors import WorkbookError


def backup_path(book: Path) -> Path:
    """销售台账.xlsx -> 销售台账.bak.xlsx (same extension, so .xlsm keeps its macros)."""
    return book.with_name(f"{book.stem}.bak{book.suffix}")


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _keep_backup(book: Path) -> None:
    """Make BOOK.bak.xlsx a copy of `book` as it is now (hard link if possible: instant)."""
    bak = backup_path(book)
    tmp = bak.with_name(f".{bak.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    try:
        try:
            os.link(book, tmp)
        except OSError:   # file systems without hard links (some network shares)
            shutil.copy2(book, tmp)
        os.replace(tmp, bak)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def replace_atomically(target: Path, write: Callable[[BinaryIO], None], *, backup: bool) -> None:
    """Call `write(fp)` on a temp file beside `target`, then swap it in. On any failure the
    target is untouched and the temp file is gone."""
    target = Path(target)
    folder = target.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".salesbook-tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w+b") as fp:
            write(fp)
            fp.flush()
            os.fsync(fp.fileno())
        if target.exists():
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        if backup and target.exists():
            _keep_backup(target)
        os.replace(tmp, target)
        _fsync_dir(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise WorkbookError(f"磁盘空间不足, 无法保存「{target.name}」。工作簿没有被修改。请清理磁盘空间后重试。",
                                f"Disk full: could not save '{target.name}'. The workbook is unchanged; "
                                "free some space and retry.") from exc
        if isinstance(exc, PermissionError):
            raise WorkbookError(f"没有权限写入「{target}」。工作簿没有被修改。若文件正在 Excel/WPS 中打开, 请先关闭; "
                                "否则请检查文件夹权限。",
                                f"No permission to write '{target}'. The workbook is unchanged. Close it in "
                                "Excel/WPS, or check the folder permissions.") from exc
        raise
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
