// Builders for Job / Pod / Event JSON with valid defaults, so each test states only what it
// changes: job('train').backoffLimit(2).onFailure().build(),
// pod('train-abc').failed({ exitCode: 137, reason: 'OOMKilled' }).started(at(0)).build().
// Times: T0 = 2024-05-01T10:00:00Z; at(s) = T0 + s seconds.
import type {
  Condition,
  ContainerStatus,
  CronJob,
  Job,
  KubeEvent,
  Pod,
  PodFailurePolicyRule,
  ServerVersion,
  SuccessPolicyRule,
} from '../../src/api/types.js';
import assert from 'node:assert/strict';
import { decideJob } from '../../src/controller/job/decide.js';
import type { FailureCounts, JobDecision, JobRule } from '../../src/controller/job/types.js';
import type { JobVerdictState } from '../../src/controller/verdict.js';

/** The reference instant of every scenario. */
export const T0 = '2024-05-01T10:00:00Z';
const T0_MS = Date.parse(T0);

/** T0 plus `seconds`, as RFC 3339 without milliseconds. */
export function at(seconds: number): string {
  return new Date(T0_MS + seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** T0 plus `seconds`, as a Date (for `now`). */
export function dateAt(seconds: number): Date {
  return new Date(T0_MS + seconds * 1000);
}

/** A server version such as v(1, 26). */
export function v(major: number, minor: number) {
  return { major, minor, gitVersion: `v${major}.${minor}.0` };
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Fluent Job builder; see job(). */
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
        creationTimestamp: T0,
        labels: { 'batch.kubernetes.io/job-name': name },
      },
      spec: {
        parallelism: 1,
        completions: 1,
        backoffLimit: 6,
        completionMode: 'NonIndexed',
        suspend: false,
        template: { spec: { containers: [{ name: 'main', image: 'busybox' }], restartPolicy: 'Never' } },
      },
      status: { startTime: T0, active: 0 },
    };
  }
  backoffLimit(n: number) {
    this.j.spec.backoffLimit = n;
    return this;
  }
  onFailure() {
    this.j.spec.template.spec.restartPolicy = 'OnFailure';
    return this;
  }
  deadline(seconds: number) {
    this.j.spec.activeDeadlineSeconds = seconds;
    return this;
  }
  completions(n: number | undefined) {
    this.j.spec.completions = n;
    return this;
  }
  parallelism(n: number) {
    this.j.spec.parallelism = n;
    return this;
  }
  indexed(completions: number) {
    this.j.spec.completionMode = 'Indexed';
    this.j.spec.completions = completions;
    return this;
  }
  perIndex(limit: number) {
    this.j.spec.backoffLimitPerIndex = limit;
    delete this.j.spec.backoffLimit;
    return this;
  }
  maxFailedIndexes(n: number) {
    this.j.spec.maxFailedIndexes = n;
    return this;
  }
  podFailurePolicy(...rules: PodFailurePolicyRule[]) {
    this.j.spec.podFailurePolicy = { rules };
    return this;
  }
  successPolicy(...rules: SuccessPolicyRule[]) {
    this.j.spec.successPolicy = { rules };
    return this;
  }
  replacement(policy: 'Failed' | 'TerminatingOrFailed') {
    this.j.spec.podReplacementPolicy = policy;
    return this;
  }
  suspended(s = true) {
    this.j.spec.suspend = s;
    return this;
  }
  managedBy(name: string) {
    this.j.spec.managedBy = name;
    return this;
  }
  ttl(seconds: number) {
    this.j.spec.ttlSecondsAfterFinished = seconds;
    return this;
  }
  label(k: string, val: string) {
    this.j.metadata.labels = { ...this.j.metadata.labels, [k]: val };
    return this;
  }
  ownedByCronJob(name: string) {
    this.j.metadata.ownerReferences = [
      { apiVersion: 'batch/v1', kind: 'CronJob', name, uid: `uid-${name}`, controller: true, blockOwnerDeletion: true },
    ];
    return this;
  }
  started(t: string | undefined) {
    this.j.status = { ...this.j.status, startTime: t };
    return this;
  }
  counters(s: {
    failed?: number;
    succeeded?: number;
    active?: number;
    completedIndexes?: string;
    failedIndexes?: string;
    uncountedFailed?: string[];
  }) {
    const { uncountedFailed, ...rest } = s;
    this.j.status = {
      ...this.j.status,
      ...rest,
      ...(uncountedFailed ? { uncountedTerminatedPods: { failed: uncountedFailed } } : {}),
    };
    return this;
  }
  condition(type: string, reason: string, message: string, time: string, status = 'True') {
    const c: Condition = { type, status, reason, message, lastTransitionTime: time, lastProbeTime: time };
    this.j.status = { ...this.j.status, conditions: [...(this.j.status?.conditions ?? []), c] };
    return this;
  }
  deleting(t: string) {
    this.j.metadata.deletionTimestamp = t;
    return this;
  }
  build(): Job {
    return clone(this.j);
  }
}

