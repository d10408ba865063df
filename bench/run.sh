#!/usr/bin/env bash
# Runs the exec-lane benches on Deno, Bun and Node (from node_modules/.bin, after `npm ci`)
# and prints one markdown table. About 3-4 minutes on 2 cores.
#
#   bash bench/run.sh                        # everything, all runtimes
#   RUNTIMES="node" bash bench/run.sh        # one runtime
#   STAGES=1 EVENTS=200000 bash bench/run.sh # also the per-stage pipeline breakdown
#   WITH_OTHERS=1 bash bench/run.sh          # then the probe/launcher/app-server benches too
#
# EVENTS (default 1000000) sizes the pipeline and RSS runs; RUNS sizes the pipeline (7);
# TURN_RUNS the turn-overhead bench (20); IMPORT_RUNS the import bench (10); LINE_RUNS the
# long-line bench (3; MB sizes its line, 100).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/node_modules/.bin"
RUNTIMES="${RUNTIMES:-deno bun node}"
EVENTS="${EVENTS:-1000000}"
export EVENTS
OUT=".cache/bench/results-$$.jsonl"
mkdir -p .cache/bench
: >"$OUT"

for tool in deno bun node; do
  [ -x "$BIN/$tool" ] || { echo "missing $BIN/$tool: run npm ci" >&2; exit 1; }
done

# The replayed event files are built once, outside any measured process.
"$BIN/node" --no-warnings --input-type=module -e "
  const m = await import('./bench/_fake_codex.ts');
  for (const n of [20000, Number(process.env.EVENTS)]) {
    const f = await m.ensureFakeCodex(n);
    console.error('fake codex: ' + f.count + ' events, ' + (f.bytes / 1e6).toFixed(0) + ' MB');
  }"

# run <runtime> <gc?> <file> [args...]: runs a bench, echoes its lines, keeps its JSON line.
run() {
  local rt="$1" gc="$2" file="$3"
  shift 3
  local cmd
  case "$rt" in
    deno) cmd=("$BIN/deno" run -A) ;;
    bun) cmd=("$BIN/bun") ;;
    node) cmd=("$BIN/node" --no-warnings) ;;
  esac
  if [ "$gc" = gc ]; then
    case "$rt" in
      deno) cmd+=(--v8-flags=--expose-gc) ;;
      node) cmd+=(--expose-gc) ;;
    esac
  fi
  local log
  log="$(mktemp .cache/bench/log-XXXXXX)"
  if ! "${cmd[@]}" "$file" "$@" 2>&1 | tee "$log" | grep -v '^{'; then
    echo "FAILED: $rt $file" >&2
  fi
  grep '^{' "$log" >>"$OUT" || echo "{\"bench\":\"failed\",\"runtime\":\"$rt\",\"file\":\"$file\"}" >>"$OUT"
  rm -f "$log"
}

start=$(date +%s)
for rt in $RUNTIMES; do
  echo "## $rt"
  if [ "${STAGES:-0}" = 1 ]; then
    run "$rt" gc bench/pipeline_bench.ts --stages
  else
    run "$rt" gc bench/pipeline_bench.ts
  fi
  run "$rt" gc bench/rss_bench.ts
  RUNS="${TURN_RUNS:-20}" run "$rt" nogc bench/turn_overhead_bench.ts
  RUNS="${IMPORT_RUNS:-10}" run "$rt" nogc bench/import_bench.ts
  run "$rt" nogc bench/spawn_bench.ts
  RUNS="${LINE_RUNS:-3}" run "$rt" nogc bench/long_line_bench.ts
  echo
done

if [ "${WITH_OTHERS:-0}" = 1 ]; then
  for other in bench/probe_bench.ts bench/launcher_bench.ts bench/app_server_bench.ts; do
    [ -f "$other" ] || continue
    for rt in $RUNTIMES; do
      echo "## $other on $rt"
      case "$rt" in
        deno) "$BIN/deno" run -A "$other" || echo "FAILED: $rt $other" >&2 ;;
        bun) "$BIN/bun" "$other" || echo "FAILED: $rt $other" >&2 ;;
        node) "$BIN/node" --no-warnings "$other" || echo "FAILED: $rt $other" >&2 ;;
      esac
    done
  done
fi

