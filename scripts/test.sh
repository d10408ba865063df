#!/usr/bin/env bash
# Runs the whole test suite under Deno, Bun and Node 24 (all from node_modules/.bin, installed
# by `npm ci`), then prints one line "N passed, N failed" summed over the three runtimes.
#
#   bash scripts/test.sh                      # everything, all runtimes
#   RUNTIMES="deno" bash scripts/test.sh      # one runtime
#   bash scripts/test.sh tests/exec_test.ts   # some files
#
# Tests use node:test with flat test() calls only (no describe, no t.test), so that the three
# runners count the same things.
set -u
cd "$(dirname "$0")/.."
BIN="$PWD/node_modules/.bin"
RUNTIMES="${RUNTIMES:-deno bun node}"
# One log dir per run, so concurrent runs in one checkout do not overwrite each other.
LOGDIR="${TEST_LOG_DIR:-.cache/test-logs/run-$$}"
mkdir -p "$LOGDIR"

if [ "$#" -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(find src capabilities bundles tests -name '*_test.ts' -not -path '*/node_modules/*' | sort)
fi
if [ "${#files[@]}" -eq 0 ]; then echo "no test files found" >&2; exit 1; fi

total_pass=0
total_fail=0
status=0
for rt in $RUNTIMES; do
  log="$LOGDIR/$rt.log"
  start=$(date +%s)
  case "$rt" in
    node) NO_COLOR=1 "$BIN/node" --test --test-reporter=spec "${files[@]}" >"$log" 2>&1 ;;
    deno) NO_COLOR=1 "$BIN/deno" test -A --no-check "${files[@]}" >"$log" 2>&1 ;;
    bun) NO_COLOR=1 "$BIN/bun" test --timeout 120000 "${files[@]}" >"$log" 2>&1 ;;
    *) echo "unknown runtime $rt" >&2; exit 2 ;;
  esac
  code=$?
  case "$rt" in
    node)
      pass=$(grep -aE '^ℹ pass [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
      fail=$(grep -aE '^ℹ fail [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+') ;;
    deno)
      line=$(grep -aE '^(ok|FAILED) \| ' "$log" | tail -1)
      pass=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
      fail=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+') ;;
    bun)
      pass=$(grep -aE '^ *[0-9]+ pass$' "$log" | tail -1 | grep -oE '[0-9]+')
      fail=$(grep -aE '^ *[0-9]+ fail$' "$log" | tail -1 | grep -oE '[0-9]+') ;;
  esac
  pass=${pass:-0}
  fail=${fail:-0}
  # A runner that died without a summary, or ran nothing, still counts as a failure.
  if [ "$code" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
  if [ $((pass + fail)) -eq 0 ]; then fail=1; status=1; fi
  [ "$code" -ne 0 ] && status=1
  echo "$rt: $pass passed, $fail failed ($(($(date +%s) - start))s, log $log)"
  if [ "$fail" -gt 0 ]; then
    case "$rt" in
      node) grep -aE '^✖|not ok' "$log" | head -40 ;;
      deno) grep -aE 'FAILED|=> ' "$log" | head -40 ;;
      bun) grep -aE '^\(fail\)' "$log" | head -40 ;;
    esac
  fi
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
done
echo "$total_pass passed, $total_fail failed"
exit $status
