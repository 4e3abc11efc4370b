#!/usr/bin/env bash
# check_radar_frames.sh GENERATOR DATA_GIF_DIR: regenerates data/gif/demo (12 frames) and
# data/gif/demo-overlay (6 transparent frames) into a temporary directory and checks the
# committed frames have the same pixels (GENERATOR --compare decodes both with Cairo).
set -euo pipefail
gen=$1 data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$gen" --out "$tmp/demo"
"$gen" --compare "$tmp/demo" "$data/demo"
"$gen" --transparent --frames 6 --out "$tmp/demo-overlay"
"$gen" --compare "$tmp/demo-overlay" "$data/demo-overlay"
