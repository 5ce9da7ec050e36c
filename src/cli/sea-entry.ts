// The entry of the single executable (scripts/package.mjs). Node 20's single executable
// applications run exactly one CommonJS script, so this bundle is CommonJS and has no
// top-level await; otherwise it is run.ts.
import { main } from './main.js';

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
