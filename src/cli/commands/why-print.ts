// How `why` prints verdicts: JSON/YAML (one object for one target, a VerdictList for a selection), -o name, or the
// text given.
import type { Unreadable } from '../../cluster/unreadable.js';
import type { Verdict } from '../../controller/verdict.js';
import { toJson, toYaml, type OutputFormat } from '../../output/format.js';

/** The verdict with an `unreadable` list when some reads were forbidden (an additive field of -o json). */
export function withUnreadable(v: Verdict, unreadable: Unreadable[]): Verdict {
  return unreadable.length ? ({ ...v, unreadable } as Verdict) : v;
}

/**
 * The output of `why` for these verdicts; `text` is printed for text and wide output. A selection
 * (`--all`, `-A`, `-l`) is a VerdictList however many CronJobs it matched, as `kubectl get -l` gives a
 * List for one match, so a script reads `.items` every time; a single named target is its verdict.
 */
export function printVerdicts(verdicts: Verdict[], format: OutputFormat, text: string, shape: 'one' | 'list'): string {
  const data = shape === 'one' && verdicts.length === 1 ? verdicts[0] : { kind: 'VerdictList', items: verdicts };
  switch (format) {
    case 'json':
      return toJson(data);
    case 'yaml':
      return toYaml(data);
    case 'name':
      return verdicts.map((v) => `${v.kind === 'CronJob' ? 'cronjob.batch' : 'job.batch'}/${v.name}\n`).join('');
    default:
      return text;
  }
}
