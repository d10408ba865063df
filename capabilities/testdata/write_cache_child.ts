// Writes cache entries for one binary in a loop, racing a sibling process (cache_test.ts).
import process from "node:process";
import { writeCacheFile } from "../disk_cache.ts";
import { knownSnapshot } from "../known.ts";

const [dir, tag, rounds] = process.argv.slice(2);
const base = knownSnapshot("0.169.0")!;
for (let i = 0; i < Number(rounds); i++) {
  await writeCacheFile(dir, {
    ...base,
    source: "probe",
    collectedAt: new Date().toISOString(),
    fingerprint: { path: "/race/codex", size: 1, mtimeMs: 1 },
    gaps: [{ step: `writer-${tag}-${i}`, reason: "x".repeat(20000), transient: false }],
  });
}
