/**
 * The CA certificate the bundle downloads trust besides the system roots, chosen as codex
 * chooses the one for its own HTTP (strings of the 0.171.0 binary, `codex doctor`'s network
 * check): `CODEX_CA_CERTIFICATE` first, then `SSL_CERT_FILE`, each a path to a PEM file. An
 * explicit `caCertificate` option comes before both.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import process from "node:process";
import { BundleError } from "../src/errors.ts";

/** The variables codex reads a custom CA bundle from, in its order. */
export const CA_ENV_VARS: readonly string[] = ["CODEX_CA_CERTIFICATE", "SSL_CERT_FILE"];

/** Where the CA came from and its PEM text. */
export interface ChosenCa {
  /** The file. */
  path: string;
  /** `caCertificate` or the variable that named it. */
  from: string;
  /** The PEM text. */
  pem: string;
}

/**
 * Picks and reads the CA file: `option`, else the first of {@linkcode CA_ENV_VARS} set and not
 * empty in `env` (the process's when omitted). `undefined` when none names one. A file that
 * cannot be read or holds no certificate is a BundleError naming it and where it came from.
 */
export async function chooseCa(
  option: string | undefined,
  env: Record<string, string | undefined> = process.env,
): Promise<ChosenCa | undefined> {
  let path: string | undefined;
  let from = "caCertificate";
  if (option !== undefined) path = option;
  else {
    for (const name of CA_ENV_VARS) {
      if (env[name]) {
        path = env[name];
        from = name;
        break;
      }
    }
  }
  if (path === undefined) return undefined;
  let pem: string;
  try {
    pem = await readFile(path, "utf8");
  } catch (error) {
    throw new BundleError(`Cannot read the CA certificate ${path} (${from})`, { cause: error });
  }
  // codex 0.171 refuses such a file too ("no certificates found in PEM file").
  if (!/-----BEGIN (TRUSTED )?CERTIFICATE-----/.test(pem)) {
    throw new BundleError(`Cannot use the CA certificate ${path} (${from}): no PEM certificate`);
  }
  return { path, from, pem };
}

/** Throws a TypeError for a `caCertificate` option that is not a path. */
export function checkCaOption(option: unknown, fetchGiven: boolean): void {
  if (option === undefined) return;
  if (typeof option !== "string" || option.length === 0 || option.includes("\0")) {
    throw new TypeError(
      `Invalid option caCertificate: ${JSON.stringify(option)} is not a path to a PEM file`,
    );
  }
  if (fetchGiven) {
    throw new TypeError("Invalid option caCertificate: a custom fetch was given; trust it there");
  }
}
