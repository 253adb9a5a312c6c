#!/usr/bin/env bash
# Debian packages that orient's PDF output and browser checks use. Installs only what is
# missing, and only when it can (root with apt-get); otherwise says what to install.
set -euo pipefail
pkgs=()
need() { dpkg -s "$1" >/dev/null 2>&1 || pkgs+=("$1"); }
need chromium
need fonts-dejavu-core
need libpango-1.0-0
need libpangoft2-1.0-0
need libharfbuzz-subset0
need fontconfig  # fc-match: font metrics for sizing wide tables in the PDF
[ ${#pkgs[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${pkgs[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
else
  echo "Note: install these Debian packages for PDF output and browser checks: ${pkgs[*]}" >&2
fi
