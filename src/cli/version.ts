/**
 * The version `codexkit --version` prints; kept equal to `deno.json`'s by a test.
 *
 * @module
 */

/** The version of this package. */
export const CODEXKIT_VERSION = "0.1.0";
