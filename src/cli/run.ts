// The process entry: run main and exit with its code once output is flushed.
// (A reader that stops early, `kubectl job why --all | head`, is handled by the writers in stdio.ts.)
import { main } from './main.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Output went out with synchronous writes (stdio.ts), so what is left is idle: keep-alive sockets
// being closed and the engine's own teardown, which a natural exit waits for (tens of ms at the
// end of every run). Exit now. Not on Windows, where a spinner's last write to process.stderr
// (a terminal there is written asynchronously) could still be pending.
if (process.platform !== 'win32') process.exit(code);
