#!/usr/bin/env bash
# Installs the system packages qgate needs to build (and, with --bench, to benchmark), only
# when they are missing. Debian/Ubuntu (apt-get); run as root or with sudo available.
set -euo pipefail
packages=(libxml2-dev libsqlite3-dev pkg-config python3 python3-venv)
if [ "${1:-}" = "--bench" ]; then packages+=(libxml2-utils time); fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

# The tests check every --format json document against docs/schemas/ with Python's jsonschema
# (no Swift JSON Schema validator is available): a venv in .build/pyvenv, made once.
python_venv() {
  local venv=.build/pyvenv
  [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import jsonschema' 2>/dev/null && return 0
  echo "creating $venv (jsonschema 4.26.0, for the JSON Schema tests)"
  mkdir -p .build
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q jsonschema==4.26.0
}

cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ${#missing[@]} -eq 0 ]; then python_venv; exit 0; fi
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
python_venv
