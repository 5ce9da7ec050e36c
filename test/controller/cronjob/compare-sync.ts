// One canonical shape for "what one CronJob sync does", built from the oracle's answer and from
// the model's SyncDecision, so the differential compares JSON texts. A mismatch is written as a
// snapshot file that reproduces it with `kubectl job why cronjob/<name> --snapshot F --now T`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SyncDecision } from '../../../src/controller/cronjob/index.js';
import type { OracleSync } from './cronjob-oracle.js';
import type { GeneratedState } from './state-generator.js';

/** The comparable outcome of one sync. Events are sorted: the informer cache lists Jobs in random
 * (Go map) order, so the order of per-Job events within one sync is not defined. */
export interface SyncOutcome {
  action: 'create' | 'skip' | 'none';
  created: { name: string; annotations: Record<string, string> } | null;
  deletes: Array<{ name: string; why: string }>;
  events: string[];
  requeueAt: string | null;
  status: { lastScheduleTime: string | null; lastSuccessfulTime: string | null; active: string[] } | null;
  failed: boolean;
}

const eventText = (e: { type: string; reason: string; message: string }): string =>
  `${e.type} ${e.reason} ${e.message}`;

function sortedKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The oracle's answer as a SyncOutcome. */
export function oracleOutcome(s: GeneratedState, o: OracleSync): SyncOutcome {
  const skipped = o.events.some((e) => e.reason === 'JobAlreadyActive' || e.reason === 'MissSchedule');
  return {
    action: o.created.length ? 'create' : skipped ? 'skip' : 'none',
    created: o.created[0] ? { name: o.created[0].name, annotations: sortedKeys(o.created[0].annotations) } : null,
    deletes: o.deleted.map((d) => ({ name: d.name, why: d.why })),
    events: o.events.map(eventText).sort(),
    requeueAt: o.requeueNs === null ? null : new Date(s.now.getTime() + o.requeueNs / 1e6).toISOString(),
    status: o.status,
    failed: Boolean(o.err || o.panic),
  };
}

/** The model's SyncDecision as a SyncOutcome. */
export function modelOutcome(d: SyncDecision): SyncOutcome {
  return {
    action: d.action,
    created: d.job ? { name: d.job.name, annotations: sortedKeys(d.job.annotations) } : null,
    deletes: d.deletes.map((x) => ({ name: x.name, why: x.why })),
    events: d.events.map(eventText).sort(),
    requeueAt: d.requeueAt,
    status: d.statusUpdate,
    failed: d.syncError !== null,
  };
}

/** Writes a snapshot reproducing a mismatch; returns its path. */
export function writeMismatchSnapshot(
  dir: string,
  version: string,
  s: GeneratedState,
  model: SyncOutcome,
  oracle: SyncOutcome,
  raw: OracleSync,
): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${s.id}-${version}.json`);
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    capturedAt: s.now.toISOString(),
    serverVersion: version,
    comment: `cronjob controller differential mismatch: kubectl job why cronjob/${s.cronJob.metadata.name} -n ${s.cronJob.metadata.namespace} --snapshot ${file} --now ${s.now.toISOString()}`,
    model,
    oracle,
    oracleActions: raw.actions,
    items: [s.cronJob, ...s.jobs],
  };
  writeFileSync(file, `${JSON.stringify(list, null, 2)}\n`);
  return file;
}
