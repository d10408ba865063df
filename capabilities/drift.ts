/**
 * Drift between two codex releases: which flags, subcommands, features and app-server methods,
 * notifications and fields were added or removed. Pure: it compares snapshots and surfaces
 * that were read elsewhere.
 *
 * @module
 */
import type { AppServerSurface, MethodFields } from "./app_server_surface.ts";
import type { CapabilitySnapshot, CommandInfo } from "./types.ts";

/** One part of a drift report. */
export interface DriftSection {
  /** What is compared (`"flags of codex exec"`, `"features"`, `"app-server methods"`). */
  title: string;
  /** Present in the newer side only. */
  added: string[];
  /** Present in the older side only. */
  removed: string[];
  /** Present in both but different (`"apps: experimental -> stable"`). */
  changed: string[];
}

/** What changed from one codex to another. */
export interface DriftReport {
  /** The version compared from (`"0.163.0"`), or a label when unknown. */
  from: string;
  /** The version compared to. */
  to: string;
  /** Sections in a fixed order; empty ones are kept (they say "no change"). */
  sections: DriftSection[];
}

/** One side of a comparison. */
export interface DriftSide {
  /** The capability snapshot (help pages and features). */
  snapshot: CapabilitySnapshot;
  /** The app-server surface, when it was read. */
  appServer?: AppServerSurface;
}

/**
 * Compares two sides. Flags are compared per help page present on either side; a page missing
 * on one side counts all its flags as added or removed. App-server sections appear only when
 * both sides have a surface.
 *
 * @example Compare two known snapshots
 * ```ts ignore
 * const report = compareReleases({ snapshot: knownSnapshot("0.163.0")! }, { snapshot: knownSnapshot("0.169.0")! });
 * console.log(formatDrift(report));
 * ```
 */
export function compareReleases(from: DriftSide, to: DriftSide): DriftReport {
  const a = from.snapshot;
  const b = to.snapshot;
  const sections: DriftSection[] = [];
  const paths = [...new Set([...Object.keys(a.commands), ...Object.keys(b.commands)])].sort();
  for (const path of paths) {
    sections.push({
      title: `flags of ${path}`,
      ...setDiff(flagNames(a.commands[path]), flagNames(b.commands[path])),
      changed: valueChanges(a.commands[path], b.commands[path]),
    });
  }
  sections.push({ title: "subcommands", ...setDiff(subcommands(a), subcommands(b)), changed: [] });
  const stagesA = featureStages(a);
  const stagesB = featureStages(b);
  const features = setDiff([...stagesA.keys()], [...stagesB.keys()]);
  sections.push({
    title: "features",
    added: features.added.map((name) => `${name} (${stagesB.get(name)})`),
    removed: features.removed.map((name) => `${name} (${stagesA.get(name)})`),
    changed: [...stagesA].filter(([name, stage]) =>
      stagesB.has(name) && stagesB.get(name) !== stage
    )
      .map(([name, stage]) => `${name}: ${stage} -> ${stagesB.get(name)}`).sort(),
  });
  if (from.appServer && to.appServer) {
    const parts: [keyof AppServerSurface, string][] = [
      ["methods", "app-server methods"],
      ["serverRequests", "app-server server requests"],
      ["notifications", "app-server notifications"],
      ["clientNotifications", "app-server client notifications"],
    ];
    for (const [part, title] of parts) {
      sections.push({
        title,
        ...setDiff(Object.keys(from.appServer[part]), Object.keys(to.appServer[part])),
        changed: [],
      });
    }
    sections.push({
      title: "app-server params fields",
      ...fieldDiff(from.appServer, to.appServer),
      changed: [],
    });
  }
  return { from: label(a), to: label(b), sections };
}

/** Whether a report has any change at all. */
export function hasDrift(report: DriftReport): boolean {
  return report.sections.some((s) => s.added.length + s.removed.length + s.changed.length > 0);
}

