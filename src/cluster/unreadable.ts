// Reads that the user may not make: a forbidden list of events or pods does not end the answer.
// The read is recorded (verb, resource, namespace) and an empty result used, so commands answer
// from what is readable and say what they could not read.
import { ClusterError } from '../errors.js';

/** A request the server refused (403), as reported in `unreadable` of -o json. */
export interface Unreadable {
  verb: string;
  resource: string;
  /** Absent for a cluster-wide request. */
  namespace?: string;
}

/** Jobs could not be listed: a disagreement with .status.active is then no skew to settle. */
export const jobsUnreadable = (unreadable: Unreadable[]): boolean => unreadable.some((u) => u.resource === 'jobs');

/** The result of `p`, or `fallback` when the server forbids the request (recorded in `into`). */
export async function unlessForbidden<T>(p: Promise<T>, fallback: T, into: Unreadable[]): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (!(e instanceof ClusterError) || e.kind !== 'Forbidden' || !e.request) throw e;
    addUnreadable(into, e.request);
    return fallback;
  }
}

/** Adds a request to the list once. */
export function addUnreadable(into: Unreadable[], u: Unreadable): void {
  if (!into.some((x) => x.verb === u.verb && x.resource === u.resource && x.namespace === u.namespace)) {
    into.push({ verb: u.verb, resource: u.resource, ...(u.namespace ? { namespace: u.namespace } : {}) });
  }
}
