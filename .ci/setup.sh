#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian/Ubuntu machine:
# LibreOffice (the tests check that generated workbooks and the add-in open in it),
# CJK fonts, and the Python package with its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-calc)
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need_apt+=(python3-uno libreoffice-script-provider-python)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need_apt+=(fonts-noto-cjk)
if [ ${#need_apt[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "Please install: ${need_apt[*]} (LibreOffice is needed by the tests)" >&2
  fi
fi
python -m pip install -q -e '.[test]'
