// Turns a list of upcoming run times into a stable data object and a table for people.
import { relative, rfc3339, rfc3339InZone } from '../controller/time.js';
import type { ExplanationTable } from './types.js';

/** What `next` computed. */
export interface NextReport {
  cronJob?: { namespace: string; name: string };
  schedule: string;
  timeZone: string;
  timeZoneSource: string;
  suspended: boolean;
  from: Date;
  now: Date;
  times: Date[];
  /** True when the cron library found fewer runs than asked (its 5-year search limit). */
  exhausted: boolean;
  /** The IANA tzdata release the zone rules come from (pinned with the engine, e.g. "2025c"). */
  tzdata: string;
}

/** The `-o json` shape of `next` plus its table form. */
export interface NextExplained {
  title: string;
  table: ExplanationTable;
  notes: string[];
  data: {
    kind: 'CronJob' | 'Schedule';
    namespace?: string;
    name?: string;
    schedule: string;
    timeZone: string;
    suspended: boolean;
    /** tzdata release of the zone rules used (the engine's pinned copy, as Go embeds it). */
    tzdata: string;
    from: string;
    times: string[];
  };
}

/** Builds the table (local time in the schedule's zone, UTC, relative) and the JSON data. */
export function explainNext(r: NextReport): NextExplained {
  const subject = r.cronJob ? `cronjob/${r.cronJob.name} (namespace ${r.cronJob.namespace})` : 'schedule';
  const rows = r.times.map((t, i) => [String(i + 1), rfc3339InZone(t, r.timeZone), rfc3339(t), relative(t, r.now)]);
  const notes: string[] = [];
  if (r.exhausted)
    notes.push(
      "no further run within 5 years: the controller's cron library stops searching there, so this schedule never fires again",
    );
  if (r.suspended) notes.push('the CronJob is suspended: none of these runs will start until it is resumed');
  return {
    title: `${subject}  "${r.schedule}"  in ${r.timeZone} (${r.timeZoneSource}; tzdata ${r.tzdata})`,
    table: { title: '', head: ['#', 'local time', 'utc', 'when'], rows },
    notes,
    data: {
      kind: r.cronJob ? 'CronJob' : 'Schedule',
      ...(r.cronJob ? { namespace: r.cronJob.namespace, name: r.cronJob.name } : {}),
      schedule: r.schedule,
      timeZone: r.timeZone,
      suspended: r.suspended,
      tzdata: r.tzdata,
      from: rfc3339(r.from),
      times: r.times.map(rfc3339),
    },
  };
}
