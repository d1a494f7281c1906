#!/usr/bin/env bash
# Installs the system packages qgate needs to build (and, with --bench, to benchmark), only
# when they are missing. Debian/Ubuntu (apt-get); run as root or with sudo available.
set -euo pipefail
packages=(libxml2-dev libsqlite3-dev pkg-config)
if [ "${1:-}" = "--bench" ]; then packages+=(libxml2-utils time python3-venv); fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
