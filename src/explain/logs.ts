// Words for `logs`: block headers (tail's `==> ... <==` style), line prefixes and notes.
import type { LogEntry, LogSource } from '../controller/plans/logs.js';

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
const containerRef = (init: boolean, name: string) => `${init ? 'init-container' : 'container'}/${name}`;

function exitText(code: number | null, reason: string | null): string {
  if (code === null) return reason ?? 'unknown';
  return `exit ${code}${reason ? ` ${reason}` : ''}`;
}

/** `==> pod/x container/main attempt 2 (exit 137 OOMKilled, 3 restarts) <==` and friends. */
export function logHeader(e: LogEntry): string {
  switch (e.kind) {
    case 'read': {
      const s = e.source;
      const where = `pod/${s.pod} ${containerRef(s.init, s.container)} attempt ${s.attempt}`;
      if (s.previous)
        return `==> ${where}, previous instance: run ${s.run} of ${s.runs} (${exitText(s.exitCode, s.reason)}) <==`;
      const state = s.running ? 'running' : exitText(s.exitCode, s.reason);
      return `==> ${where} (${state}${s.restarts ? `, ${plural(s.restarts, 'restart')}` : ''}) <==`;
    }
    case 'gone': {
      const r = e.runs;
      const runs = r.length === 1 ? `run ${r[0]}` : `runs ${r[0]}-${r[r.length - 1]}`;
      return (
        `==> pod/${e.place.pod} ${containerRef(e.place.init, e.place.container)} attempt ${e.place.attempt}, ${runs} of ${e.of}: ` +
        'logs gone (the API keeps only the latest and the previous instance of a container) <=='
      );
    }
    case 'waiting':
      return (
        `==> pod/${e.place.pod} ${containerRef(e.place.init, e.place.container)} attempt ${e.place.attempt}: ` +
        `no logs (not started${e.reason ? `: ${e.reason}` : ''}) <==`
      );
    case 'deleted-pods':
      return `==> ${plural(e.count, 'pod')} of this Job no longer ${e.count === 1 ? 'exists' : 'exist'} (deleted): ${e.count === 1 ? 'its' : 'their'} logs are gone <==`;
  }
}

/** The line after a followed instance ends: `==> pod/x container/main attempt 2 ended (exit 0 Completed) <==`. */
export function logEndHeader(s: LogSource, end: { exitCode: number | null; reason: string | null } | null): string {
  return `==> pod/${s.pod} ${containerRef(s.init, s.container)} attempt ${s.attempt}${s.runs > 1 ? `, run ${s.run}` : ''} ended (${end ? exitText(end.exitCode, end.reason) : 'outcome unknown'}) <==`;
}

/** The header for an instance whose logs the server could not return. */
export function logGoneHeader(s: LogSource, message: string): string {
  return `==> pod/${s.pod} ${containerRef(s.init, s.container)} attempt ${s.attempt}${s.previous ? ', previous instance' : ''}: logs gone (${message}) <==`;
}

/** `[pod/container#attempt] ` (plus `.run` when the container restarted), put before every line with --prefix. */
export function logPrefix(s: LogSource): string {
  return `[${s.pod}/${s.container}#${s.attempt}${s.runs > 1 ? `.${s.run}` : ''}] `;
}

/** kubectl's note when a pod has several containers and none was chosen. */
export function defaultedNote(container: string, of: string[]): string {
  return `Defaulted container "${container}" out of: ${of.join(', ')} (use -c to pick one or --all-containers)`;
}

/** The note that says which attempt is shown without --all-attempts. */
export function newestAttemptNote(job: string, shown: number, total: number): string {
  return `showing attempt ${shown} of ${total} of job/${job} (the newest); --all-attempts shows every attempt and previous container instances`;
}
