// Builders for CronJob / Job / Pod / Event objects in the JSON shapes of src/api/types.ts,
// with valid defaults so each test states only what it changes:
//   cronJob('backup').schedule('0 * * * *').suspended().lastScheduleTime(t).build()
//   scheduledJob(cj, t).failed(t2).build(), job('x').ownedBy(cj).manual().build()
//   pod('x-abc').ofJob('x').failed(1).build(), event('FailedCreate').about(cj).warning().build()
// Times are Dates or RFC 3339 strings; defaults come from test/support/time.ts.

import type { Condition, CronJob, Job, JobSpec, KubeEvent, ManagedFieldsEntry, Pod } from '../../src/api/types.js';
import { iso, justBeforeThePriorHour, topOfTheHour, unixMinutes } from './time.js';

type When = Date | string;
const ts = (t: When): string => (typeof t === 'string' ? t : iso(t));
const clone = <T>(x: T): T => structuredClone(x);

/** A minimal valid Job spec (one busybox container, restartPolicy Never). */
export function jobSpec(): JobSpec {
  return {
    parallelism: 1,
    completions: 1,
    backoffLimit: 6,
    template: {
      metadata: { labels: { foo: 'bar' } },
      spec: { containers: [{ name: 'main', image: 'busybox' }], restartPolicy: 'Never' },
    },
  };
}

/** Fluent CronJob builder; build() returns a fresh copy. */
export class CronJobBuilder {
  private c: CronJob;
  constructor(name: string) {
    this.c = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: iso(justBeforeThePriorHour()) },
      spec: {
        schedule: '0 * * * *',
        concurrencyPolicy: 'Allow',
        jobTemplate: { metadata: { labels: { a: 'b' } }, spec: jobSpec() },
      },
      status: {},
    };
  }
  namespace(ns: string) {
    this.c.metadata.namespace = ns;
    return this;
  }
  uid(uid: string) {
    this.c.metadata.uid = uid;
    return this;
  }
  schedule(s: string) {
    this.c.spec.schedule = s;
    return this;
  }
  timeZone(z: string | undefined) {
    this.c.spec.timeZone = z;
    return this;
  }
  suspended(s = true) {
    this.c.spec.suspend = s;
    return this;
  }
  concurrencyPolicy(p: 'Allow' | 'Forbid' | 'Replace') {
    this.c.spec.concurrencyPolicy = p;
    return this;
  }
  forbid() {
    return this.concurrencyPolicy('Forbid');
  }
  replace() {
    return this.concurrencyPolicy('Replace');
  }
  startingDeadlineSeconds(s: number | undefined) {
    this.c.spec.startingDeadlineSeconds = s;
    return this;
  }
  historyLimits(successful: number | undefined, failed: number | undefined) {
    this.c.spec.successfulJobsHistoryLimit = successful;
    this.c.spec.failedJobsHistoryLimit = failed;
    return this;
  }
  createdAt(t: When) {
    this.c.metadata.creationTimestamp = ts(t);
    return this;
  }
  lastScheduleTime(t: When | undefined) {
    this.c.status = { ...this.c.status, lastScheduleTime: t === undefined ? undefined : ts(t) };
    return this;
  }
  lastSuccessfulTime(t: When) {
    this.c.status = { ...this.c.status, lastSuccessfulTime: ts(t) };
    return this;
  }
  /** Lists Jobs (objects or names) in `.status.active`. */
  active(...jobs: Array<Job | string>) {
    const refs = jobs.map((j) => {
      const name = typeof j === 'string' ? j : (j.metadata.name ?? '');
      const uid = typeof j === 'string' ? `uid-${j}` : j.metadata.uid;
      return { apiVersion: 'batch/v1', kind: 'Job', name, namespace: this.c.metadata.namespace, uid };
    });
    this.c.status = { ...this.c.status, active: refs };
    return this;
  }
  deleting(t: When) {
    this.c.metadata.deletionTimestamp = ts(t);
    return this;
  }
  templateLabels(l: Record<string, string>) {
    this.c.spec.jobTemplate.metadata = { ...this.c.spec.jobTemplate.metadata, labels: l };
    return this;
  }
  templateAnnotations(a: Record<string, string>) {
    this.c.spec.jobTemplate.metadata = { ...this.c.spec.jobTemplate.metadata, annotations: a };
    return this;
  }
  jobTemplateSpec(patch: Partial<JobSpec>) {
    this.c.spec.jobTemplate.spec = { ...this.c.spec.jobTemplate.spec, ...patch };
    return this;
  }
  managedFields(...entries: ManagedFieldsEntry[]) {
    this.c.metadata.managedFields = [...(this.c.metadata.managedFields ?? []), ...entries];
    return this;
  }
  /** Suspends it and records, in managedFields, that `manager` owns `.spec.suspend` since `t`. */
  suspendedBy(manager: string, t: When, operation = 'Update') {
    this.suspended(true);
    return this.managedFields({
      manager,
      operation,
      apiVersion: 'batch/v1',
      time: ts(t),
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:suspend': {} } },
    });
  }
  build(): CronJob {
    return clone(this.c);
  }
}

