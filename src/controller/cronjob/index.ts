// Public surface of the CronJob controller model.

export type * from './types.js';
export {
  decideCronJob,
  sortCauses,
  verdictState,
  type CronJobVerdictDetail,
  type CronJobVerdictExtras,
} from './decide.js';
export { syncDecision, predictAfterResume } from './sync.js';
export {
  mostRecentScheduleTime,
  nextScheduleTime,
  requeueAt,
  upcomingScheduleTime,
  legacyUnmetScheduleTimes,
  countScheduleTimes,
  controllerNextRun,
  everyNeverDue,
  lastKnownStart,
  NEXT_SCHEDULE_DELTA_MS,
  TOO_MANY_MISSED,
  INVALID_SCHEDULE_ERROR,
} from './most-recent.js';
export {
  readSchedule,
  controllerGeneration,
  writesScheduledTimestamp,
  supportsTimeZoneField,
  zoneInSchedule,
} from './schedule.js';
export {
  listMisses,
  SLOT_FATES,
  SlotTimeline,
  type SlotFate,
  type MissSlot,
  type SlotJob,
  type MissesReport,
  type MissesInput,
  type ManualRun,
} from './misses.js';
export { FATE_CODE, isoSeconds } from './timeline.js';
export {
  jobNameFor,
  scheduledTimeOfJob,
  isOwnedBy,
  isManual,
  queueName,
  finishedStatus,
  finishedCondition,
  jobOutcome,
  jobStart,
  jobEnd,
  byJobStartTime,
  cleanupFinishedJobs,
  reconcileActive,
  type JobOutcome,
  MANUAL_ANNOTATION,
  SCHEDULED_TIMESTAMP_ANNOTATION,
  KUEUE_QUEUE_LABEL,
  DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT,
  DEFAULT_FAILED_JOBS_HISTORY_LIMIT,
} from './jobs.js';
export { suspendOwner, classifyFailedCreate, eventTime, type FailedCreateKind } from './evidence.js';
export { rfc3339, rfc3339InZone, rfc1123zUtc, humanDuration, relative, parseTime } from '../time.js';
