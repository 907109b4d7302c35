"""List the VBA modules LibreOffice sees in a workbook: an independent reader of our add-in.

Run with the system Python that has `uno` (Debian python3-uno), not the project's:
    /usr/bin/python3 tests/lo_check.py salesbook.xlam
Prints {"library": ["Module", ...]} as JSON. Starts its own headless soffice with a
throw-away profile and always kills it. Standard library + uno only.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

# Auto-detection refuses .xlam; the VBA-aware filter must be named explicitly.
FILTER = "Calc MS Excel 2007 VBA XML"


def _prop(name, value):
    from com.sun.star.beans import PropertyValue
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def list_modules(path: str, timeout: float = 90) -> dict[str, list[str]]:
    import uno

    profile = tempfile.mkdtemp(prefix="salesbook-lo-")
    pipe = "salesbook" + uuid.uuid4().hex
    proc = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + timeout
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("LibreOffice did not start")
                time.sleep(0.3)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        url = uno.systemPathToFileUrl(os.path.abspath(path))
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True), _prop("FilterName", FILTER)))
        if doc is None:
            raise RuntimeError(f"LibreOffice could not load {path}")
        try:
            libs = doc.BasicLibraries
            found = {}
            for name in libs.ElementNames:
                if not libs.isLibraryLoaded(name):
                    libs.loadLibrary(name)
                found[name] = sorted(libs.getByName(name).ElementNames)
            return found
        finally:
            doc.close(True)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)   # our own session: soffice and its children
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    print(json.dumps(list_modules(sys.argv[1]), ensure_ascii=False))
