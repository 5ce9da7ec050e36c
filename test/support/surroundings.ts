// In-memory surroundings for running commands in-process: captured stdout and stderr (each may
// claim to be a terminal), a given stdin text, environment, clock and signals the test raises.
import { Readable } from 'node:stream';
import type { PromptInput, Surroundings, Writer } from '../../src/cli/context.js';
import { contextNames, openSource } from '../../src/cluster/open.js';

/** A writer that keeps what was written. */
export interface Capture extends Writer {
  text: string;
}

/** A captured stream. */
export function capture(tty = false): Capture {
  const w: Capture = {
    text: '',
    isTTY: tty,
    write(s: string) {
      w.text += s;
      return true;
    },
  };
  return w;
}

/** Options for memorySurroundings. */
export interface MemoryOptions {
  /** stdout claims to be a terminal. */
  tty?: boolean;
  /** What stdin holds (empty by default); `inputTTY` makes it claim to be a terminal. */
  input?: string;
  inputTTY?: boolean;
  /** The environment (nothing from the test process's own unless given: no KUBECONFIG, no NO_COLOR). */
  env?: NodeJS.ProcessEnv;
  /** The clock (the real one by default). */
  clock?: () => Date;
  /** The source factory (the real one, reading files and clusters, by default). */
  sources?: Surroundings['sources'];
}

/** Surroundings in memory, with `raise(signal)` to deliver a signal to the command's handlers. */
export function memorySurroundings(o: MemoryOptions = {}): Surroundings & {
  out: Capture;
  err: Capture;
  raise(signal: 'SIGINT' | 'SIGTERM'): void;
} {
  const out = capture(o.tty ?? false);
  const err = capture(false);
  const handlers = new Set<{ signal: string; fn: () => void }>();
  return {
    out,
    err,
    streams: {
      out,
      err,
      in: () => {
        const r = Readable.from([o.input ?? '']) as unknown as PromptInput;
        r.isTTY = o.inputTTY ?? false;
        return r;
      },
    },
    env: o.env ?? {},
    clock: o.clock ?? (() => new Date()),
    signals: {
      on(signal, fn) {
        const h = { signal, fn };
        handlers.add(h);
        return () => handlers.delete(h);
      },
    },
    sources: o.sources ?? { open: openSource, contextNames },
    raise(signal) {
      for (const h of [...handlers]) {
        if (h.signal === signal) {
          handlers.delete(h);
          h.fn();
        }
      }
    },
  };
}
