// Reading evidence off the snapshot: events about the CronJob and its Jobs, and managedFields
// (who last wrote `.spec.suspend`, and when).

import type { CronJob, KubeEvent, ManagedFieldsEntry } from '../../api/types.js';
import { eventTime, observedEvent } from '../observe.js';
import { parseTime } from '../time.js';

export { eventTime } from '../observe.js';

/** Events about one object, newest first. */
export function eventsAbout(events: KubeEvent[], kind: string, name: string, uid?: string): KubeEvent[] {
  return events
    .filter(
      (e) =>
        e.involvedObject.kind === kind &&
        e.involvedObject.name === name &&
        (!uid || !e.involvedObject.uid || e.involvedObject.uid === uid),
    )
    .sort((a, b) => (eventTime(b)?.getTime() ?? 0) - (eventTime(a)?.getTime() ?? 0));
}

/** Events about the CronJob, newest first. */
export function cronJobEvents(cronJob: CronJob, events: KubeEvent[]): KubeEvent[] {
  return eventsAbout(events, 'CronJob', cronJob.metadata.name ?? '', cronJob.metadata.uid);
}

/** One event as a piece of evidence (observed). */
export const eventEvidence = observedEvent;

function ownsField(fields: unknown, path: string[]): boolean {
  let node: unknown = fields;
  for (const key of path) {
    if (!node || typeof node !== 'object' || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

/** The managedFields entry that owns `.spec.suspend` (the latest one when shared), or null. The entry's
 * time is the last write by that manager to any field it owns, so it is an upper bound for when suspend was set. */
export function suspendOwner(cronJob: CronJob): { manager: string; operation: string; time: Date | null } | null {
  const entries = (cronJob.metadata.managedFields ?? []).filter(
    (m: ManagedFieldsEntry) => !m.subresource && ownsField(m.fieldsV1, ['f:spec', 'f:suspend']),
  );
  if (entries.length === 0) return null;
  entries.sort((a, b) => (parseTime(b.time)?.getTime() ?? 0) - (parseTime(a.time)?.getTime() ?? 0));
  const m = entries[0]!;
  return { manager: m.manager ?? 'unknown', operation: m.operation ?? 'Update', time: parseTime(m.time) };
}

/** Kinds of job-creation failure, told apart by the API error in the FailedCreate message. */
export type FailedCreateKind = 'quota' | 'webhook' | 'namespace-terminating' | 'invalid' | 'forbidden' | 'other';

/** Classifies a FailedCreate message (`Error creating job: <API error>`). */
export function classifyFailedCreate(message: string): FailedCreateKind {
  if (/being terminated|NamespaceTerminating/i.test(message)) return 'namespace-terminating';
  if (/exceeded quota|quota/i.test(message)) return 'quota';
  if (/admission webhook .* denied|denied the request/i.test(message)) return 'webhook';
  if (/ is invalid|Invalid value/i.test(message)) return 'invalid';
  if (/forbidden/i.test(message)) return 'forbidden';
  return 'other';
}
