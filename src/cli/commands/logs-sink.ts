// Where `kubectl job logs` writes: log lines on stdout, and the header of each block either
// tail-style on stdout between the blocks or (with --prefix, or for the newest attempt alone, as
// `kubectl logs` prints bare lines) on stderr.
import type { LogSource } from '../../controller/plans/logs.js';
import { logHeader, logPrefix } from '../../explain/logs.js';
import type { RunContext } from '../context.js';

/** Writes log lines and headers; a block's header is written once, before its first line. */
export class Sink {
  private last: string | undefined;
  constructor(
    private readonly ctx: Pick<RunContext, 'out' | 'err' | 'style'>,
    private readonly prefix: boolean,
    private readonly headersToStderr: boolean,
  ) {}

  /** A line of its own (a header, a "gone" or "ended" line); the next log line starts a new block. */
  note(text: string): void {
    this.last = undefined;
    if (this.headersToStderr) this.ctx.err.write(`${text}\n`);
    else this.ctx.out.write(`${this.ctx.style.bold(text)}\n`);
  }

  /** Starts the block of `s` unless it is the current one. */
  begin(s: LogSource): void {
    if (this.last === s.key) return;
    this.note(logHeader({ kind: 'read', source: s }));
    this.last = s.key;
  }

  /** One log line of `s`: tagged with its source (--prefix), else under its block's header. */
  line(s: LogSource, text: string): void {
    if (this.prefix) {
      this.ctx.out.write(`${logPrefix(s)}${text}\n`);
      return;
    }
    this.begin(s);
    this.ctx.out.write(`${text}\n`);
  }
}
