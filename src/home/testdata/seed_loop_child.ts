/**
 * Seeds auth from argv[0] into argv[1] (overwrite) in an endless loop, printing "ready" after
 * the first seed; the test that starts it kills it with SIGKILL at a random moment.
 */
import process from "node:process";
import { seedAuthFrom } from "../seed_auth.ts";

const [source, target] = process.argv.slice(-2);
await seedAuthFrom(source, target, { overwrite: true });
process.stdout.write("ready\n");
for (;;) await seedAuthFrom(source, target, { overwrite: true });
