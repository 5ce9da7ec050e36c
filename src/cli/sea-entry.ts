// The entry of the single executable (scripts/package.mjs). Node 20's single executable
// applications run exactly one CommonJS script, so this is run.ts without top-level await.
import { main } from './main.js';

// A reader that stops early (`kubectl job why --all | head`) ends the output, not in a crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
