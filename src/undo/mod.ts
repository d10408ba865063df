/**
 * Undo for a turn on either transport: take a {@linkcode checkpoint} of the git work tree
 * before the turn, then `diff()` what the agent changed or `undo()` it. The repository's
 * index, HEAD and branch are never touched; the snapshot lives under `refs/codexkit/` until
 * released.
 *
 * @example
 * ```ts ignore
 * import { Codex } from "@codexkit/sdk";
 * import { checkpoint } from "@codexkit/sdk/undo";
 *
 * const thread = new Codex().startThread({ workingDirectory: "/repo", sandboxMode: "workspace-write" });
 * await using before = await checkpoint("/repo");
 * await thread.run("Rename the config module");
 * console.log(await before.changedPaths());
 * await before.undo();
 * ```
 *
 * @module
 */
export { checkpoint, CHECKPOINT_REF_PREFIX } from "./checkpoint.ts";
export type { Checkpoint, CheckpointOptions } from "./checkpoint.ts";
export type {
  ChildProcess,
  ExitStatus,
  RuntimeName,
  Spawner,
  SpawnOptions,
  StdinMode,
} from "../runtime/mod.ts";