/** A Job named `name` with valid defaults (1 completion, backoffLimit 6, restartPolicy Never, started at T0). */
export const job = (name: string) => new JobBuilder(name);

/** How a container exited. */
interface Exit {
  exitCode: number;
  reason?: string;
  container?: string;
  finishedAt?: string;
  message?: string;
}

/** Fluent Pod builder; see pod(). */
export class PodBuilder {
  private p: Pod;
  constructor(name: string, jobName: string) {
    this.p = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: 'default',
        uid: `uid-${name}`,
        creationTimestamp: T0,
        labels: { 'batch.kubernetes.io/job-name': jobName, 'job-name': jobName },
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            name: jobName,
            uid: `uid-${jobName}`,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { containers: [{ name: 'main', image: 'busybox' }], restartPolicy: 'Never', nodeName: 'node-1' },
      status: {
        phase: 'Running',
        startTime: T0,
        containerStatuses: [{ name: 'main', restartCount: 0, state: { running: { startedAt: T0 } } }],
      },
    };
  }
  private main(): ContainerStatus {
    return this.p.status!.containerStatuses![0]!;
  }
  started(t: string) {
    this.p.metadata.creationTimestamp = t;
    this.p.status!.startTime = t;
    const s = this.main().state;
    if (s?.running) s.running.startedAt = t;
    if (s?.terminated) s.terminated.startedAt = t;
    return this;
  }
  running() {
    this.p.status!.phase = 'Running';
    this.main().state = { running: { startedAt: this.p.status!.startTime } };
    return this;
  }
  failed(e: Exit) {
    this.p.status!.phase = 'Failed';
    const name = e.container ?? 'main';
    const term = {
      exitCode: e.exitCode,
      reason: e.reason ?? 'Error',
      startedAt: this.p.status!.startTime,
      finishedAt: e.finishedAt ?? this.p.status!.startTime,
      ...(e.message ? { message: e.message } : {}),
    };
    const list = this.p.status!.containerStatuses!;
    const existing = list.find((c) => c.name === name);
    if (existing) existing.state = { terminated: term };
    else list.push({ name, restartCount: 0, state: { terminated: term } });
    for (const c of list)
      if (!c.state?.terminated)
        c.state = { terminated: { exitCode: 0, reason: 'Completed', finishedAt: term.finishedAt } };
    return this;
  }
  succeeded(finishedAt?: string) {
    this.p.status!.phase = 'Succeeded';
    this.main().state = {
      terminated: {
        exitCode: 0,
        reason: 'Completed',
        startedAt: this.p.status!.startTime,
        finishedAt: finishedAt ?? this.p.status!.startTime,
      },
    };
    return this;
  }
  /** Adds a second container status (e.g. a sidecar or helper) in the given terminated state. */
  container(name: string, exitCode: number, reason = 'Error') {
    this.p.status!.containerStatuses!.push({
      name,
      restartCount: 0,
      state: { terminated: { exitCode, reason, finishedAt: this.p.status!.startTime } },
    });
    return this;
  }
  pending(waitingReason?: string, message?: string) {
    this.p.status!.phase = 'Pending';
    this.main().state = waitingReason
      ? { waiting: { reason: waitingReason, ...(message ? { message } : {}) } }
      : { waiting: { reason: 'ContainerCreating' } };
    return this;
  }
  unschedulable(message = '0/3 nodes are available: 3 Insufficient memory.') {
    this.p.status = {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }],
    };
    delete this.p.spec!.nodeName;
    return this;
  }
  restarts(n: number, last?: Exit) {
    this.main().restartCount = n;
    if (last)
      this.main().lastState = {
        terminated: { exitCode: last.exitCode, reason: last.reason ?? 'Error', finishedAt: last.finishedAt },
      };
    return this;
  }
  onFailure() {
    this.p.spec!.restartPolicy = 'OnFailure';
    return this;
  }
  index(i: number, failures?: number, ignored?: number) {
    const a: Record<string, string> = {
      ...this.p.metadata.annotations,
      'batch.kubernetes.io/job-completion-index': String(i),
    };
    if (failures !== undefined) a['batch.kubernetes.io/job-index-failure-count'] = String(failures);
    if (ignored !== undefined) a['batch.kubernetes.io/job-index-ignored-failure-count'] = String(ignored);
    this.p.metadata.annotations = a;
    return this;
  }
  disruption(reason: string, message = '') {
    this.p.status!.conditions = [
      ...(this.p.status!.conditions ?? []),
      { type: 'DisruptionTarget', status: 'True', reason, message, lastTransitionTime: this.p.status!.startTime },
    ];
    return this;
  }
  podReason(reason: string, message = '') {
    this.p.status!.reason = reason;
    this.p.status!.message = message;
    return this;
  }
  deleting(t: string) {
    this.p.metadata.deletionTimestamp = t;
    return this;
  }
  tracked() {
    this.p.metadata.finalizers = ['batch.kubernetes.io/job-tracking'];
    return this;
  }
  build(): Pod {
    return clone(this.p);
  }
}