/** A CronJob (hourly, Allow, created 08:59 on the upstream test day) named `name`. */
export const cronJob = (name = 'mycronjob') => new CronJobBuilder(name);

/** Fluent Job builder; build() returns a fresh copy. */
export class JobBuilder {
  private j: Job;
  constructor(name: string) {
    this.j = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: 'default',
        uid: `uid-${name}`,
        creationTimestamp: iso(topOfTheHour()),
        labels: { 'batch.kubernetes.io/job-name': name },
      },
      spec: jobSpec(),
      status: {},
    };
  }
  namespace(ns: string) {
    this.j.metadata.namespace = ns;
    return this;
  }
  uid(uid: string) {
    this.j.metadata.uid = uid;
    return this;
  }
  label(k: string, v: string) {
    this.j.metadata.labels = { ...this.j.metadata.labels, [k]: v };
    return this;
  }
  annotation(k: string, v: string) {
    this.j.metadata.annotations = { ...this.j.metadata.annotations, [k]: v };
    return this;
  }
  /** Controller reference to a CronJob (as the controller and kubectl set it). */
  ownedBy(cj: CronJob | { name: string; uid?: string }) {
    const name = 'metadata' in cj ? (cj.metadata.name ?? '') : cj.name;
    const uid = 'metadata' in cj ? (cj.metadata.uid ?? '') : (cj.uid ?? `uid-${name}`);
    this.j.metadata.ownerReferences = [
      { apiVersion: 'batch/v1', kind: 'CronJob', name, uid, controller: true, blockOwnerDeletion: true },
    ];
    if ('metadata' in cj && cj.metadata.namespace) this.j.metadata.namespace = cj.metadata.namespace;
    return this;
  }
  /** Marks it as created by `kubectl create job --from=cronjob/...`. */
  manual() {
    return this.annotation('cronjob.kubernetes.io/instantiate', 'manual');
  }
  createdAt(t: When) {
    this.j.metadata.creationTimestamp = ts(t);
    return this;
  }
  startedAt(t: When | undefined) {
    this.j.status = { ...this.j.status, startTime: t === undefined ? undefined : ts(t) };
    return this;
  }
  running(active = 1) {
    this.j.status = { ...this.j.status, active };
    return this;
  }
  condition(type: string, reason: string, message: string, t: When, status = 'True') {
    const c: Condition = { type, status, reason, message, lastTransitionTime: ts(t), lastProbeTime: ts(t) };
    this.j.status = { ...this.j.status, conditions: [...(this.j.status?.conditions ?? []), c] };
    return this;
  }
  succeeded(t: When) {
    this.j.status = { ...this.j.status, active: 0, succeeded: 1, completionTime: ts(t) };
    return this.condition(
      'SuccessCriteriaMet',
      'CompletionsReached',
      'Reached expected number of succeeded pods',
      t,
    ).condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', t);
  }
  failed(t: When, reason = 'BackoffLimitExceeded', message = 'Job has reached the specified backoff limit') {
    this.j.status = { ...this.j.status, active: 0, failed: (this.j.status?.failed ?? 0) + 1 };
    return this.condition('FailureTarget', reason, message, t).condition('Failed', reason, message, t);
  }
  suspended(s = true) {
    this.j.spec.suspend = s;
    return this;
  }
  /** Kueue: held suspended with label kueue.x-k8s.io/queue-name. */
  queued(queue: string) {
    return this.label('kueue.x-k8s.io/queue-name', queue).suspended(true);
  }
  deleting(t: When) {
    this.j.metadata.deletionTimestamp = ts(t);
    return this;
  }
  build(): Job {
    return clone(this.j);
  }
}

