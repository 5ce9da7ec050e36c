// Executes the plans of the commands that change the cluster: create the manual Job, patch
// `.spec.suspend` with a resourceVersion precondition, ask the server whether a
// verb is allowed. Never decides what to do: the plans in src/controller/plans do.
import type { CronJob, Job } from '../api/types.js';
import type { DryRun } from '../controller/plans/types.js';
import type { SuspendPatch } from '../controller/plans/suspend.js';
import { ClusterError, UsageError } from '../errors.js';
import { apiRequest } from './http.js';
import type { Connection } from './kubeconfig.js';
import { LiveSource } from './live.js';
import type { ClusterSource } from './source.js';
import { segment } from './request-parts.js';

const MERGE_PATCH = 'application/merge-patch+json';

/** `/apis/batch/v1/namespaces/<ns>/<plural>[/<name>]` */
export function batchPath(namespace: string, plural: 'jobs' | 'cronjobs', name?: string): string {
  return `/apis/batch/v1/namespaces/${segment(namespace, 'namespace')}/${plural}${name ? `/${segment(name)}` : ''}`;
}

/** The live connection behind a source; undefined for a snapshot file. */
export function connectionOf(source: ClusterSource): Connection | undefined {
  return source instanceof LiveSource ? source.conn : undefined;
}

/** The connection of a live source, or a clear error for a snapshot (which cannot be written to). */
export function requireConnection(source: ClusterSource, what: string): Connection {
  const conn = connectionOf(source);
  if (!conn) {
    throw new UsageError(
      `${what} needs a live cluster: ${source.description} is read-only`,
      'drop --snapshot, or add --dry-run=client to print what would be sent',
    );
  }
  return conn;
}

const dryRunQuery = (d: DryRun) => (d === 'server' ? { dryRun: 'All' } : {});

/** POSTs the Job (with dryRun=All for a server dry run) and returns what the server stored or would store. */
export function createJob(conn: Connection, job: Job, dryRun: DryRun): Promise<Job> {
  const namespace = job.metadata.namespace ?? conn.namespace;
  return apiRequest<Job>(conn, {
    method: 'POST',
    path: batchPath(namespace, 'jobs'),
    query: { ...dryRunQuery(dryRun), fieldManager: 'kubectl-job' },
    body: job,
    what: { verb: 'create', resource: 'jobs', namespace },
  });
}

/** Sends the suspend merge patch; a CronJob changed since it was read answers 409 and nothing changes. */
export async function patchSuspend(
  conn: Connection,
  namespace: string,
  name: string,
  patch: SuspendPatch,
  dryRun: DryRun,
): Promise<CronJob> {
  try {
    return await apiRequest<CronJob>(conn, {
      method: 'PATCH',
      path: batchPath(namespace, 'cronjobs', name),
      query: { ...dryRunQuery(dryRun), fieldManager: 'kubectl-job' },
      body: patch,
      contentType: MERGE_PATCH,
      what: { verb: 'patch', resource: 'cronjobs', namespace, name },
    });
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'Conflict') {
      throw new ClusterError(
        'Conflict',
        `cronjob/${name} in namespace "${namespace}" changed since it was read (resourceVersion ${patch.metadata.resourceVersion}): nothing was changed`,
        'run the command again to act on the current version',
        e.status,
      );
    }
    throw e;
  }
}

/** GETs one Job. */
export function getJob(conn: Connection, namespace: string, name: string): Promise<Job> {
  return apiRequest<Job>(conn, {
    method: 'GET',
    path: batchPath(namespace, 'jobs', name),
    what: { verb: 'get', resource: 'jobs', namespace, name },
  });
}

/** A question for SelfSubjectAccessReview. */
export interface AccessQuestion {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
}

/** Asks the server whether the current user may do something; undefined when it cannot tell (no access to the API). */
export async function canI(conn: Connection, q: AccessQuestion): Promise<boolean | undefined> {
  try {
    const res = await apiRequest<{ status?: { allowed?: boolean } }>(conn, {
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: q } },
      what: { verb: 'create', resource: 'selfsubjectaccessreviews' },
    });
    return res.status?.allowed;
  } catch {
    return undefined;
  }
}

/** Refuses up front, with kubectl's wording of a denial, when the user may not `verb` `resource` in one of the namespaces. */
export async function requireAccess(
  conn: Connection,
  verb: string,
  group: string,
  resource: string,
  namespaces: Iterable<string>,
): Promise<void> {
  for (const namespace of new Set(namespaces)) {
    if ((await canI(conn, { verb, group, resource, namespace })) === false) {
      throw new ClusterError(
        'Forbidden',
        `forbidden: you cannot ${verb} ${resource} in namespace "${namespace}" (the server's access review says no); nothing was changed`,
        `check with: kubectl auth can-i ${verb} ${resource}${group ? `.${group}` : ''} -n ${namespace}`,
        403,
      );
    }
  }
}
