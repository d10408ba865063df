/**
 * App-server methods codex has renamed between releases. When the server says it does not know
 * a method, the client tries the method's other name before giving up, so code written against
 * one release keeps working against the other. Pure data and a lookup; the retry lives in
 * `AppServer`.
 *
 * Only true renames belong here: the same params and the same answer under another name. A
 * method whose params changed with its name is not one (0.163.0 replaced `thread/rollback
 * {numTurns}` with `thread/revert {beforeTurnId}`; `threads.revert` handles that itself).
 *
 * @module
 */

/** One rename: the method's current name and the name older servers know it by. */
export interface MethodRename {
  /** The name in the pinned protocol. */
  current: string;
  /** The name an older server answers to. */
  former: string;
  /** Why it is known. */
  evidence: string;
}

/** Every known rename, newest first. */
export const METHOD_RENAMES: readonly MethodRename[] = [
  {
    current: "mcpServerStatus/list",
    former: "mcpServers/list",
    // Seen by comparing servers: 0.140.0 through 0.171.0 answer only `mcpServerStatus/list`
    // (capabilities/known/*.json); earlier app-servers listed MCP servers as `mcpServers/list`.
    evidence: "renamed before 0.140.0 (the answer's McpServer became McpServerStatus)",
  },
];

/**
 * The other names of `method` to try, in order, when a server does not know it: the former
 * name of a current method, or the current name of a former one. Empty for other methods.
 *
 * @example
 * ```ts
 * import { otherMethodNames } from "./renames.ts";
 * console.log(otherMethodNames("mcpServerStatus/list")); // ["mcpServers/list"]
 * ```
 */
export function otherMethodNames(
  method: string,
  renames: readonly MethodRename[] = METHOD_RENAMES,
): string[] {
  const names: string[] = [];
  for (const rename of renames) {
    if (rename.current === method) names.push(rename.former);
    else if (rename.former === method) names.push(rename.current);
  }
  return names;
}
