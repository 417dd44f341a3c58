#!/usr/bin/env bash
# Installs the Debian packages deepcheap needs, only those missing.
set -euo pipefail
pkgs=(build-essential pkg-config git
      libcriterion-dev libopenblas-dev libflint-arb-dev libflint-dev libgmp-dev libmpfr-dev libfftw3-dev
      gnuplot-nox latexmk texlive-latex-base texlive-latex-recommended texlive-latex-extra
      texlive-fonts-recommended texlive-pictures texlive-science lmodern
      python3 python3-torch python3-numpy r-mathlib libcjson-dev
      clang libclang-rt-14-dev libomp-14-dev help2man)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing packages (${missing[*]}); run 'make deps' as root" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
