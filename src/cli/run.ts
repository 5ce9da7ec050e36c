// The process entry: run main and exit with its code once output is flushed.
import { main } from './main.js';

// A reader that stops early (`kubectl job why --all | head`) ends the output, not in a crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});

const code = await main(process.argv.slice(2));
process.exitCode = code;
