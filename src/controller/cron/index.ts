// Public barrel: an exact TypeScript port of robfig/cron v3.0.1 ParseStandard + Next, as the
// Kubernetes CronJob controller uses it, with Go's time zone rules (and Go's durations for @every,
// src/controller/duration.ts).
export { CronNextLoopError, CronSyntaxError } from './errors.js';
export type { CronSchedule, Schedule } from './schedule.js';
export { parseStandard } from './parse.js';
export { loadLocation } from './time-zone.js';
export { SpecSchedule, type SpecFields } from './spec-schedule.js';
export { ConstantDelaySchedule } from './constant-delay.js';
export { between, betweenMillis, countBetween, nextN } from './iterate.js';
export { STAR_BIT } from './fields.js';
export { zoneOffsets, type ZoneOffsets } from './zone-offsets.js';
export { TZDATA_VERSION, TZDATA_SOURCE } from './tzdata.js';
