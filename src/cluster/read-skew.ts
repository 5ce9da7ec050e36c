// A CronJob and its Jobs are read at about the same moment, not at one resourceVersion. When the
// controller acts between the two reads they disagree: a Job it has just created is not yet in the
// CronJob's .status.active, or a Job it has just deleted (Replace, history limit) is still listed
// there. Left alone, the models would call the first a Job the controller "did not create or lost
// track of" (UnexpectedJob) and the second a Job "gone missing". The controller meets the same skew
// between its own caches and reads again before it concludes (a fresh GET of the CronJob for an
// unlisted Job, a GET of a listed Job it cannot see); this does the same, once, on a live cluster
// (each with a list by name: the `list` verb is all the in-cluster audit is granted).
import type { CronJob, Job, ObjectReference } from '../api/types.js';
import { finishedStatus } from '../controller/cronjob/jobs.js';
import type { ClusterSource } from './source.js';

/** Where .status.active and the owned Jobs disagree. */
export interface ReadSkew {
  /** Unfinished owned Jobs that .status.active does not list. */
  unlisted: Job[];
  /** .status.active references with no owned Job among those read. */
  unseen: ObjectReference[];
}

/** Compares .status.active with the owned Jobs read. */
export function readSkew(cronJob: CronJob, owned: Job[]): ReadSkew {
  const active = cronJob.status?.active ?? [];
  const listed = new Set(active.map((r) => r.uid));
  const read = new Set(owned.map((j) => j.metadata.uid));
  return {
    unlisted: owned.filter((j) => !listed.has(j.metadata.uid) && finishedStatus(j) === null),
    unseen: active.filter((r) => !read.has(r.uid)),
  };
}

/** At most this many listed-but-unseen Jobs are read one by one (more means no skew of a moment). */
const MAX_JOB_GETS = 5;

/**
 * On a live cluster, when the CronJob and its Jobs disagree, reads the CronJob again (it is then
 * newer than the Job list) and each Job it still lists that was not among those read. Returns
 * the CronJob and Jobs to judge: unchanged when they agree, when the source is a file, or when a
 * read fails (the model then reports the disagreement as it stands, as the controller would).
 */
export async function settleReadSkew(
  src: ClusterSource,
  cronJob: CronJob,
  owned: Job[],
): Promise<{ cronJob: CronJob; jobs: Job[]; reread: boolean }> {
  const first = readSkew(cronJob, owned);
  const again = src.reread;
  if (!again || (first.unlisted.length === 0 && first.unseen.length === 0))
    return { cronJob, jobs: owned, reread: false };
  const ns = cronJob.metadata.namespace ?? src.namespace;
  const fresh = await again.cronJob(ns, cronJob.metadata.name ?? '').catch(() => undefined);
  // A CronJob deleted and made again under the same name is another object: keep what was read.
  const cj = fresh && fresh.metadata.uid === cronJob.metadata.uid ? fresh : cronJob;
  const unseen = readSkew(cj, owned).unseen;
  if (unseen.length === 0 || unseen.length > MAX_JOB_GETS) return { cronJob: cj, jobs: owned, reread: cj !== cronJob };
  const found = await Promise.all(
    unseen.map((r) =>
      again
        .job(r.namespace ?? ns, r.name ?? '')
        .then((j) => (j?.metadata.uid === r.uid ? j : undefined))
        .catch(() => undefined),
    ),
  );
  const jobs = [...owned, ...found.filter((j): j is Job => j !== undefined)];
  return { cronJob: cj, jobs, reread: true };
}

/** settleReadSkew for many CronJobs (fleet reads, snapshots), a few at a time; the same order out. */
export async function settleReadSkews(
  /** Undefined: nothing is read again (the pairs are returned as they are). */
  src: ClusterSource | undefined,
  pairs: Array<{ cronJob: CronJob; owned: Job[] }>,
  atOnce = 4,
): Promise<Array<{ cronJob: CronJob; jobs: Job[]; reread: boolean }>> {
  const out = pairs.map((p) => ({ cronJob: p.cronJob, jobs: p.owned, reread: false }));
  const live = src?.reread ? src : undefined;
  if (!live) return out;
  // settleReadSkew returns at once, reading nothing, for a pair that agrees.
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < pairs.length; i = next++)
      out[i] = await settleReadSkew(live, pairs[i]!.cronJob, pairs[i]!.owned);
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, pairs.length) }, worker));
  return out;
}
