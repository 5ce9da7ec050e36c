// What an answer built without some reads cannot see: for each forbidden read, the request and
// the conclusions it weakens. Generic (by resource), so it applies to every command.
import type { Unreadable } from '../cluster/unreadable.js';

/** "list events in namespace prod" */
export function describeUnreadable(u: Unreadable): string {
  return `${u.verb} ${u.resource} ${u.namespace ? `in namespace ${u.namespace}` : 'in all namespaces'}`;
}

const WEAKENS: Record<string, string> = {
  events:
    'causes only events show are unknown (FailedCreate, quota and webhook refusals, missed-schedule and UnexpectedJob warnings, pod scheduling problems); the answer rests on status, conditions and Jobs',
  pods: "exit codes, pod failure reasons (OOMKilled, evicted, image pull, unschedulable) and the pod failure policy's matches are unknown; the answer rests on the Job's conditions and counts",
  jobs: "the CronJob's Jobs are unknown: running, finished and failed runs, concurrency and history limits are judged from the CronJob's status alone",
  cronjobs: 'the owning CronJob is unknown: its schedule and concurrency policy are not taken into account',
};

/** One line per forbidden read: what it was and what it weakens. */
export function unreadableLines(list: Unreadable[]): string[] {
  return list.map(
    (u) =>
      `could not ${describeUnreadable(u)} (forbidden): ${WEAKENS[u.resource] ?? 'conclusions that need it are unknown'}`,
  );
}

/** The one-line stderr summary, or undefined when everything was readable. */
export function unreadableSummary(list: Unreadable[]): string | undefined {
  if (list.length === 0) return undefined;
  return `answered without ${list.map(describeUnreadable).join(', ')} (forbidden); the conclusions they support are unknown`;
}
