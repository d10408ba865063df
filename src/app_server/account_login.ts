/**
 * Logging in through the app-server, for apps that embed codex (`account/login/start`,
 * `account/login/cancel`, `account/logout`, checked against codex 0.171.0's schema):
 *
 * - a ChatGPT browser login: the app gets the authorisation URL to open (codex listens for the
 *   redirect on 127.0.0.1:1455 itself) and a promise of the outcome;
 * - a device-code login: the app shows the verification URL and the one-time code;
 * - external ChatGPT tokens the app already holds (`chatgptAuthTokens`): codex keeps them in
 *   memory only (never in `auth.json`; 0.171.0) and asks the app for fresh ones through the
 *   server request `account/chatgptAuthTokens/refresh`, answered by `refresh`. Codex accepts
 *   them only on a connection opened with `capabilities: { experimentalApi: true }`;
 * - an API key.
 *
 * Codex-managed ChatGPT tokens (browser, device code) are written to `CODEX_HOME/auth.json`
 * unless the server runs with `cli_auth_credentials_store = "ephemeral"` (then in memory only).
 *
 * @module
 */
import type { AppServer } from "./app_server.ts";
import type { TokenRefreshRequest } from "../options/server_requests.ts";
import { RpcError, TimeoutError, UnsupportedError } from "../errors.ts";
import { within } from "../process/long_timer.ts";

/** How a login ended (`account/login/completed`). */
export interface LoginOutcome {
  /** Whether codex is now logged in. */
  success: boolean;
  /** Why not, when it failed or was cancelled. */
  error: string | null;
}

/** A browser or device-code login under way. */
export interface PendingLogin {
  /** Codex's id of this login. */
  readonly loginId: string;
  /** Browser login: the URL the app opens for the user. */
  readonly authUrl?: string;
  /** Device-code login: where the user enters the code. */
  readonly verificationUrl?: string;
  /** Device-code login: the one-time code to show. */
  readonly userCode?: string;
  /** Settles when codex reports the outcome (a cancelled login has `success: false`). */
  readonly completed: Promise<LoginOutcome>;
  /** Cancels the login; `completed` then settles with `success: false`. */
  cancel(): Promise<void>;
}

/** ChatGPT tokens the app holds. */
export interface ExternalTokens {
  /** The access token (a JWT). */
  accessToken: string;
  /** The ChatGPT workspace/account id. */
  chatgptAccountId: string;
  /** The plan, when known (codex reads it from the token otherwise). */
  chatgptPlanType?: string | null;
}

/** Options of {@linkcode AccountLoginAccess.loginWithTokens}. */
export interface TokenLoginOptions {
  /**
   * Answers codex's `account/chatgptAuthTokens/refresh` requests on this connection with fresh
   * tokens (for as long as the connection lives). Without it codex gets an error answer and the
   * request that needed the tokens fails.
   */
  refresh?: (request: TokenRefreshRequest) => ExternalTokens | Promise<ExternalTokens>;
}

/** Options of the logins that wait for codex's outcome. */
export interface LoginWaitOptions {
  /** How long to wait for the outcome, in ms (default 60000): then a `TimeoutError`. */
  timeoutMs?: number;
}

/** The login calls on one app-server connection. */
export interface AccountLoginAccess {
  /** Logs in with an API key (codex stores it in `auth.json`). */
  loginWithApiKey(apiKey: string, options?: LoginWaitOptions): Promise<LoginOutcome>;
  /** Starts a ChatGPT browser login: open `authUrl`, then await `completed`. */
  loginWithChatGpt(): Promise<PendingLogin>;
  /** Starts a ChatGPT device-code login: show `verificationUrl` and `userCode`. */
  loginWithDeviceCode(): Promise<PendingLogin>;
  /** Hands codex ChatGPT tokens the app holds; `refresh` keeps them fresh. */
  loginWithTokens(
    tokens: ExternalTokens,
    options?: TokenLoginOptions & LoginWaitOptions,
  ): Promise<LoginOutcome>;
  /** Logs out (codex forgets the stored or in-memory credentials). */
  logout(): Promise<void>;
}

const COMPLETED = "account/login/completed";
const REFRESH = "account/chatgptAuthTokens/refresh";

function checkString(what: string, name: string, value: unknown): void {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(`Cannot ${what}: ${name} must be a non-empty string`);
  }
}

function checkTokens(what: string, tokens: unknown): ExternalTokens {
  const t = tokens as Partial<ExternalTokens> | undefined;
  checkString(what, "accessToken", t?.accessToken);
  checkString(what, "chatgptAccountId", t?.chatgptAccountId);
  if (t!.chatgptPlanType != null && typeof t!.chatgptPlanType !== "string") {
    throw new TypeError(`Cannot ${what}: chatgptPlanType must be a string or null`);
  }
  return {
    accessToken: t!.accessToken!,
    chatgptAccountId: t!.chatgptAccountId!,
    ...(t!.chatgptPlanType != null ? { chatgptPlanType: t!.chatgptPlanType } : {}),
  };
}

/** Outcomes of `account/login/completed`, by login id (`null` for API key and token logins). */
class Outcomes {
  #seen = new Map<string | null, LoginOutcome>();
  #waiting = new Map<string | null, ((outcome: LoginOutcome) => void)[]>();
  #stop: () => void;

