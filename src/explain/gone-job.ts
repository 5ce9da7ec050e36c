// `why job/<name>` for a Job that is gone, or the causes a CronJob adds to a Job's explanation.
import type { JobVerdict } from '../controller/verdict.js';
import { explainCause } from './cronjob.js';
import type { Explanation } from './types.js';

/** Explains a verdict about a Job that no longer exists. */
export function explainGoneJob(v: JobVerdict): Explanation {
  const top = v.causes[0];
  const facts: Array<[string, string]> = [['Job', 'not found: deleted']];
  if (typeof v.cronJob === 'string') facts.push(['CronJob', String(v.cronJob)]);
  if (typeof v.scheduledTime === 'string') facts.push(['Scheduled for', v.scheduledTime]);
  if (typeof v.fate === 'string') facts.push(['Fate of that time', v.fate]);
  facts.push(['Evaluated at', v.now]);
  return {
    subject: `job/${v.name} in namespace ${v.namespace}`,
    headline: {
      tone: v.verdict === 'failed' ? 'bad' : 'warn',
      state: v.verdict,
      text: top?.message ?? 'The Job no longer exists.',
    },
    facts,
    causes: v.causes.map(explainCause),
    tables: [],
    notes: [],
  };
}
