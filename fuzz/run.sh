#!/usr/bin/env bash
# Runs one fuzz target for SECONDS (default 60), its corpus seeded from the
# repository's fixtures. Usage: bash fuzz/run.sh TARGET [SECONDS] [extra libFuzzer flags]
# FUZZ_BUILD=--dev builds without optimisation (quick to build, for a smoke run).
#   targets: plan input har request lazy_vs_full scan
# The corpus grows in fuzz/work/corpus/TARGET (ignored by git; FUZZ_WORK=DIR
# puts it in DIR/corpus/TARGET instead, as the smoke test does to start from
# the seeds alone); crashes go to fuzz/artifacts/TARGET.
set -euo pipefail
cd "$(dirname "$0")"
target="$1"
seconds="${2:-60}"
shift $(( $# < 2 ? $# : 2 ))
corpus="${FUZZ_WORK:-work}/corpus/$target"
mkdir -p "$corpus"
root=..
# Inputs that once failed a target stay in its corpus.
cp -n regressions/"$target"-* "$corpus"/ 2>/dev/null || true
case "$target" in
  plan)
    cp -n "$root"/plans/*.yaml "$root"/tests/fixtures/plans/*.yaml "$root"/tests/fixtures/plans/includes/*.yaml "$root"/tests/fixtures/sql/*.yaml "$corpus"/ 2>/dev/null || true
    cp "$root"/tests/fixtures/sql/variants.yaml "$corpus"/sql-variants.yaml
    dict=dicts/yaml.dict ;;
  input)
    cp -n "$root"/tests/fixtures/sdk/*.har "$root"/tests/fixtures/sql/cafe.ndjson "$corpus"/ 2>/dev/null || true
    head -c 4000 "$root"/tests/fixtures/sql/cafe.ndjson | gzip > "$corpus/cafe.ndjson.gz"
    printf '[{"event":"Login","properties":{"distinct_id":"u1","method":"sms"}}]' > "$corpus/array.json"
    printf 'data=eyJldmVudCI6IkxvZ2luIiwicHJvcGVydGllcyI6eyJkaXN0aW5jdF9pZCI6InUxIn19' > "$corpus/form.txt"
    dict=dicts/json.dict ;;
  har)
    cp -n "$root"/tests/fixtures/sdk/*.har "$corpus"/ 2>/dev/null || true
    dict=dicts/har.dict ;;
  request)
    dict=dicts/json.dict ;;
  lazy_vs_full)
    head -n 40 "$root"/tests/fixtures/sql/cafe.ndjson | split -l 1 - "$corpus/cafe-"
    dict=dicts/json.dict ;;
  scan)
    find "$root"/tests/fixtures/app/src "$root"/tests/fixtures/service/src "$root"/tests/fixtures/worker -type f -exec cp -n {} "$corpus"/ \; 2>/dev/null || true
    dict=dicts/scan.dict ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
exec cargo +nightly fuzz run ${FUZZ_BUILD:-} "$target" "$corpus" -- -max_total_time="$seconds" -dict="$dict" -rss_limit_mb=2048 "$@"
