// How the CronJob controller reads `.spec.schedule` and `.spec.timeZone` (formatSchedule and the
// time-zone check in pkg/controller/cronjob/cronjob_controllerv2.go, Kubernetes 1.36), and which
// controller generation a server version runs.

import { CronSyntaxError, loadLocation, parseStandard } from '../cron/index.js';
import type { CronJob, ServerVersion } from '../../api/types.js';
import type { ControllerEvent, ControllerGeneration, ScheduleReading } from './types.js';

/** Docs link quoted by the UnsupportedSchedule event. */
const CRON_JOBS_DOCS = 'https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/';

/** Which generation a server runs, and how sure that is:
 * - ≤1.20: v1 (the v2 controller was alpha, gate CronJobControllerV2 off by default)
 * - 1.21: v2 by default (beta gate, could still be switched off)
 * - ≥1.22 or unknown: v2 (gate GA and locked; v1 code gone) */
export function controllerGeneration(v?: ServerVersion): { generation: ControllerGeneration; certain: boolean } {
  if (!v || v.major > 1) return { generation: 'v2', certain: v !== undefined };
  if (v.minor <= 19) return { generation: 'v1', certain: true };
  if (v.minor === 20) return { generation: 'v1', certain: false };
  return { generation: 'v2', certain: v.minor >= 22 };
}

/** True when the server writes the `batch.kubernetes.io/cronjob-scheduled-timestamp` annotation (≥1.28 or unknown). */
export function writesScheduledTimestamp(v?: ServerVersion): boolean {
  return !v || v.major > 1 || v.minor >= 28;
}

/** True when the server knows `.spec.timeZone` (alpha 1.24, GA 1.27; unknown = yes). */
export function supportsTimeZoneField(v?: ServerVersion): boolean {
  return !v || v.major > 1 || v.minor >= 24;
}

function unsupportedSchedule(schedule: string): ControllerEvent {
  return {
    type: 'Warning',
    reason: 'UnsupportedSchedule',
    message: `CRON_TZ or TZ used in schedule ${JSON.stringify(schedule)} is not officially supported, see ${CRON_JOBS_DOCS} for more details`,
  };
}

/** The zone a `TZ=`/`CRON_TZ=` prefix names, or null. */
export function zoneInSchedule(schedule: string): string | null {
  const m = /^\s*(?:CRON_)?TZ=(\S+)/.exec(schedule);
  return m?.[1] ?? null;
}

/** Reads the schedule the way the controller does, without deciding anything:
 * - a schedule containing "TZ" is used as is (UnsupportedSchedule warning; v2 only)
 * - a valid `.spec.timeZone` becomes a `TZ=<zone> ` prefix; an unknown one is an UnknownTimeZone error (v2 only)
 * - otherwise the schedule is read in kube-controller-manager's zone (`controllerZone`)
 * - a parse failure is an UnparseableSchedule error (v1 records it as FailedNeedsStart) */
export function readSchedule(
  cronJob: CronJob,
  generation: ControllerGeneration,
  controllerZone = 'UTC',
  serverVersion?: ServerVersion,
): ScheduleReading {
  const raw = cronJob.spec.schedule ?? '';
  const events: ControllerEvent[] = [];
  let spec = raw;
  let zone = controllerZone;
  let zoneSource: ScheduleReading['zoneSource'] = 'controller';
  const tz = cronJob.spec.timeZone;

  if (tz != null && generation === 'v2') {
    // syncCronJob checks the zone before anything else, even when the schedule carries its own TZ.
    try {
      loadLocation(tz);
    } catch (e) {
      const error: ControllerEvent = {
        type: 'Warning',
        reason: 'UnknownTimeZone',
        message: `invalid timeZone: ${JSON.stringify(tz)}: ${(e as Error).message}`,
      };
      return { spec, zone: tz, zoneSource: 'timeZone', error, events };
    }
  }
  const prefixZone = zoneInSchedule(raw);
  if (raw.includes('TZ')) {
    // Upstream checks for the substring "TZ" anywhere, case-sensitively, and then ignores .spec.timeZone.
    if (generation === 'v2') events.push(unsupportedSchedule(raw));
    zone = prefixZone ?? controllerZone;
    zoneSource = prefixZone ? 'schedule' : 'controller';
  } else if (tz != null && generation === 'v2') {
    spec = `TZ=${tz} ${raw}`;
    zone = tz;
    zoneSource = 'timeZone';
  }

  try {
    const schedule = parseStandard(spec, controllerZone);
    return { spec, zone: schedule.zone || zone, zoneSource, schedule, events };
  } catch (e) {
    let detail = e instanceof CronSyntaxError || e instanceof Error ? e.message : String(e);
    const goPanic = e instanceof CronSyntaxError && e.goPanic ? e.message : undefined;
    // From 1.35 the controller recovers the panic into an error (pkg/util/parsers).
    if (goPanic !== undefined && recoversParserPanics(serverVersion)) detail = `invalid schedule format: ${goPanic}`;
    const error: ControllerEvent =
      generation === 'v2'
        ? {
            type: 'Warning',
            reason: 'UnparseableSchedule',
            message: `unparseable schedule: ${JSON.stringify(raw)} : ${detail}`,
          }
        : {
            type: 'Warning',
            reason: 'FailedNeedsStart',
            message: `Cannot determine if job needs to be started: unparseable schedule: ${raw} : ${detail}`,
          };
    return { spec, zone, zoneSource, error, events, ...(goPanic !== undefined ? { goPanic } : {}) };
  }
}

/** True when the controller turns a robfig parser panic into an UnparseableSchedule error (≥1.35 or unknown). */
export function recoversParserPanics(v?: ServerVersion): boolean {
  return !v || v.major > 1 || v.minor >= 35;
}
