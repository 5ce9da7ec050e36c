// Runs the CLI in-process with captured stdout/stderr (same code path as the binary).
import { fileURLToPath } from 'node:url';
import { io, type Writer } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';

/** The bundled example snapshot. */
export const EXAMPLE = fileURLToPath(new URL('../../examples/snapshot.yaml', import.meta.url));

/** Result of one CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(tty: boolean): Writer & { text: string } {
  const w = {
    text: '',
    isTTY: tty,
    write(s: string) {
      w.text += s;
      return true;
    },
  };
  return w;
}

/** Runs `kubectl job <args>`; output is captured, never printed. */
export async function runCli(args: string[], opts: { tty?: boolean } = {}): Promise<CliRun> {
  const out = capture(opts.tty ?? false);
  const err = capture(false);
  const saved = { ...io };
  const savedErr = process.stderr.write.bind(process.stderr);
  io.out = out;
  io.err = err;
  // commander prints its own usage errors to process.stderr. (stdout is left alone: under
  // `node --test` it carries the runner's own protocol; help text is tested by spawning.)
  process.stderr.write = ((s: string) => {
    err.text += s;
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, stdout: out.text, stderr: err.text };
  } finally {
    io.out = saved.out;
    io.err = saved.err;
    process.stderr.write = savedErr;
  }
}
