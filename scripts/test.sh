#!/usr/bin/env bash
# Runs the test suite under Deno, Bun and Node 24 (all from node_modules/.bin, installed by
# `npm ci`). Each test file runs on its own under each runtime, JOBS at a time; a line is printed
# as each one finishes, and the last line is "N passed, N failed" summed over every runtime.
#
#   bash scripts/test.sh                      # everything, all runtimes
#   RUNTIMES="deno" bash scripts/test.sh      # one runtime
#   bash scripts/test.sh tests/exec_test.ts   # some files
#   JOBS=1 bash scripts/test.sh               # one file at a time (default: cores + 1, at most 6)
#
# Tests use node:test with flat test() calls only (no describe, no t.test), so that the three
# runners count the same things. Every file's full output is kept in the log dir.
set -u
cd "$(dirname "$0")/.."
BIN="$PWD/node_modules/.bin"
RUNTIMES="${RUNTIMES:-deno bun node}"
# Cores + 1 (at most 6): the files spend much of their time waiting on codex processes and
# sockets, and on 2 cores 3 at a time measured fastest (README, "Development").
cores=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
JOBS="${JOBS:-$((cores + 1 > 6 ? 6 : cores + 1))}"
# One log dir per run, so concurrent runs in one checkout do not overwrite each other.
LOGDIR="${TEST_LOG_DIR:-.cache/test-logs/run-$$}"
mkdir -p "$LOGDIR"
case "$JOBS" in '' | *[!0-9]* | 0) echo "JOBS must be a positive number, not '$JOBS'" >&2; exit 2 ;; esac
for rt in $RUNTIMES; do
  case "$rt" in deno | bun | node) ;; *) echo "unknown runtime $rt" >&2; exit 2 ;; esac
done

if [ "$#" -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(find src capabilities bundles tests -name '*_test.ts' -not -path '*/node_modules/*' | sort)
fi
if [ "${#files[@]}" -eq 0 ]; then echo "no test files found" >&2; exit 1; fi

# Runs one file under one runtime; writes "<pass> <fail> <exit code>" to its .count file and
# prints one line.
run_one() {
  local rt="$1" file="$2"
  local slug="${file//\//_}"
  local log="$LOGDIR/$rt/$slug.log"
  local start=$SECONDS code pass fail line
  case "$rt" in
    node) NO_COLOR=1 "$BIN/node" --test --test-reporter=spec "$file" >"$log" 2>&1 ;;
    deno) NO_COLOR=1 "$BIN/deno" test -A --no-check "$file" >"$log" 2>&1 ;;
    bun) NO_COLOR=1 "$BIN/bun" test --timeout 120000 "$file" >"$log" 2>&1 ;;
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
  if [ $((pass + fail)) -eq 0 ]; then fail=1; code=1; fi
  echo "$pass $fail $code $((SECONDS - start))" >"$LOGDIR/$rt/$slug.count"
  local mark="ok  " done
  [ "$fail" -gt 0 ] && mark="FAIL"
  done=$(find "$LOGDIR" -name '*.count' | wc -l)
  # one short write per line, so lines from parallel jobs never interleave
  printf '%s [%*d/%d] %-4s %-44s %3d passed %2d failed %4ds\n' "$mark" "${#total_jobs}" "$done" \
    "$total_jobs" "$rt" "$file" "$pass" "$fail" $((SECONDS - start))
  if [ "$fail" -gt 0 ]; then
    {
      case "$rt" in
        node) grep -aE '^✖|not ok' "$log" | grep -av '^✖ failing tests:' | head -20 ;;
        deno) grep -aE ' \.\.\. FAILED' "$log" | head -20 ;;
        bun) grep -aE '^\(fail\)' "$log" | head -20 ;;
      esac
      echo "log $log"
    } | awk '!seen[$0]++ { print "     " $0 }'
  fi
}

for rt in $RUNTIMES; do mkdir -p "$LOGDIR/$rt"; done
# Slowest first, by the times of earlier runs (files never timed count as slow): the long
# end-to-end files then overlap with the rest instead of running alone at the end.
TIMES="${TEST_TIMES_FILE:-.cache/test-times.txt}"
declare -A took=()
if [ -f "$TIMES" ]; then
  while read -r secs rt file; do took["$rt $file"]=$secs; done <"$TIMES"
fi
mapfile -t queue < <(
  for file in "${files[@]}"; do
    for rt in $RUNTIMES; do echo "${took["$rt $file"]:-999999} $rt $file"; done
  done | sort -s -k1,1nr
)
total_jobs=${#queue[@]}
echo "${#files[@]} files x ($RUNTIMES), $JOBS at a time; logs in $LOGDIR"
started=$SECONDS
for job in "${queue[@]}"; do
  read -r _ rt file <<<"$job"
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
  run_one "$rt" "$file" &
done
wait

total_pass=0
total_fail=0
status=0
for rt in $RUNTIMES; do
  rt_pass=0
  rt_fail=0
  for file in "${files[@]}"; do
    count="$LOGDIR/$rt/${file//\//_}.count"
    if [ -f "$count" ]; then read -r pass fail code secs <"$count"; else pass=0 fail=1 code=1; fi
    [ -f "$count" ] && took["$rt $file"]=$secs
    rt_pass=$((rt_pass + pass))
    rt_fail=$((rt_fail + fail))
    [ "$code" -ne 0 ] && status=1
  done
  echo "$rt: $rt_pass passed, $rt_fail failed"
  total_pass=$((total_pass + rt_pass))
  total_fail=$((total_fail + rt_fail))
done
[ "$total_fail" -gt 0 ] && status=1
mkdir -p "$(dirname "$TIMES")"
for key in "${!took[@]}"; do echo "${took[$key]} $key"; done | sort -k2 >"$TIMES.$$" && mv "$TIMES.$$" "$TIMES"
echo "wall time $((SECONDS - started))s"
echo "$total_pass passed, $total_fail failed"
exit $status