echo "took $(($(date +%s) - start)) s; raw results in $OUT"
echo
"$BIN/node" --no-warnings --input-type=module - "$OUT" <<'EOF'
import { readFileSync } from "node:fs";
const rows = readFileSync(process.argv[2], "utf8").trim().split("\n").map((l) => JSON.parse(l));
const rts = [...new Set(rows.map((r) => r.runtime))];
const get = (bench, rt) => rows.find((r) => r.bench === bench && r.runtime === rt);
const f = (x, d = 2) => (typeof x === "number" ? x.toFixed(d) : "n/a");
const line = (cells) => console.log(`| ${cells.join(" | ")} |`);
line(["measure", "target", ...rts]);
line(["---", "---", ...rts.map(() => "---:")]);
const p = (rt) => get("pipeline", rt);
line(["pipeline: events/s, ours (M)", "", ...rts.map((rt) => f(p(rt) && p(rt).events / p(rt).ms.ours / 1000))]);
line(["pipeline: events/s, bare (M)", "", ...rts.map((rt) => f(p(rt) && p(rt).events / p(rt).ms.bare / 1000))]);
line(["pipeline: events/s, @openai/codex-sdk (M)", "", ...rts.map((rt) => f(p(rt) && p(rt).events / p(rt).ms.upstream / 1000))]);
line(["pipeline: ours / bare", ">= 0.85", ...rts.map((rt) => f(p(rt)?.vsBare))]);
line(["pipeline: ours / @openai/codex-sdk", "> 1", ...rts.map((rt) => f(p(rt)?.vsUpstream))]);
const t = (rt) => get("turn", rt);
line(["turn: Thread.run / direct exec", "<= 1.05", ...rts.map((rt) => f(t(rt)?.ratio, 3))]);
line(["turn: direct exec (ms)", "", ...rts.map((rt) => f(t(rt)?.ms.direct, 0))]);
line(["turn: Thread.run (ms)", "", ...rts.map((rt) => f(t(rt)?.ms.sdk, 0))]);
const r = (rt) => get("rss", rt);
line(["RSS growth over the run (MB)", "< 50", ...rts.map((rt) => f(r(rt)?.growthMB, 1))]);
line(["RSS growth on a second run (MB)", "", ...rts.map((rt) => f(r(rt)?.secondRunGrowthMB, 1))]);
line(["RSS peak above start (MB)", "", ...rts.map((rt) => f(r(rt)?.peakGrowthMB, 1))]);
const i = (rt) => get("import", rt);
line(["import mod.ts (ms over empty)", "", ...rts.map((rt) => f(i(rt)?.ours, 1))]);
line(["import .build/npm/mod.js (ms over empty)", "", ...rts.map((rt) => f(i(rt)?.built, 1))]);
line(["import @openai/codex-sdk (ms over empty)", "", ...rts.map((rt) => f(i(rt)?.upstream, 1))]);
line(["import CPU ms: mod.ts / built / upstream", "", ...rts.map((rt) => i(rt)?.cpu ? `${f(i(rt).cpu.ours, 1)} / ${f(i(rt).cpu.built, 1)} / ${f(i(rt).cpu.upstream, 1)}` : "n/a")]);
const s = (rt) => get("spawn", rt);
line(["spawn: own adapter (ms)", "", ...rts.map((rt) => (rt === "node" ? "=node" : f(s(rt)?.ms[rt])))]);
line(["spawn: node:child_process adapter (ms)", "", ...rts.map((rt) => f(s(rt)?.ms.node))]);
line(["spawn: own / node adapter", "", ...rts.map((rt) => (rt === "node" ? "1" : f(s(rt)?.ratio)))]);
const l = (rt) => get("longline", rt);
const mbOf = rts.map((rt) => l(rt)?.mb).find((x) => x) ?? 100;
line([`long line ${mbOf} MiB: decode (ms), ours`, "", ...rts.map((rt) => f(l(rt)?.ours?.ms, 0))]);
line([`long line ${mbOf} MiB: decode (ms), linear bare`, "", ...rts.map((rt) => f(l(rt)?.bare?.ms, 0))]);
line([`long line: ours / bare time`, "", ...rts.map((rt) => f(l(rt)?.timeRatio))]);
line([`long line ${mbOf} MiB: peak RSS (MB), ours`, "", ...rts.map((rt) => f(l(rt)?.ours?.peakMB, 0))]);
line([`long line ${mbOf} MiB: peak RSS (MB), linear bare`, "", ...rts.map((rt) => f(l(rt)?.bare?.peakMB, 0))]);
line([`long line ${l(rts[0])?.oldMb ?? 8} MiB: previous decoder (ms)`, "", ...rts.map((rt) => f(l(rt)?.old?.ms, 0))]);
const failed = rows.filter((r) => r.bench === "failed");
if (failed.length) console.log(`\nFAILED: ${failed.map((r) => `${r.runtime} ${r.file}`).join(", ")}`);
EOF
