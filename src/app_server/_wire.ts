/**
 * The generated protocol types as one namespace for the hand-written app-server code. The
 * entry documents the same module as `wire`; this copy is hidden from the docs so that a
 * hand-written signature naming a wire type needs no flat re-export of it.
 *
 * @ignore
 * @module
 */

/** @ignore */
export type * as P from "./protocol/types.ts";