  constructor(server: AppServer) {
    this.#stop = server.on(COMPLETED, (params) => {
      const p = params as { loginId?: string | null; success?: boolean; error?: string | null };
      const id = p.loginId ?? null;
      const outcome = { success: p.success === true, error: p.error ?? null };
      const waiting = this.#waiting.get(id);
      if (waiting?.length) waiting.shift()!(outcome);
      else this.#seen.set(id, outcome);
    });
  }

  next(id: string | null): Promise<LoginOutcome> {
    const seen = this.#seen.get(id);
    if (seen) {
      this.#seen.delete(id);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => {
      const list = this.#waiting.get(id) ?? [];
      list.push(resolve);
      this.#waiting.set(id, list);
    });
  }

  stop(): void {
    this.#stop();
  }
}

// One refresh route per connection; a later token login replaces the handler it calls.
const refreshers = new WeakMap<AppServer, { handler: NonNullable<TokenLoginOptions["refresh"]> }>();

function setRefresh(server: AppServer, handler: NonNullable<TokenLoginOptions["refresh"]>): void {
  const current = refreshers.get(server);
  if (current) {
    current.handler = handler;
    return;
  }
  const entry = { handler };
  refreshers.set(server, entry);
  server.addRequestRoute({
    claims: (method) => method === REFRESH,
    handle: async (_method, params) =>
      checkTokens("answer a token refresh", await entry.handler(params as TokenRefreshRequest)),
  });
}

/** Waits for `outcome`, or the connection's end, or `timeoutMs`. */
async function outcomeOf(
  server: AppServer,
  outcome: Promise<LoginOutcome>,
  what: string,
  timeoutMs: number,
): Promise<LoginOutcome> {
  const ended = server.closed.then((error) => Promise.reject(error));
  ended.catch(() => {});
  const first = Promise.race([outcome, ended]);
  if (!(await within(first, timeoutMs))) {
    throw new TimeoutError(`Cannot ${what}: codex reported no outcome within ${timeoutMs} ms`, {
      timeoutMs,
    });
  }
  return await first;
}

/** Codex 0.171.0 refuses token logins on a connection without the experimental API. */
function experimentalRefusal(error: unknown): unknown {
  if (error instanceof RpcError && /requires experimentalApi capability/.test(error.message)) {
    return new UnsupportedError(
      "Cannot log in with external tokens: codex accepts them only on a connection opened with capabilities: { experimentalApi: true }",
      { feature: "app-server.account/login/start.chatgptAuthTokens", cause: error },
    );
  }
  return error;
}

/**
 * The login calls on `server`.
 *
 * @example A browser login driven by the app
 * ```ts ignore
 * const login = await accountLogin(server).loginWithChatGpt();
 * openInBrowser(login.authUrl!);
 * const { success, error } = await login.completed;
 * ```
 */
export function accountLogin(server: AppServer): AccountLoginAccess {
  const pending = async (params: { type: "chatgpt" | "chatgptDeviceCode" }) => {
    const outcomes = new Outcomes(server);
    let started: { loginId: string; authUrl?: string; verificationUrl?: string; userCode?: string };
    try {
      started = await server.call("account/login/start", params) as typeof started;
    } catch (error) {
      outcomes.stop();
      throw error;
    }
    const ended = server.closed.then((error) => Promise.reject(error));
    ended.catch(() => {});
    const completed = Promise.race([outcomes.next(started.loginId), ended]).finally(() =>
      outcomes.stop()
    );
    completed.catch(() => {});
    const login: PendingLogin = {
      loginId: started.loginId,
      ...(started.authUrl !== undefined ? { authUrl: started.authUrl } : {}),
      ...(started.verificationUrl !== undefined
        ? { verificationUrl: started.verificationUrl, userCode: started.userCode }
        : {}),
      completed,
      cancel: async () => {
        await server.call("account/login/cancel", { loginId: started.loginId });
      },
    };
    return login;
  };
  const immediate = async (
    params: Record<string, unknown>,
    what: string,
    timeoutMs: number | undefined,
  ): Promise<LoginOutcome> => {
    const outcomes = new Outcomes(server);
    try {
      await server.request("account/login/start", params).catch((error) => {
        throw experimentalRefusal(error);
      });
      return await outcomeOf(server, outcomes.next(null), what, timeoutMs ?? 60_000);
    } finally {
      outcomes.stop();
    }
  };
  return {
    async loginWithApiKey(apiKey, options = {}) {
      checkString("log in with an API key", "apiKey", apiKey);
      return await immediate(
        { type: "apiKey", apiKey },
        "log in with an API key",
        options.timeoutMs,
      );
    },
    loginWithChatGpt: () => pending({ type: "chatgpt" }),
    loginWithDeviceCode: () => pending({ type: "chatgptDeviceCode" }),
    async loginWithTokens(tokens, options = {}) {
      const checked = checkTokens("log in with external tokens", tokens);
      const refresh = options.refresh;
      if (refresh !== undefined && typeof refresh !== "function") {
        throw new TypeError("Cannot log in with external tokens: refresh must be a function");
      }
      if (refresh) setRefresh(server, refresh);
      return await immediate(
        { type: "chatgptAuthTokens", ...checked },
        "log in with external tokens",
        options.timeoutMs,
      );
    },
    async logout() {
      await server.call("account/logout");
    },
  };
}
