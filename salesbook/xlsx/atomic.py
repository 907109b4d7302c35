"""Replace a file atomically: temp file in the same folder, fsync, os.replace; one backup generation.

Temp files are named `.BOOK.<host>-<pid>-<random>.salesbook-tmp` (hidden on Windows too).
A run killed mid-write leaves one behind; the next run in that folder removes those whose
process is gone (same machine) or that are older than an hour (any machine: a write
takes seconds), and nothing else.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
import socket
import stat
import sys
import time
from pathlib import Path
from typing import BinaryIO, Callable

from ..errors import WorkbookError

TEMP_SUFFIX = ".salesbook-tmp"
STALE_AFTER = 3600.0   # seconds: older than this, a temp file of ours is dead whoever made it
_TEMP = re.compile(r"^\..+\.([0-9a-f]{4})-(\d+)-[0-9a-f]{8}" + re.escape(TEMP_SUFFIX) + "$")


def backup_path(book: Path) -> Path:
    """销售台账.xlsx -> 销售台账.bak.xlsx (same extension, so .xlsm keeps its macros)."""
    return book.with_name(f"{book.stem}.bak{book.suffix}")


def _host() -> str:
    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:4]


def temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{_host()}-{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)   # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5   # access denied: it exists
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259   # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True    # exists, owned by someone else
    return True


def remove_stale_temps(folder: Path, now: float | None = None) -> list[Path]:
    """Remove temp files of ours in `folder` left by runs that died; returns what was removed."""
    now = time.time() if now is None else now
    host = _host()
    gone = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return gone
    for entry in entries:
        m = _TEMP.match(entry.name)
        if not m:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode):
                continue
            dead = (m.group(1) == host and not _alive(int(m.group(2)))) or now - st.st_mtime > STALE_AFTER
            if dead:
                os.unlink(entry.path)
                gone.append(Path(entry.path))
        except OSError:
            continue   # somebody else's file, or already gone
    return gone


def set_hidden(path: Path, hidden: bool) -> None:
    """Windows: the hidden attribute (temp files are hidden; the workbook must not inherit it)."""
    if sys.platform != "win32":
        return
    import ctypes
    FILE_ATTRIBUTE_HIDDEN, FILE_ATTRIBUTE_NORMAL = 0x2, 0x80
    attrs = ctypes.windll.kernel32.GetFileAttributesW(str(path))
    if attrs == 0xFFFFFFFF:
        return
    new = (attrs | FILE_ATTRIBUTE_HIDDEN) if hidden else (attrs & ~FILE_ATTRIBUTE_HIDDEN)
    ctypes.windll.kernel32.SetFileAttributesW(str(path), new or FILE_ATTRIBUTE_NORMAL)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _link_or_copy(src: Path, dst: Path) -> None:
    """A second name for `src` (a copy on Windows, where a link to a file Excel holds open
    could not be removed again if the swap fails)."""
    try:
        if sys.platform == "win32":
            raise OSError("copy")
        os.link(src, dst)
    except OSError:   # file systems without hard links (some network shares)
        shutil.copy2(src, dst)


def replace_atomically(target: Path, write: Callable[[BinaryIO], None], *, backup: bool) -> None:
    """Call `write(fp)` on a temp file beside `target`, then swap it in. On any failure the
    target and its backup are untouched and no temp file is left.

    The backup is taken as a link to the current file *before* the swap and put in place
    after it, so a failed swap (the file is open in Excel on Windows) keeps the previous
    backup generation too.
    """
    target = Path(target)
    folder = target.parent
    remove_stale_temps(folder)
    tmp = temp_name(target)
    bak_tmp = None
    try:
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        set_hidden(tmp, True)
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
            bak_tmp = temp_name(backup_path(target))
            _link_or_copy(target, bak_tmp)
        set_hidden(tmp, False)
        os.replace(tmp, target)
        if bak_tmp is not None:
            set_hidden(bak_tmp, False)
            os.replace(bak_tmp, backup_path(target))
            bak_tmp = None
        _fsync_dir(folder)
    except OSError as exc:
        _discard(tmp, bak_tmp)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise WorkbookError(f"磁盘空间不足, 无法保存「{target.name}」。工作簿没有被修改。请清理磁盘空间后重试。",
                                f"Disk full: could not save '{target.name}'. The workbook is unchanged; "
                                "free some space and retry.") from exc
        if isinstance(exc, PermissionError):
            raise WorkbookError(f"无法保存「{target.name}」: 没有权限替换它, 多半是它正在 Excel 或 WPS 中打开。"
                                "请先在 Excel/WPS 中保存并关闭这个工作簿, 然后重试; 若没有打开, 请检查文件和文件夹的权限。"
                                "工作簿没有被修改。",
                                f"Could not save '{target.name}': no permission to replace it, most likely because "
                                "it is open in Excel or WPS. Save and close it there, then retry; otherwise check "
                                "the file and folder permissions. The workbook is unchanged.") from exc
        raise WorkbookError(f"无法保存「{target.name}」: {exc.strerror or exc}。工作簿没有被修改。"
                            "请确认文件夹可以写入(网络盘是否断开), 然后重试。",
                            f"Could not save '{target.name}': {exc.strerror or exc}. The workbook is unchanged; "
                            "check the folder can be written (is the network drive connected?) and retry.") from exc
    except BaseException:
        _discard(tmp, bak_tmp)
        raise


def _discard(*paths) -> None:
    for p in paths:
        if p is not None:
            with contextlib.suppress(OSError):
                os.unlink(p)
