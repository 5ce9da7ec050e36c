// Public surface of the manifest rules (`why -f`).
export type * from './types.js';
export { cronJobFindings, MAX_CRONJOB_NAME, REACTION_SECONDS } from './cronjob-rules.js';
export { jobSpecFindings, retryWaitSeconds } from './job-rules.js';
