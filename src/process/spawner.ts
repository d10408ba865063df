/**
 * Where every spawn gets its spawner: the one given, else the runtime adapter. No other file
 * outside `src/runtime/` calls `getSpawner()`, so a caller (or a test with a fake) that hands a
 * spawner in reaches every child of that call.
 *
 * @module
 */
import { getSpawner } from "../runtime/mod.ts";
import type { RuntimeName, Spawner } from "../runtime/mod.ts";

/** Where a spawner may come from. */
export interface SpawnerSource {
  /** This spawner, when given. */
  spawner?: Spawner;
  /** Else the adapter of this runtime (default: the detected one). */
  runtime?: RuntimeName;
}

/**
 * The spawner to use: `source.spawner`, else the adapter for `source.runtime`.
 *
 * @example
 * ```ts
 * import { spawnerFor } from "./spawner.ts";
 * const spawner = spawnerFor({});
 * console.log(spawner.runtime);
 * ```
 */
export function spawnerFor(source: SpawnerSource = {}): Spawner {
  return source.spawner ?? getSpawner(source.runtime);
}
