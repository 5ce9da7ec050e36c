// Compares the model's decision (syncDecision) with what the controller's own syncJob did, on
// the fields both sides determine. Intentionally not compared (see README):
// - which active pods are deleted (only how many): the controller ranks them by node, phase,
//   readiness, ready time, restarts and creation time;
// - the FailJob message when several failed pods match a FailJob rule: the controller takes the
//   first in its informer's index order, which is a Go map order (random); any matching pod's
//   message is accepted then;
// - startTime, completionTime, lastTransitionTime and events; the count of finalizer patches.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { matchPodFailurePolicy } from '../../../../src/controller/job/pod-failure-policy.js';
import type { JobSyncDecision } from '../../../../src/controller/job/types.js';
import type { JobState } from './generate.js';
import type { OracleResult } from './oracle.js';

type Cond = { type: string; status: string; reason?: string; message?: string };
const key = (c: Cond) => `${c.type}=${c.status} ${c.reason ?? ''}: ${c.message ?? ''}`;

/** Conditions the controller wrote: in its final list and not identical in the input. */
export function writtenConditions(before: Cond[] | undefined, after: Cond[]): string[] {
  const old = new Set((before ?? []).map(key));
  return after
    .filter((c) => !old.has(key(c)))
    .map(key)
    .sort();
}

/** Field-by-field differences (empty when the model agrees with the controller). */
export function compareDecision(state: JobState, o: OracleResult, d: JobSyncDecision): string[] {
  const diffs: string[] = [];
  const eq = (what: string, model: unknown, real: unknown) => {
    if (JSON.stringify(model) !== JSON.stringify(real))
      diffs.push(`${what}: model ${JSON.stringify(model)}, controller ${JSON.stringify(real)}`);
  };
  if (o.error) diffs.push(`controller error: ${o.error}`);
  const real = writtenConditions(state.job.status?.conditions, o.conditions);
  const model = d.conditions.map((c) => key(c)).sort();
  if (JSON.stringify(real) !== JSON.stringify(model) && !ambiguousFailJob(state, real, model))
    eq('conditions written', model, real);
  const s = o.status;
  eq('status.active', d.status.active, s.active ?? 0);
  eq('status.ready', d.status.ready, s.ready ?? 0);
  eq('status.terminating', d.status.terminating, s.terminating ?? 0);
  eq('status.failed', d.status.failed, s.failed ?? 0);
  eq('status.succeeded', d.status.succeeded, s.succeeded ?? 0);
  if (d.completedIndexes !== null) eq('status.completedIndexes', d.completedIndexes, s.completedIndexes ?? '');
  if (state.job.spec.backoffLimitPerIndex !== undefined && d.skipped === null)
    eq('status.failedIndexes', d.failedIndexes, s.failedIndexes ?? null);
  eq('pods created', d.create.count, o.created.length);
  if (d.create.indexes)
    eq(
      'indexes created',
      d.create.indexes.map(String),
      o.created.map((c) => c.index),
    );
  eq('pods deleted', d.delete.count, o.deleted.length);
  const now = Date.parse(state.now);
  const requeue = [d.nextRetryAt, d.deadlineCheckAt]
    .filter((x): x is string => x !== null)
    .map((t) => (Date.parse(t) - now) / 1000)
    .sort((a, b) => a - b);
  eq(
    'requeue after (s)',
    requeue,
    o.requeueSeconds.map((x) => Math.round(x * 1000) / 1000),
  );
  return diffs;
}

/** Several failed pods match a FailJob rule: the controller's pick is random; accept any of theirs. */
function ambiguousFailJob(state: JobState, real: string[], model: string[]): boolean {
  const rules = state.job.spec.podFailurePolicy?.rules;
  if (!rules) return false;
  const msgs = state.pods
    .filter((p) => p.status?.phase === 'Failed')
    .map((p) => matchPodFailurePolicy(rules, p, state.job.spec.backoffLimitPerIndex !== undefined))
    .filter((m) => m.action === 'FailJob')
    .map((m) => m.message!);
  if (msgs.length < 2) return false;
  const norm = (xs: string[]) =>
    JSON.stringify(
      xs.map((x) => {
        let y = x;
        for (const m of msgs) y = y.split(m).join('<FailJob message>');
        return y;
      }),
    );
  return norm(real) === norm(model);
}

/** Writes a snapshot reproducing the state and returns the command that replays it. */
export function writeSnapshot(state: JobState, version: string): string {
  const dir = join(tmpdir(), 'kubectl-job-oracle-mismatches');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `job-${version}-${state.id.replace(/[^0-9a-z]+/gi, '-')}.yaml`);
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'List',
      capturedAt: state.now,
      serverVersion: version,
      items: [state.job, ...state.pods],
    }),
  );
  return `kubectl job why job/${state.job.metadata.name} -n ${state.job.metadata.namespace} --snapshot ${file} --now ${state.now} -o json   # .decision (why assumes a running controller for the backoff record; the differential uses fresh memory)`;
}
