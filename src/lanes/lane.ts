/**
 * The seam between `Thread` and the two ways of running a turn: `codex exec --json` and
 * `codex app-server`. Both hand back the same event shapes; `Thread` collects them the same way.
 * The seam's types are declared with the options (the client's `lane` option takes a
 * `TurnLane`), so the options import nothing from the lanes.
 *
 * @module
 */
export type { NormalizedInput, TurnLane, TurnRequest } from "../options.ts";
