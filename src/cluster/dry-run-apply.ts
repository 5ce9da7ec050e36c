// `why -f --validate=server`: asks the API server whether it would accept the manifest, without
// storing anything (dryRun=All). The request is a server-side apply (`application/apply-patch+yaml`,
// forced, field manager kubectl-job): it creates the object when it does not exist, and otherwise
// merges the manifest into the live object as an apply does, keeping what the manifest does not
// set (a Job's generated selector and template labels), so the server's update rules apply to what
// an apply would really send (a TZ already in the stored schedule, an immutable Job template).
// A plain update (PUT) of the live object with the manifest's spec would drop those generated
// fields and make the server reject every existing Job, even an unchanged one.
import type { CronJob, Job } from '../api/types.js';
import { ClusterError } from '../errors.js';
import { batchPath } from './actions.js';
import { apiRequest } from './http.js';
import type { Connection } from './kubeconfig.js';

/** One error the server gave. */
export interface ServerFieldError {
  field: string;
  message: string;
}

export const APPLY_PATCH = 'application/apply-patch+yaml';

/** Metadata the server owns: never part of what an apply configures. */
const SERVER_METADATA = [
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

/** The apply configuration sent for a manifest: batch/v1, its namespace, no server-owned metadata or status. */
export function applyConfiguration(
  kind: 'CronJob' | 'Job',
  namespace: string,
  manifest: CronJob | Job,
): Record<string, unknown> {
  const metadata: Record<string, unknown> = { ...manifest.metadata, namespace };
  for (const k of SERVER_METADATA) delete metadata[k];
  return { apiVersion: 'batch/v1', kind, metadata, spec: manifest.spec };
}

/** Sends the dry run; returns the server's field errors ([] when it would accept the object). Other failures are thrown. */
export async function dryRunApply(
  conn: Connection,
  kind: 'CronJob' | 'Job',
  namespace: string,
  manifest: CronJob | Job,
  live?: CronJob | Job,
): Promise<ServerFieldError[]> {
  const plural = kind === 'CronJob' ? 'cronjobs' : 'jobs';
  const name = manifest.metadata.name ?? '';
  try {
    // An apply needs a name; a manifest with only generateName can only be created.
    await apiRequest<unknown>(
      conn,
      name
        ? {
            method: 'PATCH',
            path: batchPath(namespace, plural, name),
            contentType: APPLY_PATCH,
            query: { dryRun: 'All', fieldManager: 'kubectl-job', force: true },
            body: applyConfiguration(kind, namespace, manifest),
            what: { verb: live ? 'update' : 'create', resource: plural, namespace, name },
          }
        : {
            method: 'POST',
            path: batchPath(namespace, plural),
            query: { dryRun: 'All', fieldManager: 'kubectl-job' },
            body: applyConfiguration(kind, namespace, manifest),
            what: { verb: 'create', resource: plural, namespace },
          },
    );
    return [];
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'Invalid') {
      return e.causes?.length ? e.causes : [{ field: '', message: e.message }];
    }
    if (e instanceof ClusterError && (e.kind === 'AlreadyExists' || e.kind === 'Conflict'))
      return [{ field: '', message: e.message }];
    throw e;
  }
}
