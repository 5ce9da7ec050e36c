// The entry of the single executable (scripts/package.mjs): one CommonJS script, so this is
// run.ts without top-level await.
import { main } from './main.js';

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