/**
 * The report as text for people: a title line, then per section a count line and one line per
 * entry (`+` added, `-` removed, `~` changed); sections without changes are listed together.
 *
 * @example Print a report
 * ```ts ignore
 * console.log(formatDrift(report));
 * ```
 */
export function formatDrift(report: DriftReport): string {
  const lines = [`codex ${report.from} -> ${report.to}`];
  const quiet: string[] = [];
  for (const s of report.sections) {
    if (s.added.length + s.removed.length + s.changed.length === 0) {
      quiet.push(s.title);
      continue;
    }
    const counts = [`+${s.added.length}`, `-${s.removed.length}`];
    if (s.changed.length > 0) counts.push(`~${s.changed.length}`);
    lines.push("", `${s.title} (${counts.join(" ")})`);
    for (const x of s.added) lines.push(`  + ${x}`);
    for (const x of s.removed) lines.push(`  - ${x}`);
    for (const x of s.changed) lines.push(`  ~ ${x}`);
  }
  if (quiet.length > 0) lines.push("", `no change: ${quiet.join(", ")}`);
  return `${lines.join("\n")}\n`;
}

function label(snapshot: CapabilitySnapshot): string {
  return snapshot.version?.semver ?? "unknown version";
}

function setDiff(a: Iterable<string>, b: Iterable<string>): { added: string[]; removed: string[] } {
  const left = new Set(a);
  const right = new Set(b);
  return {
    added: [...right].filter((x) => !left.has(x)).sort(),
    removed: [...left].filter((x) => !right.has(x)).sort(),
  };
}

function flagNames(info: CommandInfo | undefined): string[] {
  return (info?.flags ?? []).map((f) => f.long ?? f.short ?? "?");
}

// A flag in both whose listed values differ (`-a` lost `untrusted`).
function valueChanges(a: CommandInfo | undefined, b: CommandInfo | undefined): string[] {
  const out: string[] = [];
  for (const flag of a?.flags ?? []) {
    const name = flag.long ?? flag.short;
    const other = b?.flags.find((f) => (f.long ?? f.short) === name);
    if (!other || !flag.values || !other.values) continue;
    const { added, removed } = setDiff(flag.values, other.values);
    if (added.length + removed.length === 0) continue;
    const parts = [...added.map((v) => `+${v}`), ...removed.map((v) => `-${v}`)];
    out.push(`${name} values: ${parts.join(" ")}`);
  }
  return out.sort();
}

function subcommands(snapshot: CapabilitySnapshot): string[] {
  const out: string[] = [];
  for (const [path, info] of Object.entries(snapshot.commands)) {
    for (const sub of info.subcommands) out.push(`${path} ${sub.name}`);
  }
  return out;
}

function featureStages(snapshot: CapabilitySnapshot): Map<string, string> {
  return new Map((snapshot.features ?? []).map((f) => [f.name, f.stage]));
}

function fieldDiff(
  a: AppServerSurface,
  b: AppServerSurface,
): { added: string[]; removed: string[] } {
  const flat = (s: AppServerSurface): string[] => {
    const out: string[] = [];
    const each = (fields: MethodFields) => {
      for (const [method, names] of Object.entries(fields)) {
        for (const name of names) out.push(`${method} ${name}`);
      }
    };
    each(s.methods);
    each(s.serverRequests);
    each(s.notifications);
    each(s.clientNotifications);
    return out;
  };
  // Fields of a method that is itself added or removed are shown by that method's line.
  const both = (method: string) =>
    [a, b].every((s) =>
      method in s.methods || method in s.serverRequests || method in s.notifications ||
      method in s.clientNotifications
    );
  const diff = setDiff(flat(a), flat(b));
  const keep = (entry: string) => both(entry.slice(0, entry.indexOf(" ")));
  return { added: diff.added.filter(keep), removed: diff.removed.filter(keep) };
}
