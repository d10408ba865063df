/**
 * Seeds auth from argv[0] into argv[1] once, then seeds it again (overwrite) and stops in the
 * middle of writing `auth.json`: it prints `mid-write <temp file>` and waits there until the
 * test that started it kills it with SIGKILL.
 */
import process from "node:process";
import { seedAuthFrom } from "../seed_auth.ts";
import { atomicWriteFaults } from "../../fs/atomic_write.ts";

const [source, target] = process.argv.slice(-2);
await seedAuthFrom(source, target, { overwrite: true });
atomicWriteFaults.midWrite = (temp) => {
  process.stdout.write(`mid-write ${temp}\n`);
  // Held here, half written, until killed; the interval keeps the process alive meanwhile.
  return new Promise(() => setInterval(() => {}, 1 << 30));
};
await seedAuthFrom(source, target, { overwrite: true });
process.stdout.write("finished without being killed\n");
