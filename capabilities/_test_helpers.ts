/**
 * Shared pieces of the capability cache tests.
 *
 * @module
 */
import { getSpawner } from "../src/runtime/mod.ts";
import type { Spawner } from "../src/runtime/mod.ts";

/** The runtime's spawner, counting `--version` calls (one per probe). */
export function counting(): { spawner: Spawner; probes: () => number } {
  let probes = 0;
  const real = getSpawner();
  return {
    spawner: {
      runtime: real.runtime,
      spawn(cmd, args, options) {
        if (args.includes("--version")) probes++;
        return real.spawn(cmd, args, options);
      },
    },
    probes: () => probes,
  };
}
