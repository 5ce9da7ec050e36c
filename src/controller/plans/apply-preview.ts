// What the CronJob controller does after `kubectl apply` of a manifest onto a CronJob that exists:
// the object after the apply (the manifest's spec, the live metadata and status), when the
// controller syncs it next, and the decision of that sync (the same model as `why -o json`).
//
// When it syncs (pkg/controller/cronjob ControllerV2.updateCronJob, Kubernetes 1.36):
// - an update that keeps .spec.schedule and .spec.timeZone is synced at once;
// - a changed schedule or zone is requeued for the new schedule's next time (nextScheduleTimeDuration),
//   or earlier if the work queue already holds the key for an earlier time (the old schedule's);
// - a changed schedule that does not parse is not requeued (UnParseableCronJobSchedule event).
// Any change of one of its Jobs, a kube-controller-manager restart or an informer resync also
// syncs it at once: then `ifSyncedNow` says what that sync would do.
import { requeueAt, syncDecision, type SyncDecision } from '../cronjob/index.js';
import { readSchedule } from '../cronjob/schedule.js';
import { rfc3339 } from '../time.js';
import type { CronJob, Job, ServerVersion } from '../../api/types.js';

/** Inputs of previewApply. */
export interface ApplyPreviewInput {
  /** The CronJob in the cluster, or undefined when the apply creates it. */
  live?: CronJob;
  /** The manifest's CronJob. */
  manifest: CronJob;
  /** Jobs of the namespace (the controller reconciles its active list against them). */
  jobs: Job[];
  serverVersion?: ServerVersion;
  now: Date;
  controllerZone?: string;
}

/** Why the controller syncs at `syncAt`. */
export type SyncTrigger =
  /** The CronJob does not exist: the controller syncs the new object at once. */
  | 'created'
  /** The update keeps the schedule and zone: synced at once. */
  | 'updated'
  /** The schedule or zone changes: requeued for the new schedule's next time. */
  | 'schedule-changed'
  /** The schedule or zone changes, but the key was already queued for an earlier time. */
  | 'already-queued'
  /** The manifest changes nothing the API would store: no update, the controller goes on as queued. */
  | 'unchanged'
  /** Nothing makes the controller sync it on its own (an unparseable new schedule and no queued time). */
  | 'none';

/** The prediction for one CronJob manifest. */
export interface ApplyPreview {
  kind: 'prediction';
  exists: boolean;
  trigger: SyncTrigger;
  /** When the controller next syncs the CronJob on its own after the apply (RFC 3339, ms), else null. */
  syncAt: string | null;
  /** What that sync does (null when no sync comes). */
  decision: SyncDecision | null;
  /** True when the Job it creates is for a time already past when it syncs (a catch-up run). */
  catchUp: boolean;
  /** What a sync right after the apply would do, when that is a Job the timed sync would not start now. */
  ifSyncedNow: SyncDecision | null;
  /** Assumptions that can make the prediction wrong, in words. */
  notes: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** True when every field the manifest sets has the same value in the live object (arrays element by element). */
export function containedIn(manifest: unknown, live: unknown): boolean {
  if (manifest === null || manifest === undefined) return true;
  if (Array.isArray(manifest)) {
    return Array.isArray(live) && live.length === manifest.length && manifest.every((m, i) => containedIn(m, live[i]));
  }
  if (typeof manifest === 'object') {
    if (typeof live !== 'object' || live === null || Array.isArray(live)) return false;
    return Object.entries(manifest as Record<string, unknown>).every(([k, v]) =>
      containedIn(v, (live as Record<string, unknown>)[k]),
    );
  }
  return manifest === live;
}

/** The live CronJob as the apply leaves it: the manifest's spec, the live metadata and status. */
export function appliedCronJob(live: CronJob, manifest: CronJob): CronJob {
  return { ...live, spec: structuredClone(manifest.spec) };
}

/** Predicts the controller's next sync after applying `manifest` (see the file comment). */
export function previewApply(input: ApplyPreviewInput): ApplyPreview {
  const { live, manifest, now } = input;
  const zone = input.controllerZone ?? 'UTC';
  const at = (cronJob: CronJob, t: Date): SyncDecision =>
    syncDecision({
      cronJob,
      jobs: input.jobs,
      events: [],
      serverVersion: input.serverVersion,
      now: t,
      controllerZone: zone,
    });
  const notes: string[] = [];

  if (!live) {
    const created: CronJob = {
      ...manifest,
      metadata: { ...manifest.metadata, creationTimestamp: rfc3339(now) },
      status: {},
    };
    const decision = at(created, now);
    return {
      kind: 'prediction',
      exists: false,
      trigger: 'created',
      syncAt: now.toISOString(),
      decision,
      catchUp: false,
      ifSyncedNow: null,
      notes,
    };
  }

  const applied = appliedCronJob(live, manifest);
  if (live.spec.suspend === true && manifest.spec.suspend === undefined) {
    notes.push(
      "the live CronJob is suspended and the manifest does not set .spec.suspend: this preview takes the manifest's spec as a whole (suspend unset = false); if another field manager set suspend (kubectl patch, kubectl job suspend), kubectl apply keeps it and nothing runs",
    );
  }
  const queued = at(live, now).requeueAt;
  const oldQueued = queued ? new Date(queued) : null;
  const scheduleSame =
    live.spec.schedule === manifest.spec.schedule && same(live.spec.timeZone, manifest.spec.timeZone);

  let trigger: SyncTrigger;
  let syncAt: Date | null;
  if (containedIn(manifest.spec, live.spec) && scheduleSame) {
    trigger = 'unchanged';
    syncAt = oldQueued;
    notes.push(
      'every spec field the manifest sets already has that value in the cluster: if kubectl apply sends no change, the controller is not woken and goes on as scheduled',
    );
  } else if (scheduleSame) {
    trigger = 'updated';
    syncAt = now;
  } else {
    const reading = readSchedule(applied, 'v2', zone, input.serverVersion);
    const fresh = reading.schedule ? requeueAt(applied, now, reading.schedule) : null;
    if (fresh && (!oldQueued || fresh <= oldQueued)) {
      trigger = 'schedule-changed';
      syncAt = fresh;
    } else if (oldQueued) {
      trigger = 'already-queued';
      syncAt = oldQueued;
    } else {
      trigger = 'none';
      syncAt = null;
    }
  }
  if (syncAt && syncAt < now) syncAt = now;
  const decision = syncAt ? at(applied, syncAt) : null;
  const catchUp =
    decision?.action === 'create' &&
    decision.scheduledTime !== null &&
    Date.parse(decision.scheduledTime) < (syncAt?.getTime() ?? 0) - 1000;
  let ifSyncedNow: SyncDecision | null = null;
  if (syncAt && syncAt.getTime() > now.getTime()) {
    const d = at(applied, now);
    if (d.action === 'create') {
      ifSyncedNow = d;
      const active = (live.status?.active ?? []).length;
      notes.push(
        `a sync before ${rfc3339(syncAt)} starts job/${d.jobName} at once for ${d.scheduledTime}: any change of one of the CronJob's Jobs (${active} listed active), a kube-controller-manager restart or an informer resync makes the controller sync at once`,
      );
    }
  }
  if (syncAt && syncAt.getTime() > now.getTime())
    notes.push("the prediction assumes the CronJob's Jobs do not change before the controller syncs");
  return {
    kind: 'prediction',
    exists: true,
    trigger,
    syncAt: syncAt ? syncAt.toISOString() : null,
    decision,
    catchUp,
    ifSyncedNow,
    notes,
  };
}
