// Resuming a followed log without printing a line twice. Followed streams are read with
// timestamps=true (the kubelet puts the container runtime's RFC 3339 nanosecond time before each
// line). The cursor remembers the time of the last line printed and how many lines printed so far
// carry exactly that time. After a connection loss the stream is opened again with sinceTime, which
// the API takes in whole seconds, so the new stream starts at or before the last printed line:
//   - a line older than the last printed time was printed: dropped;
//   - of the lines with exactly that time, the first k (k = how many were printed) were printed:
//     dropped (a container's log is append-only, so they come back in the same order);
//   - the first line after those is new, and so is everything after it.
// Lines without a timestamp (a server message instead of a log line) are passed through and do
// not move the cursor.

/** A log time as comparable numbers: whole seconds since the epoch and nanoseconds. */
interface LogTime {
  s: number;
  ns: number;
}

const STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 time with up to nine fractional digits; undefined when it is not one. */
export function parseLogTime(text: string): LogTime | undefined {
  const m = STAMP.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return { s: ms / 1000, ns: Number((m[2] ?? '').padEnd(9, '0')) };
}

function compare(a: LogTime, b: LogTime): number {
  return a.s !== b.s ? a.s - b.s : a.ns - b.ns;
}

/** One line of a stream read with timestamps=true: its time (if it had one) and its text without it. */
export interface StampedLine {
  time?: string;
  text: string;
}

/** Splits `<time> <text>`; a line that does not start with a time is all text. */
export function splitStamp(raw: string): StampedLine {
  const sp = raw.indexOf(' ');
  const head = sp < 0 ? raw : raw.slice(0, sp);
  if (parseLogTime(head) === undefined) return { text: raw };
  return { time: head, text: sp < 0 ? '' : raw.slice(sp + 1) };
}

/** Where a followed log has got to, and which lines of a resumed stream to drop (see the file comment). */
export class LogCursor {
  private last: LogTime | undefined;
  private lastText: string | undefined;
  private atLast = 0;
  private toSkip = 0;
  private resuming = false;

  /** The time of the last line printed, as the stream gave it. */
  get lastTime(): string | undefined {
    return this.lastText;
  }

  /**
   * Call before opening the stream again: returns the sinceTime to send (the last printed line's
   * time cut to whole seconds), or undefined when nothing was printed (then open it as at first).
   */
  resume(): string | undefined {
    if (!this.last) return undefined;
    this.resuming = true;
    this.toSkip = this.atLast;
    return new Date(Math.floor(this.last.s) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Takes one raw line of the stream: the line to print, or undefined when it was printed before. */
  take(raw: string): StampedLine | undefined {
    const line = splitStamp(raw);
    const t = line.time === undefined ? undefined : parseLogTime(line.time);
    if (!t) return line;
    if (this.resuming && this.last) {
      const c = compare(t, this.last);
      if (c < 0) return undefined;
      if (c === 0 && this.toSkip > 0) {
        this.toSkip--;
        return undefined;
      }
      this.resuming = false;
    }
    if (this.last && compare(t, this.last) === 0) this.atLast++;
    else {
      this.last = t;
      this.lastText = line.time;
      this.atLast = 1;
    }
    return line;
  }
}
