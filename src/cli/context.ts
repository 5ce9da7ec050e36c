// Everything a command needs from its surroundings. `Surroundings` is what the process gives (or
// a test builds in memory): streams, environment, clock, signals and the factory that opens a
// cluster or snapshot. `RunContext` is built from it once per run with the parsed global flags.
// Nothing here is module state: the real process's surroundings are made by processSurroundings().
import { contextNames, openSource, type SourceFlags } from '../cluster/open.js';
import type { ConnectionFlags } from '../cluster/kubeconfig.js';
import type { ClusterSource } from '../cluster/source.js';
import { makeStyle, type Style } from '../output/style.js';
import { stderrInteractive } from '../output/progress.js';
import type { GlobalFlags } from './flags.js';
import { parseInstant } from './parse-time.js';
import { fdWriter, type Writer } from './stdio.js';

export type { Writer } from './stdio.js';

/** Input for the confirmation prompt: a stream that may be a terminal. */
export interface PromptInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
}

/** The three standard streams. `in` is opened only when a command reads it (a prompt). */
export interface Streams {
  out: Writer;
  err: Writer;
  in: () => PromptInput;
}

/** Signals a long command stops cleanly on (Ctrl+C). `on` returns the function that removes the handler. */
export interface Signals {
  on(signal: 'SIGINT' | 'SIGTERM', handler: () => void): () => void;
}

/** What the process (or a test) provides. */
export interface Surroundings {
  streams: Streams;
  /** The environment variables (NO_COLOR, CI, KUBECONFIG, proxies, ...). */
  env: NodeJS.ProcessEnv;
  /** The wall clock. */
  clock: () => Date;
  signals: Signals;
  sources: SourceFactory;
}

/** Where commands read from: a cluster (kubeconfig resolved with `env`, as kubectl does) or a snapshot file. */
export interface SourceFactory {
  open(flags: SourceFlags, env: NodeJS.ProcessEnv): Promise<ClusterSource>;
  /** The context names of the merged kubeconfig, sorted (--all-contexts). */
  contextNames(flags: ConnectionFlags, env: NodeJS.ProcessEnv): Promise<string[]>;
}

/** Exit quietly when stdout or stderr's reader has gone (`... | head`). */
const brokenPipe = () => process.exit(process.exitCode ?? 0);

/** The real process's surroundings. */
export function processSurroundings(): Surroundings {
  return {
    streams: { out: fdWriter(1, brokenPipe), err: fdWriter(2, brokenPipe), in: () => process.stdin },
    env: process.env,
    clock: () => new Date(),
    signals: {
      on(signal, handler) {
        process.once(signal, handler);
        return () => process.removeListener(signal, handler);
      },
    },
    sources: { open: openSource, contextNames },
  };
}

/** The per-run context handed to commands. */
export interface RunContext {
  flags: GlobalFlags;
  out: Writer;
  err: Writer;
  /** Standard input, for a confirmation prompt. */
  input(): PromptInput;
  env: NodeJS.ProcessEnv;
  signals: Signals;
  style: Style;
  errStyle: Style;
  /** True when stderr may show spinners and progress. */
  interactive: boolean;
  /** The evaluation instant: --now, else the snapshot's capture time, else the clock at the start. */
  now(source?: ClusterSource): Date;
  /** The instant as of this moment (--now when given, else the clock now): for answers given after a wait. */
  current(): Date;
  /** Opens the cluster or snapshot of the global flags (once). */
  source(): Promise<ClusterSource>;
  /** Opens another source (e.g. one context of several), with this run's environment; the caller closes it. */
  openSource(flags: SourceFlags): Promise<ClusterSource>;
  /** The kubeconfig's context names (--all-contexts). */
  contextNames(flags: ConnectionFlags): Promise<string[]>;
  /** Closes the source if one was opened. */
  closeSource(): Promise<void>;
  /** Prints a warning on stderr. */
  warn(message: string): void;
}

/** Warnings printed about one input file at most; the rest are counted. */
const MAX_WARNINGS = 20;

/** Builds the run context from parsed global flags and the surroundings. */
export function makeContext(flags: GlobalFlags, s: Surroundings): RunContext {
  let src: Promise<ClusterSource> | undefined;
  const { out, err } = s.streams;
  const errStyle = makeStyle(err, flags.color, s.env);
  const fixedNow = flags.now !== undefined ? parseInstant(flags.now, '--now') : undefined;
  const started = s.clock();
  return {
    flags,
    out,
    err,
    input: s.streams.in,
    env: s.env,
    signals: s.signals,
    style: makeStyle(out, flags.color, s.env),
    errStyle,
    interactive: stderrInteractive(err, s.env),
    now(source) {
      if (fixedNow) return fixedNow;
      const captured = source?.capturedAt;
      return captured ? parseInstant(captured, 'capturedAt') : started;
    },
    current() {
      return fixedNow ?? s.clock();
    },
    source() {
      src ??= s.sources.open(flags, s.env).then((opened) => {
        // Problems a snapshot file had that did not stop the read: each skipped object by name and field.
        const problems = opened.warnings ?? [];
        for (const w of problems.slice(0, MAX_WARNINGS)) this.warn(w);
        if (problems.length > MAX_WARNINGS)
          this.warn(`… and ${problems.length - MAX_WARNINGS} more problems in ${opened.description}`);
        return opened;
      });
      return src;
    },
    openSource(other) {
      return s.sources.open(other, s.env);
    },
    contextNames(other) {
      return s.sources.contextNames(other, s.env);
    },
    async closeSource() {
      if (src) await (await src.catch(() => undefined))?.close();
    },
    warn(message) {
      err.write(`${errStyle.tone('warn', 'Warning:')} ${message}\n`);
    },
  };
}
