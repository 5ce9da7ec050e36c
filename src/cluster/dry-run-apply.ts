// `why -f --validate=server`: asks the API server whether it would accept the manifest, without
// storing anything (dryRun=All): a create when the object does not exist, else an update of the
// live object carrying the manifest's spec (so the server applies its update rules, e.g. a TZ
// already in the stored schedule, or an immutable Job template).
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

/** Sends the dry run; returns the server's field errors ([] when it would accept the object). Other failures are thrown. */
export async function dryRunApply(conn: Connection, kind: 'CronJob' | 'Job', namespace: string, manifest: CronJob | Job, live?: CronJob | Job): Promise<ServerFieldError[]> {
  const plural = kind === 'CronJob' ? 'cronjobs' : 'jobs';
  const name = manifest.metadata.name ?? '';
  const body = live ? { ...live, spec: manifest.spec } : { ...manifest, metadata: { ...manifest.metadata, namespace } };
  try {
    await apiRequest<unknown>(conn, {
      method: live ? 'PUT' : 'POST',
      path: live ? batchPath(namespace, plural, name) : batchPath(namespace, plural),
      query: { dryRun: 'All', fieldManager: 'kubectl-job' },
      body,
      what: { verb: live ? 'update' : 'create', resource: plural, namespace, ...(live ? { name } : {}) },
    });
    return [];
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'Invalid') {
      return e.causes?.length ? e.causes : [{ field: '', message: e.message }];
    }
    if (e instanceof ClusterError && (e.kind === 'AlreadyExists' || e.kind === 'Conflict')) return [{ field: '', message: e.message }];
    throw e;
  }
}
