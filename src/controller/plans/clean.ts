// Plans `clean`: which finished Jobs to delete. Only Jobs with Complete=True or Failed=True are
// ever candidates, and a finished Job that still has pods in flight or is already being deleted
// is protected. Deletions carry the uid and resourceVersion read here as preconditions.
import { finishedStatus, jobEnd } from '../cronjob/index.js';
import type { Job } from '../../api/types.js';

/** Which finished Jobs to clean. */
export type CleanOutcome = 'succeeded' | 'failed';

/** What planClean needs; `now` anchors --older-than. */
export interface CleanInput {
  jobs: Job[];
  outcomes: CleanOutcome[];
  /** --older-than: only Jobs that finished at least this long ago. */
  olderThanMs?: number;
  /** --keep: keep the newest N per owner CronJob (or per namespace for stand-alone Jobs) and outcome. */
  keep?: number;
  now: Date;
}

/** One finished Job, with the preconditions its deletion carries. */
export interface CleanItem {
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: string;
  outcome: CleanOutcome;
  /** When it finished (RFC 3339), null when unknown. */
  finishedAt: string | null;
  /** `cronjob/<name>` (or `<kind>/<name>`) of its controller, null for a stand-alone Job. */
  owner: string | null;
}

/** Why a finished Job matching the selection is not deleted. */
export type ProtectReason =
  | 'being-deleted'
  | 'active-pods'
  | 'uncounted-pods'
  | 'terminating-pods'
  | 'no-preconditions';

/** The plan: what to delete, what is protected and why, and counts of what was left alone. */
export interface CleanPlan {
  /** Oldest first, so an interrupted run has removed the oldest. */
  delete: CleanItem[];
  protected: Array<CleanItem & { reason: ProtectReason }>;
  /** Matching Jobs kept by --keep. */
  keptByKeep: number;
  /** Matching Jobs kept because they finished less than --older-than ago (or when is unknown). */
  keptByAge: number;
  /** Jobs without a finished condition (running, suspended, pending): never touched. */
  notFinished: number;
  /** Finished Jobs of the other outcome. */
  otherOutcome: number;
  listed: number;
}

/** The reason a finished Job must not be deleted yet, or null when it is safe. */
export function protectReason(job: Job): ProtectReason | null {
  const s = job.status ?? {};
  if (job.metadata.deletionTimestamp) return 'being-deleted';
  if ((s.active ?? 0) > 0) return 'active-pods';
  if ((s.uncountedTerminatedPods?.succeeded?.length ?? 0) + (s.uncountedTerminatedPods?.failed?.length ?? 0) > 0)
    return 'uncounted-pods';
  if ((s.terminating ?? 0) > 0) return 'terminating-pods';
  if (!job.metadata.uid || !job.metadata.resourceVersion) return 'no-preconditions';
  return null;
}

function ownerOf(job: Job): string | null {
  const ref = job.metadata.ownerReferences?.find((r) => r.controller === true);
  return ref ? `${ref.kind.toLowerCase()}/${ref.name}` : null;
}

function item(job: Job, outcome: CleanOutcome): CleanItem {
  const end = jobEnd(job);
  return {
    namespace: job.metadata.namespace ?? 'default',
    name: job.metadata.name ?? '',
    uid: job.metadata.uid ?? '',
    resourceVersion: job.metadata.resourceVersion ?? '',
    outcome,
    finishedAt: end ? end.toISOString().replace(/\.000Z$/, 'Z') : null,
    owner: ownerOf(job),
  };
}

const finishedMs = (i: CleanItem): number => (i.finishedAt ? Date.parse(i.finishedAt) : -Infinity);
const byNewest = (a: CleanItem, b: CleanItem): number => finishedMs(b) - finishedMs(a) || a.name.localeCompare(b.name);

/** Decides which listed Jobs `clean` deletes (see CleanPlan). */
export function planClean(input: CleanInput): CleanPlan {
  const plan: CleanPlan = {
    delete: [],
    protected: [],
    keptByKeep: 0,
    keptByAge: 0,
    notFinished: 0,
    otherOutcome: 0,
    listed: input.jobs.length,
  };
  const groups = new Map<string, Array<{ item: CleanItem; reason: ProtectReason | null }>>();
  for (const job of input.jobs) {
    const status = finishedStatus(job);
    if (!status) {
      plan.notFinished++;
      continue;
    }
    const outcome: CleanOutcome = status === 'Complete' ? 'succeeded' : 'failed';
    if (!input.outcomes.includes(outcome)) {
      plan.otherOutcome++;
      continue;
    }
    const it = item(job, outcome);
    const key = `${it.namespace}\u0000${it.owner ?? ''}\u0000${outcome}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push({ item: it, reason: protectReason(job) });
  }
  const cutoff = input.now.getTime() - (input.olderThanMs ?? 0);
  for (const members of groups.values()) {
    members.sort((a, b) => byNewest(a.item, b.item));
    members.forEach(({ item: it, reason }, i) => {
      // Protected Jobs count towards --keep too: they stay either way.
      if (input.keep !== undefined && i < input.keep) plan.keptByKeep++;
      else if (reason) plan.protected.push({ ...it, reason });
      else if (input.olderThanMs !== undefined && (it.finishedAt === null || finishedMs(it) > cutoff)) plan.keptByAge++;
      else plan.delete.push(it);
    });
  }
  plan.delete.sort((a, b) => byNewest(b, a));
  plan.protected.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return plan;
}