/** A running pod of job `jobName` (default: the name up to its last dash). */
export const pod = (name: string, jobName = name.slice(0, name.lastIndexOf('-')) || name) =>
  new PodBuilder(name, jobName);

/** Fluent Event builder; see event(). */
export class EventBuilder {
  private e: KubeEvent;
  constructor(reason: string) {
    this.e = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `ev-${reason}-${Math.random().toString(36).slice(2, 8)}`,
        namespace: 'default',
        creationTimestamp: T0,
      },
      involvedObject: { kind: 'Job', name: 'train', namespace: 'default', apiVersion: 'batch/v1' },
      reason,
      message: '',
      type: 'Normal',
      count: 1,
      firstTimestamp: T0,
      lastTimestamp: T0,
      source: { component: 'job-controller' },
    };
  }
  on(kind: string, name: string) {
    this.e.involvedObject = { ...this.e.involvedObject, kind, name };
    return this;
  }
  message(m: string) {
    this.e.message = m;
    return this;
  }
  warning() {
    this.e.type = 'Warning';
    return this;
  }
  from(component: string) {
    this.e.source = { component };
    return this;
  }
  at(t: string) {
    this.e.firstTimestamp = t;
    this.e.lastTimestamp = t;
    this.e.metadata.creationTimestamp = t;
    return this;
  }
  count(n: number) {
    this.e.count = n;
    return this;
  }
  build(): KubeEvent {
    return clone(this.e);
  }
}

/** An event with the given reason about job/train, from job-controller, at T0. */
export const event = (reason: string) => new EventBuilder(reason);

/** A minimal CronJob with the given concurrencyPolicy. */
export function cronJob(name: string, concurrencyPolicy: 'Allow' | 'Forbid' | 'Replace' = 'Allow'): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: T0 },
    spec: { schedule: '*/5 * * * *', concurrencyPolicy, jobTemplate: { spec: job(name).build().spec } },
  };
}

// ---- Scenario runner for the decideJob tables ------------------------------------------

/** One named scenario: the objects, the instant, and what the model must say. */
export interface Scenario {
  name: string;
  job: Job;
  pods?: Pod[];
  events?: KubeEvent[];
  now: Date;
  version?: ServerVersion;
  cronJob?: CronJob;
  verdict: JobVerdictState;
  rule?: JobRule | null;
  /** Cause codes that must be present. */
  codes?: string[];
  /** Cause codes that must be absent. */
  absent?: string[];
  /** The first cause's code. */
  firstCode?: string;
  failures?: Partial<FailureCounts>;
  nextRetryAt?: string | null;
  predicted?: boolean;
  /** Exact message of the first cause's first (condition) evidence value. */
  conditionMessage?: string;
  /** Substrings that must appear in some evidence or fix text. */
  mentions?: string[];
  check?: (d: JobDecision) => void;
}

/** Runs decideJob for a scenario and asserts every expectation it states. */
export function runScenario(s: Scenario): JobDecision {
  const d = decideJob({
    job: s.job,
    pods: s.pods ?? [],
    events: s.events ?? [],
    now: s.now,
    serverVersion: s.version,
    cronJob: s.cronJob,
  });
  const codes = d.causes.map((c) => c.code);
  assert.equal(d.verdict, s.verdict, `verdict (causes: ${codes.join(', ')})`);
  if (s.rule !== undefined) assert.equal(d.rule, s.rule, 'rule');
  for (const c of s.codes ?? []) assert.ok(codes.includes(c), `missing cause ${c} in [${codes.join(', ')}]`);
  for (const c of s.absent ?? []) assert.ok(!codes.includes(c), `unexpected cause ${c}`);
  if (s.firstCode) assert.equal(codes[0], s.firstCode, 'first cause');
  if (s.failures)
    for (const [k, val] of Object.entries(s.failures))
      assert.equal(d.failures[k as keyof FailureCounts], val, `failures.${k}`);
  if (s.nextRetryAt !== undefined) assert.equal(d.nextRetryAt, s.nextRetryAt, 'nextRetryAt');
  if (s.predicted !== undefined) assert.equal(d.predicted, s.predicted, 'predicted');
  if (s.conditionMessage !== undefined) {
    const value = d.causes[0]?.evidence[0]?.value as { message?: string } | undefined;
    assert.equal(value?.message, s.conditionMessage, 'condition message');
  }
  const texts = d.causes.flatMap((c) => [c.message, ...c.evidence.map((e) => e.text), ...(c.fix ?? [])]).join('\n');
  for (const m of s.mentions ?? []) assert.ok(texts.includes(m), `expected text containing "${m}" in:\n${texts}`);
  s.check?.(d);
  return d;
}
