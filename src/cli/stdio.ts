// Standard output and error as plain file-descriptor writers. Touching process.stdout or
// process.stderr builds a stream object, which under Bun (the single executable) costs more
// than the rest of a `why` run's start-up together; a write here is one write(2) call.
// Writes are synchronous, like Node's own stdout to files and terminals, so output is never
// lost at exit; a non-blocking pipe that is full is waited for; a reader that went away
// (`kubectl job why --all | head`) ends the run through `onBrokenPipe`.
import { fstatSync, statSync, writeSync } from 'node:fs';

/** A writable text stream. */
export interface Writer {
  write(s: string): unknown;
  isTTY?: boolean;
}

/** A writer for `fd`; `onBrokenPipe` is called (once) when the reader has gone. */
export function fdWriter(fd: number, onBrokenPipe: () => void): Writer {
  let broken = false;
  let tty: boolean | undefined;
  return {
    get isTTY() {
      return (tty ??= isTerminal(fd));
    },
    write(s: string) {
      if (broken) return false;
      const buf = Buffer.from(s, 'utf8');
      let off = 0;
      while (off < buf.length) {
        try {
          off += writeSync(fd, buf, off);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') {
            waitMs(1);
          } else if (code === 'EPIPE') {
            broken = true;
            onBrokenPipe();
            return false;
          } else {
            throw e;
          }
        }
      }
      return true;
    },
  };
}

/**
 * isatty(3), asked of node:tty (costly to load under Bun) only for character devices other than
 * /dev/null: a pipe, a file or /dev/null is no terminal.
 */
function isTerminal(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice() || st.rdev === statSync('/dev/null').rdev) return false;
  } catch {
    return false;
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}

let sleeper: Int32Array | undefined;
function waitMs(ms: number): void {
  sleeper ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(sleeper, 0, 0, ms);
}
