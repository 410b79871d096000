#!/usr/bin/env bash
# Installs the system libraries DarkNumber links against (OpenBLAS, LAPACK, LAPACKE, pkgconf, GLPK),
# with apt, when any is missing. Safe to run repeatedly; does nothing when all are present.
set -euo pipefail

packages=(libopenblas-dev liblapack-dev liblapacke-dev pkgconf libglpk-dev)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
    if [ -x "$candidate/swift" ]; then export PATH="$candidate:$PATH"; fi
  done
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "setup: no Swift toolchain on PATH; install Swift 6.2 or later (https://www.swift.org/install/linux/)." >&2
  exit 1
fi
