/**
 * `codex debug models`, `codex debug prompt-input` and scoped help (`codex <words> --help`):
 * what the CLI would show the model, and what it says about one of its commands.
 *
 * @module
 */
import { UnsupportedError } from "../errors.ts";
import { parseHelpUsage } from "./_prepare.ts";
import { parseJsonOutput, runSubcommand } from "./run_command.ts";
import type { RunCommandOptions } from "./run_command.ts";

/** A reasoning effort a model takes, as the catalog lists it. */
export interface CatalogEffort {
  /** The effort (`low`, `medium`, ...). */
  effort: string;
  /** The CLI's description. */
  description?: string;
}

/**
 * One model of `codex debug models`. The fields the SDK reads are typed; the rest of what a
 * release prints passes through unchanged.
 */
export interface CatalogModel {
  /** The id `-m` takes. */
  slug: string;
  /** The name shown to people. */
  display_name?: string;
  /** The effort used when none is asked for. */
  default_reasoning_level?: string;
  /** The efforts the model takes. */
  supported_reasoning_levels?: CatalogEffort[];
  /** Whatever else the release prints. */
  [key: string]: unknown;
}

/** Options of {@linkcode debugModels}. */
export interface DebugModelsOptions extends RunCommandOptions {
  /**
   * Only the catalog shipped inside the binary, with no refresh (default `true`: a refresh
   * reaches the network; pass `false` to allow it).
   */
  bundled?: boolean;
}

/**
 * The model catalog the CLI uses (`codex debug models`), parsed.
 *
 * @example Which efforts a model takes
 * ```ts ignore
 * import { debugModels } from "@codexkit/sdk/commands";
 * const models = await debugModels();
 * console.log(models.find((m) => m.slug === "gpt-5.5")?.supported_reasoning_levels);
 * ```
 */
export async function debugModels(options: DebugModelsOptions = {}): Promise<CatalogModel[]> {
  const { bundled = true, ...rest } = options;
  if (typeof bundled !== "boolean") {
    throw new TypeError(`Cannot use bundled: expected true or false, got ${String(bundled)}`);
  }
  const args = ["debug", "models", ...(bundled ? ["--bundled"] : [])];
  const result = await runSubcommand(["debug"], args, { ...rest, check: true });
  const parsed = parseJsonOutput(result) as { models?: unknown };
  if (!Array.isArray(parsed?.models)) {
    throw new TypeError(
      "Cannot read the model catalog: `codex debug models` printed no models array",
    );
  }
  return parsed.models as CatalogModel[];
}

/** Options of {@linkcode debugPromptInput}. */
export interface DebugPromptInputOptions extends RunCommandOptions {
  /** Images attached to the prompt. */
  images?: string[];
}

/**
 * The input list the model would see for `prompt` in this home and directory (`codex debug
 * prompt-input`): instructions, context and the prompt, as Responses API items.
 *
 * @example See what the agent is told
 * ```ts ignore
 * import { debugPromptInput } from "@codexkit/sdk/commands";
 * const items = await debugPromptInput("hello", { cwd: "/repo" });
 * ```
 */
export async function debugPromptInput(
  prompt?: string,
  options: DebugPromptInputOptions = {},
): Promise<Record<string, unknown>[]> {
  const { images = [], ...rest } = options;
  if (prompt !== undefined && typeof prompt !== "string") {
    throw new TypeError(`Cannot use prompt: expected a string, got ${typeof prompt}`);
  }
  if (!Array.isArray(images) || images.some((i) => typeof i !== "string" || i === "")) {
    throw new TypeError("Cannot use images: expected an array of file paths");
  }
  // `--image=` takes one value: the prompt after it stays the prompt (see exec's `-i`).
  const args = ["debug", "prompt-input", ...images.map((i) => `--image=${i}`)];
  if (prompt !== undefined) args.push("--", prompt);
  const result = await runSubcommand(["debug"], args, { ...rest, check: true });
  const parsed = parseJsonOutput(result);
  if (!Array.isArray(parsed)) {
    throw new TypeError("Cannot read the prompt input: `codex debug prompt-input` printed no list");
  }
  return parsed as Record<string, unknown>[];
}

/**
 * The help page of one command (`codex exec resume --help`), checked to be that command's:
 * codex prints its parent's page for a word it does not know, and that is refused with
 * `UnsupportedError` rather than returned.
 *
 * @example Read a subcommand's help
 * ```ts ignore
 * import { helpPage } from "@codexkit/sdk/commands";
 * const text = await helpPage(["exec", "resume"]);
 * ```
 */
export async function helpPage(
  words: readonly string[],
  options: RunCommandOptions = {},
): Promise<string> {
  if (
    !Array.isArray(words) ||
    words.some((w) => typeof w !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(w))
  ) {
    throw new TypeError(
      `Cannot use words: expected command words such as ["exec", "resume"], got ${
        JSON.stringify(words)
      }`,
    );
  }
  const result = await runSubcommand(words.slice(0, 1), [...words, "--help"], {
    ...options,
    check: true,
  });
  if (words.length > 0 && !parseHelpUsage(result.stdout, words)) {
    throw new UnsupportedError(`the installed codex has no \`codex ${words.join(" ")}\` command`, {
      feature: `command.${words.join(".")}`,
    });
  }
  return result.stdout;
}
