// The entry of the single executable (scripts/package.mjs): one CommonJS script, so this is
// run.ts without top-level await. Output is written synchronously (stdio.ts), so the process
// exits as soon as the command is done, without waiting for idle keep-alive connections.
import { main } from './main.js';

void main(process.argv.slice(2)).then((code) => process.exit(code));
