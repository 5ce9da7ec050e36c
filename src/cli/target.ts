// Parses object arguments the way kubectl does: TYPE/NAME, TYPE NAME, or a bare NAME.
import { UsageError } from '../errors.js';

/** A named object the user pointed at. `kind` is undefined for a bare name. */
export interface Target {
  kind?: 'CronJob' | 'Job';
  name: string;
}

const KINDS: Record<string, 'CronJob' | 'Job'> = {
  cronjob: 'CronJob',
  cronjobs: 'CronJob',
  cj: 'CronJob',
  'cronjob.batch': 'CronJob',
  'cronjobs.batch': 'CronJob',
  job: 'Job',
  jobs: 'Job',
  'job.batch': 'Job',
  'jobs.batch': 'Job',
};

/** Parses `cronjob/x`, `job/x`, `cj/x`, or `x`. */
export function parseTarget(arg: string, allowed: Array<'CronJob' | 'Job'> = ['CronJob', 'Job']): Target {
  const slash = arg.indexOf('/');
  if (slash < 0) {
    if (!arg) throw new UsageError('a name is required');
    return { name: arg };
  }
  const type = arg.slice(0, slash).toLowerCase();
  const name = arg.slice(slash + 1);
  const kind = KINDS[type];
  if (!kind || !allowed.includes(kind)) {
    const names = allowed.map((k) => k.toLowerCase()).join(' or ');
    throw new UsageError(`"${arg}": expected ${names}/NAME`);
  }
  if (!name) throw new UsageError(`"${arg}": the name is missing after the slash`);
  return { kind, name };
}
