#!/usr/bin/env bash
# What the add-in verification (tests/test_addin_*.py) needs on a fresh Debian machine:
# LibreOffice Calc + python3-uno for the system python (tests/test_addin_build.py runs
# salesbook/addin/lo_check.py under /usr/bin/python3), and oletools/olefile for the
# project's python. Idempotent: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-calc)   # same package as .ci/setup.sh
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need_apt+=(python3-uno)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
python -c "import oletools, olefile" >/dev/null 2>&1 || python -m pip install -q "oletools>=0.60" "olefile>=0.47"
