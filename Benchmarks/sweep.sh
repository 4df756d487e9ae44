#!/usr/bin/env bash
# One-at-a-time sweeps around the default options on every labelled corpus.
# Usage: bash Benchmarks/sweep.sh > sweep.txt   (needs the release build and ../shared/corpora)
# Each line: the option value, then per corpus its headline figure (BCubed F1; for pair
# corpora the pair F1 and the Russian pair F1; for the scraped corpus the duplicate P/R too).
set -euo pipefail
cd "$(dirname "$0")/.."
sweep() {
  local option=$1; shift
  for value in "$@"; do
    printf '%-24s %s\n' "$option $value" "$(python3 Benchmarks/eval.py --brief -- "$option" "$value")"
  done
}
sweep --story-threshold 0.14 0.17 0.2 0.23 0.26
sweep --story-neighbors 3 4 5 6 8
sweep --story-neighbor-floor 0.1 0.12 0.15 0.18 0.2
sweep --title-weight 1 2 3
sweep --name-weight 1 2 3
sweep --number-weight 1 2 3
sweep --duplicate-threshold 0.7 0.75 0.8 0.85 0.9
sweep --duplicate-containment 0.5 0.6 0.7 0.75 0.8
sweep --rewritten-copy-threshold 0.6 0.65 0.7 0.75 0.8
sweep --rewritten-copy-containment 0.8 0.85 0.9 0.95
sweep --time-decay-days 0 1 2 3 5
sweep --time-grace-days 1 1.5 2 3
sweep --stem-letters 0 4 5 6 7
sweep --stemmed-pair-weight 0.6 0.65 0.7 0.75 0.8 1
