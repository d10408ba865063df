/**
 * Parser for the text table `codex features list` prints. Pure.
 *
 * @module
 */
import type { Feature } from "./types.ts";

/** The result of {@linkcode parseFeaturesList}: rows, and lines that were not rows. */
export interface FeaturesParse {
  /** One entry per parsed row, in printed order. */
  features: Feature[];
  /** Non-empty lines that did not look like a row (kept for diagnostics). */
  skipped: string[];
}

/**
 * Parses `name  stage  true|false [extra columns...]` rows. Columns are separated by two or
 * more spaces because a stage may contain one (`under development`, seen on 0.169.0). An
 * unknown stage or extra columns are kept; a row whose state is neither true nor false keeps
 * `enabled: null` and its text in `extra`.
 *
 * @example Parse one row
 * ```ts
 * import { parseFeaturesList } from "@codexkit/sdk/capabilities";
 * parseFeaturesList("apps    stable    true").features[0].enabled; // true
 * ```
 */
export function parseFeaturesList(text: string): FeaturesParse {
  const features: Feature[] = [];
  const skipped: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === "") continue;
    const cells = trimmed.split(/\s{2,}|\t+/);
    if (cells.length < 2 || !/^[A-Za-z0-9_.:-]+$/.test(cells[0])) {
      skipped.push(line);
      continue;
    }
    const [name, stage, state, ...rest] = cells;
    const feature: Feature = { name, stage, enabled: parseState(state) };
    const extra = feature.enabled === null && state !== undefined ? [state, ...rest] : rest;
    if (extra.length > 0) feature.extra = extra;
    features.push(feature);
  }
  return { features, skipped };
}

function parseState(cell: string | undefined): boolean | null {
  if (cell === "true") return true;
  if (cell === "false") return false;
  return null;
}
