#!/usr/bin/env bash
# Build cost of the generated crate alone (BENCHMARKS.md, "Build cost"): its dependencies are
# built first, then each feature set is built from scratch ROUNDS times, alternating, in the
# debug profile without incremental caches, as issue 17 measures it. Prints wall time and the
# peak memory of the largest process (rustc) per build.
#
#   scripts/build-cost.sh [FEATURE_SET ...]      default: full stages deals persons
#
# A feature set is a comma-separated list of the crate's features, built with
# `--no-default-features` (no TLS: it does not change the crate's own build).
# Needs GNU time (`/usr/bin/time`). Run on a quiet machine; compare figures of one run only.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/build-cost}" CARGO_INCREMENTAL=0
ROUNDS="${ROUNDS:-3}"
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(full stages deals persons)

for set in "${sets[@]}"; do
    cargo build --quiet --locked -p pipedrive --no-default-features --features "$set"
done

for round in $(seq "$ROUNDS"); do
    for set in "${sets[@]}"; do
        # A touched source makes cargo rebuild the crate, and only the crate.
        touch generated/pipedrive/src/lib.rs
        /usr/bin/time -f "round $round  $set  %e s  %M KB" \
            cargo build --quiet --locked -p pipedrive --no-default-features --features "$set"
    done
done
