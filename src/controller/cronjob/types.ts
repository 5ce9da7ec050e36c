// Data shapes of the CronJob controller model (pure: no I/O, no clock; `now` is always passed in).
// Names follow upstream pkg/controller/cronjob (Kubernetes 1.36) where a concept exists there.

import type { CronJob, Job, KubeEvent, ServerVersion } from '../../api/types.js';
import type { CronSchedule } from '../cron/index.js';

/** Which CronJob controller implementation a cluster runs: v1 = legacy polling controller (≤1.20), v2 = informer based (≥1.21). */
export type ControllerGeneration = 'v1' | 'v2';

/** An event the controller would record on the CronJob. */
export interface ControllerEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** Everything the model needs: the CronJob, Jobs of its namespace, events, the server version and the instant to evaluate at. */
export interface CronJobInput {
  cronJob: CronJob;
  /** Jobs of the namespace (ownership is checked here, unrelated Jobs are ignored). */
  jobs: Job[];
  events: KubeEvent[];
  /** Undefined = unknown: the current (v2) controller is assumed. */
  serverVersion?: ServerVersion;
  now: Date;
  /** kube-controller-manager's local zone, used when `.spec.timeZone` is unset (the tool cannot see it). Default 'UTC'. */
  controllerZone?: string;
  /** Start of the verdict's look-back window (default: see lookbackStart). */
  since?: Date;
}

/** Where the zone a schedule is evaluated in comes from. */
export type ZoneSource = 'schedule' | 'timeZone' | 'controller';

/** How the controller reads the schedule:
 * - `spec`: the string handed to the cron parser (formatSchedule)
 * - `zone`/`zoneSource`: the zone it is evaluated in and why
 * - `schedule`: the parsed schedule, absent on error
 * - `error`: UnknownTimeZone / UnparseableSchedule event, absent when fine
 * - `events`: warnings recorded while reading it (UnsupportedSchedule)
 * - `goPanic`: robfig's panic text where parsing panics (e.g. `TZ=UTC` with no field after it) */
export interface ScheduleReading {
  spec: string;
  zone: string;
  zoneSource: ZoneSource;
  schedule?: CronSchedule;
  error?: ControllerEvent;
  events: ControllerEvent[];
  goPanic?: string;
}

/** 'none' / 'few' / 'many' (more than 100) missed start times, as upstream's missedSchedulesType. */
export type MissedSchedules = 'none' | 'few' | 'many';

/** Result of mostRecentScheduleTime:
 * - `earliestTime`: lastScheduleTime ?? creationTimestamp, moved up to now - startingDeadlineSeconds when asked
 * - `mostRecentTime`: the latest schedule time ≤ now after earliestTime, or null
 * - `missed`/`missedCount`: upstream's approximate count of schedules since the first unmet one
 * - `error`: "time difference between two schedules is less than 1 second" (impossible dates such as Feb 31) */
export interface MostRecentScheduleTime {
  earliestTime: Date;
  mostRecentTime: Date | null;
  missed: MissedSchedules;
  missedCount: number;
  error?: string;
}

/** A Job the controller would delete, and why. */
export interface JobDeletion {
  name: string;
  why: 'replace' | 'history-limit';
  /** For history-limit deletions: which list it came from. */
  list?: 'successful' | 'failed';
}

/** The Job the controller would create. */
export interface JobToCreate {
  name: string;
  scheduledTime: string;
  annotations: Record<string, string>;
}

/** Why a sync ends the way it does (event reasons where the controller records one). */
export type SyncReason =
  | 'Deleting'
  | 'UnknownTimeZone'
  | 'Suspended'
  | 'UnparseableSchedule'
  | 'InvalidSchedule'
  | 'FailedNeedsStart'
  | 'NotDueYet'
  | 'MissSchedule'
  | 'AlreadyProcessed'
  | 'JobAlreadyActive'
  | 'Create'
  /** The due Job name is taken by a Job this CronJob does not control: create fails with AlreadyExists and the controller gives up. */
  | 'ForeignJob'
  /** The due Job name exists and, before 1.37, the GET that follows AlreadyExists fails (empty namespace): the sync errors and is retried with backoff. */
  | 'AlreadyExistsGetFailed'
  /** Replace could not fetch an active Job (FailedGet): the sync ends with an error. */
  | 'FailedGet'
  /** The schedule makes robfig panic and this version does not recover: kube-controller-manager crashes. */
  | 'Panic';

/** The `.status` the controller writes at the end of the sync (UpdateStatus). */
export interface CronJobStatusUpdate {
  lastScheduleTime: string | null;
  lastSuccessfulTime: string | null;
  /** Names in `.status.active`, in list order. */
  active: string[];
}

/** What the controller does when it syncs the CronJob at `now`:
 * - `action`: create a Job, skip a due time, or nothing to do
 * - `scheduledTime`: the unmet schedule time it acted on (null when none)
 * - `job`: the Job it creates (name, annotations)
 * - `deletes`: Jobs it deletes (Replace, then history limits)
 * - `events`: events it records, in order
 * - `active`: `.status.active` names after reconciliation
 * - `requeueAt`: when it wakes up again for this CronJob (null: not requeued)
 * - `statusUpdate`: the status it writes, null when it writes none (v2; not modelled for v1)
 * - `syncError`: the error the sync returns (the work queue then retries with backoff), else null */
export interface SyncDecision {
  generation: ControllerGeneration;
  action: 'create' | 'skip' | 'none';
  reason: SyncReason;
  scheduledTime: string | null;
  jobName: string | null;
  job: JobToCreate | null;
  deletes: JobDeletion[];
  events: ControllerEvent[];
  active: string[];
  missed: MissedSchedules;
  missedCount: number;
  requeueAt: string | null;
  reading: Omit<ScheduleReading, 'schedule'>;
  statusUpdate: CronJobStatusUpdate | null;
  syncError: string | null;
}

/** The object shapes the model reads, re-exported for convenience. */
export type { CronJob, Job, KubeEvent, ServerVersion };
