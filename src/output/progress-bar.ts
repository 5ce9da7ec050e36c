// A one-line progress bar on stderr for long operations (clean): redrawn at most ten times a
// second, only on an interactive terminal; a silent no-op otherwise.
/** A progress bar handle. */
export interface ProgressBar {
  /** Sets done/total and the counters shown after the bar. */
  update(done: number, total: number, detail: string): void;
  /** Clears the line (the summary is printed after). */
  stop(): void;
}

const silent: ProgressBar = { update() {}, stop() {} };

/** `label [#####.....] 120/2000  6%  detail`, as plain text (tests and renderers). */
export function renderBar(label: string, done: number, total: number, detail: string, width = 30): string {
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const full = Math.round(frac * width);
  return `${label} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${done}/${total} ${String(Math.floor(frac * 100)).padStart(3)}%  ${detail}`;
}

/** Starts a bar on `stream` when `interactive`, else returns a no-op. */
export function startProgressBar(
  label: string,
  interactive: boolean,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressBar {
  if (!interactive) return silent;
  let last = 0;
  let pending: string | undefined;
  const draw = (line: string) => {
    const cols = stream.columns ?? 100;
    stream.write(`\r\x1b[2K${line.length > cols - 1 ? line.slice(0, cols - 1) : line}`);
  };
  return {
    update(done, total, detail) {
      pending = renderBar(label, done, total, detail);
      const now = Date.now();
      if (now - last >= 100 || done === total) {
        last = now;
        draw(pending);
        pending = undefined;
      }
    },
    stop() {
      stream.write('\r\x1b[2K');
    },
  };
}
