/**
 * CODEX_HOME: create and inspect homes, seed them with credentials, check and change the
 * login through the real CLI, edit `config.toml`, and read saved sessions.
 *
 * Nothing here touches the parent process's environment: a home reaches codex only as
 * `CODEX_HOME` in a child's own environment.
 *
 * @example An isolated, logged-in home
 * ```ts ignore
 * import { authStatus, createIsolatedHome, seedAuthFrom } from "@codexkit/sdk/home";
 * await using home = await createIsolatedHome();
 * await seedAuthFrom(`${process.env.HOME}/.codex`, home.path, { require: true });
 * console.log((await authStatus(home.path)).kind);
 * ```
 *
 * @module
 */
export { classifyHomeEntry, ensureCodexHome, inspectCodexHome } from "./layout.ts";
export type { HomeEntry, HomeEntryRole, HomeLayout } from "./layout.ts";
export { CodexHomeError } from "./home_error.ts";
export type { CodexHomeErrorOptions, CodexHomeErrorReason } from "./home_error.ts";
export { createIsolatedHome } from "./isolated_home.ts";
export type { IsolatedHome, IsolatedHomeOptions } from "./isolated_home.ts";
export { AUTH_FILES, seedAuthFrom } from "./seed_auth.ts";
export type { AuthFileName, SeedAuthOptions, SeedAuthReport } from "./seed_auth.ts";
export {
  authStatus,
  loginWithApiKey,
  loginWithDeviceCode,
  logout,
  parseAuthStatus,
  parseDeviceCodePrompt,
} from "./auth.ts";
export type {
  ApiKeyStatus,
  AuthErrorStatus,
  AuthStatus,
  ChatGptStatus,
  CodexCliOptions,
  DeviceCodeLoginOptions,
  DeviceCodePrompt,
  LoggedOutStatus,
  LogoutResult,
  OtherLoginStatus,
  UnknownAuthStatus,
} from "./auth.ts";
export { inspectAuthFile } from "./auth_file.ts";
export type { AuthFileInfo } from "./auth_file.ts";
export {
  CONFIG_TOML,
  mergeConfig,
  parseConfigToml,
  readConfigToml,
  stringifyConfigToml,
  updateConfigToml,
  writeConfigToml,
} from "./config_toml.ts";
export type {
  CodexConfig,
  ConfigPatch,
  McpServerConfig,
  ModelProviderConfig,
  ProfileConfig,
} from "./config_toml.ts";
export { findSession, listSessions, parseRolloutFileName, userMessageText } from "./sessions.ts";
export type { ListSessionsOptions, RolloutFileName, SessionSummary } from "./sessions.ts";
export { loadRollout, readRollout, toRolloutEntry } from "./rollout.ts";
export type {
  EventMsgEntry,
  LoadedRollout,
  ReadRolloutOptions,
  ResponseItemEntry,
  RolloutEntry,
  RolloutEntryBase,
  RolloutEntryKind,
  RolloutProblem,
  SessionMetaEntry,
  SessionMetaPayload,
  TurnContextEntry,
  TypedPayload,
  UnknownRolloutEntry,
} from "./rollout.ts";
// Named here so this entry documents itself; the classes are the root entry's.
export type {
  CodexError,
  CodexErrorOptions,
  FileFormatError,
  FileFormatErrorOptions,
} from "../errors.ts";
export type { ApprovalMode, SandboxMode } from "../options.ts";
