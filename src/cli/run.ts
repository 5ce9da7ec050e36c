// The process entry: run main and exit with its code once output is flushed.
// (A reader that stops early, `kubectl job why --all | head`, is handled by the writers in stdio.ts.)
import { main } from './main.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
