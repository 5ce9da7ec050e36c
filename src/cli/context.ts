// Everything a command needs from its surroundings, built once per run: the clock (read here
// and nowhere else), where to read from, and the output streams with their styles.
import { openSource } from '../cluster/open.js';
import type { ClusterSource } from '../cluster/source.js';
import { makeStyle, type Style } from '../output/style.js';
import { stderrInteractive } from '../output/progress.js';
import type { GlobalFlags } from './flags.js';
import { parseInstant } from './parse-time.js';
import { fdWriter, type Writer } from './stdio.js';

export type { Writer } from './stdio.js';

/** The per-run context handed to commands. */
export interface RunContext {
  flags: GlobalFlags;
  out: Writer;
  err: Writer;
  style: Style;
  errStyle: Style;
  /** True when stderr may show spinners and progress. */
  interactive: boolean;
  /** The evaluation instant: --now, else the snapshot's capture time, else the clock. */
  now(source?: ClusterSource): Date;
  /** The instant as of this moment (--now when given, else the clock now): for answers given after a wait. */
  current(): Date;
  /** Opens the cluster or snapshot (once). */
  source(): Promise<ClusterSource>;
  /** Closes the source if one was opened. */
  closeSource(): Promise<void>;
  /** Prints a warning on stderr. */
  warn(message: string): void;
}

/** Exit quietly when stdout or stderr's reader has gone (`... | head`). */
const brokenPipe = () => process.exit(process.exitCode ?? 0);

/** The streams commands write to; tests swap them to capture output in-process. */
export const io: { out: Writer; err: Writer } = { out: fdWriter(1, brokenPipe), err: fdWriter(2, brokenPipe) };

/** Warnings printed about one input file at most; the rest are counted. */
const MAX_WARNINGS = 20;

/** Builds the run context from parsed global flags. */
export function makeContext(
  flags: GlobalFlags,
  out: Writer = io.out,
  err: Writer = io.err,
  clock: () => Date = () => new Date(),
): RunContext {
  let src: Promise<ClusterSource> | undefined;
  const errStyle = makeStyle(err, flags.color);
  const fixedNow = flags.now !== undefined ? parseInstant(flags.now, '--now') : undefined;
  const started = clock();
  return {
    flags,
    out,
    err,
    style: makeStyle(out, flags.color),
    errStyle,
    interactive: stderrInteractive(err),
    now(source) {
      if (fixedNow) return fixedNow;
      const captured = source?.capturedAt;
      return captured ? parseInstant(captured, 'capturedAt') : started;
    },
    current() {
      return fixedNow ?? clock();
    },
    source() {
      src ??= openSource(flags).then((opened) => {
        // Problems a snapshot file had that did not stop the read: each skipped object by name and field.
        const problems = opened.warnings ?? [];
        for (const w of problems.slice(0, MAX_WARNINGS)) this.warn(w);
        if (problems.length > MAX_WARNINGS)
          this.warn(`… and ${problems.length - MAX_WARNINGS} more problems in ${opened.description}`);
        return opened;
      });
      return src;
    },
    async closeSource() {
      if (src) await (await src.catch(() => undefined))?.close();
    },
    warn(message) {
      err.write(`${errStyle.tone('warn', 'Warning:')} ${message}\n`);
    },
  };
}
