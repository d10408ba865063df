/**
 * Usage text of `codexkit`.
 *
 * @module
 */

const MAIN = `codexkit: tools for apps that drive the codex CLI

Usage:
  codexkit bundle add <version> [--root DIR] [--platform P]... [--registry URL] [--json]
  codexkit probe [binary] [--json] [--timeout MS]
  codexkit doctor [--binary PATH | --bundle DIR --version V] [--json]
  codexkit drift <from> <to> | --installed [--fetch] [--json]
  codexkit help [command]

Run it with: deno run -A src/cli/main.ts | bun src/cli/main.ts | node src/cli/main.ts
`;

const TOPICS: Record<string, string> = {
  bundle: `codexkit bundle add <version> [options]

Adds the native codex <version> for each platform to a bundle directory:
<root>/<platform>/<version>/codex[.exe] beside its codex-path/ and codex-resources/,
recorded with its sha256 in <root>/bundle.jsonc. The tarball comes from the npm registry
this machine uses (--registry, npm_config_registry, or \`npm config get registry\`) and is
checked against the registry's integrity before anything is unpacked.

Options:
  --root DIR        bundle root (default ./codex-bundle)
  --platform P      linux-x64, linux-arm64, darwin-x64, darwin-arm64, windows-x64,
                    windows-arm64, or "all"; repeat or comma-separate (default: this machine)
  --registry URL    npm registry to use instead of npm's configuration
  --json            print the result as JSON
`,
  probe: `codexkit probe [binary] [options]

Probes a codex binary (default: the one the SDK would resolve) and prints what it supports:
version, features, and the options the SDK gates on.

Options:
  --json            print the capability snapshot and gate answers as JSON
  --timeout MS      time limit of each probe step (default 5000)
`,
  doctor: `codexkit doctor [options]

Reports which codex binary the SDK finds and through which step, its version, the login
status of CODEX_HOME (the key itself is never printed), and the capabilities it lacks.

Options:
  --binary PATH     check this binary instead of resolving one
  --bundle DIR      resolve from a pinned bundle (needs --version)
  --version V       the bundle version to resolve
  --json            print the report as JSON
`,
  drift: `codexkit drift <from> <to> [options]
codexkit drift --installed [options]

Reports what changed between two codex releases: flags per help page, subcommands, features,
and the app-server's methods, notifications and params fields. <from> and <to> are versions
(0.163.0) or paths to binaries. A version the SDK has a recorded snapshot of is read from it;
any other is fetched from the npm registry into a cache (about 170 MB each) and probed.
--installed compares the newest recorded snapshot with the codex the SDK resolves.

Options:
  --fetch           fetch and probe versions even when a recorded snapshot exists
  --registry URL    npm registry to fetch from instead of npm's configuration
  --cache DIR       where fetched releases are kept (default: the OS cache dir)
  --json            print the report as JSON
`,
};

/** The usage text for `topic` (a command), or the overview. */
export function helpText(topic?: string): string {
  return (topic !== undefined && TOPICS[topic]) || MAIN;
}
