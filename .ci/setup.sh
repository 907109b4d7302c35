#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian/Ubuntu machine, where the
# system pip refuses to install (PEP 668) and there may be no `python`, only `python3`:
# a virtual environment in .venv/ (python3-venv through apt-get when it is missing),
# LibreOffice (the tests check that generated workbooks and the add-in open in it),
# python3-uno, CJK fonts, poppler-utils (pdftotext/pdffonts/pdftoppm check the reports),
# and the package with its test extras, installed into .venv/ with the venv's own python.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "Please install: $* (the tests need them)" >&2
    return 0
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need_apt=()
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-calc)
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need_apt+=(python3-uno libreoffice-script-provider-python)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need_apt+=(fonts-noto-cjk)
for tool in pdftotext pdffonts pdftoppm; do
  command -v "$tool" >/dev/null 2>&1 || { need_apt+=(poppler-utils); break; }
done
# A venv is usable once its python can run pip (without python3-venv, Debian leaves one that cannot).
venv_ok() { .venv/bin/python -m pip --version >/dev/null 2>&1; }
venv_ok || python3 -m venv .venv >/dev/null 2>&1 || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt_install "${need_apt[@]}"
fi
venv_ok || python3 -m venv .venv
.venv/bin/python -m pip install -q -e '.[test]'