/** A Job named `name` (no owner, created and not started). */
export const job = (name: string) => new JobBuilder(name);

/** The Job the v2 controller creates for `cj` at schedule time `t`: `<cj>-<unix minutes>`, controller
 * reference, scheduled-timestamp annotation, created and started at `t`. */
export function scheduledJob(cj: CronJob, t: Date): JobBuilder {
  return job(`${cj.metadata.name}-${unixMinutes(t)}`)
    .ownedBy(cj)
    .annotation('batch.kubernetes.io/cronjob-scheduled-timestamp', iso(t))
    .createdAt(t)
    .startedAt(t);
}

/** Fluent Pod builder; build() returns a fresh copy. */
export class PodBuilder {
  private p: Pod;
  constructor(name: string) {
    this.p = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: iso(topOfTheHour()) },
      spec: { containers: [{ name: 'main', image: 'busybox' }], restartPolicy: 'Never' },
      status: { phase: 'Pending' },
    };
  }
  namespace(ns: string) {
    this.p.metadata.namespace = ns;
    return this;
  }
  /** Labels and a controller reference to Job `jobName`. */
  ofJob(jobName: string) {
    this.p.metadata.labels = {
      ...this.p.metadata.labels,
      'batch.kubernetes.io/job-name': jobName,
      'job-name': jobName,
    };
    this.p.metadata.ownerReferences = [
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        name: jobName,
        uid: `uid-${jobName}`,
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
    return this;
  }
  startedAt(t: When) {
    this.p.status = { ...this.p.status, startTime: ts(t) };
    return this;
  }
  running() {
    this.p.status = {
      ...this.p.status,
      phase: 'Running',
      containerStatuses: [
        { name: 'main', restartCount: 0, state: { running: { startedAt: this.p.status?.startTime } } },
      ],
    };
    return this;
  }
  failed(exitCode: number, reason = 'Error') {
    this.p.status = {
      ...this.p.status,
      phase: 'Failed',
      containerStatuses: [{ name: 'main', restartCount: 0, state: { terminated: { exitCode, reason } } }],
    };
    return this;
  }
  succeeded() {
    this.p.status = {
      ...this.p.status,
      phase: 'Succeeded',
      containerStatuses: [
        { name: 'main', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      ],
    };
    return this;
  }
  build(): Pod {
    return clone(this.p);
  }
}

/** A pending Pod named `name`. */
export const pod = (name: string) => new PodBuilder(name);

/** Fluent Event builder; build() returns a fresh copy. */
export class EventBuilder {
  private e: KubeEvent;
  constructor(reason: string) {
    const t = iso(topOfTheHour());
    this.e = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `ev-${reason.toLowerCase()}`, namespace: 'default', creationTimestamp: t },
      involvedObject: { apiVersion: 'batch/v1', kind: 'CronJob', name: 'mycronjob', namespace: 'default' },
      reason,
      message: '',
      type: 'Normal',
      count: 1,
      firstTimestamp: t,
      lastTimestamp: t,
      source: { component: 'cronjob-controller' },
    };
  }
  /** Makes the event about `cj` (kind CronJob, name, uid, namespace). */
  about(cj: CronJob) {
    this.e.involvedObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      name: cj.metadata.name,
      uid: cj.metadata.uid,
      namespace: cj.metadata.namespace,
    };
    this.e.metadata.namespace = cj.metadata.namespace;
    return this;
  }
  on(kind: string, name: string) {
    this.e.involvedObject = { ...this.e.involvedObject, kind, name, uid: undefined };
    return this;
  }
  warning() {
    this.e.type = 'Warning';
    return this;
  }
  message(m: string) {
    this.e.message = m;
    return this;
  }
  at(t: When) {
    this.e.firstTimestamp = ts(t);
    this.e.lastTimestamp = ts(t);
    this.e.metadata.creationTimestamp = ts(t);
    return this;
  }
  count(n: number) {
    this.e.count = n;
    return this;
  }
  from(component: string) {
    this.e.source = { component };
    return this;
  }
  build(): KubeEvent {
    return clone(this.e);
  }
}

/** An event with the given reason about cronjob/mycronjob from cronjob-controller, at the top of the hour. */
export const event = (reason: string) => new EventBuilder(reason);

/** A server version such as version(1, 20). */
export const version = (major: number, minor: number) => ({ major, minor, gitVersion: `v${major}.${minor}.0` });
