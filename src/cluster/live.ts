// Reads from a live API server: typed gets, paginated lists, events by involved object.
import type { CronJob, Job, KubeEvent, Pod, ServerVersion } from '../api/types.js';
import { apiRequest, closeConnection } from './http.js';
import type { Connection } from './kubeconfig.js';
import { fieldValue, isLabelValue, parseLabelSelector, segment } from './request-parts.js';
import { podsOwnedBy, type ClusterSource } from './source.js';

const PAGE = 500;

interface List<T> {
  items?: T[];
  metadata?: { continue?: string; resourceVersion?: string };
}

/** Lists every item of a collection, following `continue` tokens page by page. */
export async function listAll<T>(
  conn: Connection,
  path: string,
  what: { resource: string; namespace?: string },
  query: Record<string, string | undefined> = {},
  onPage?: (count: number) => void,
): Promise<T[]> {
  const out: T[] = [];
  let cont: string | undefined;
  do {
    const page = await apiRequest<List<T>>(conn, {
      method: 'GET',
      path,
      query: { ...query, limit: PAGE, continue: cont },
      what: { verb: 'list', ...what },
    });
    out.push(...(page.items ?? []));
    onPage?.(out.length);
    cont = page.metadata?.continue || undefined;
  } while (cont);
  return out;
}

const batchPath = (ns: string | undefined, plural: string) =>
  ns ? `/apis/batch/v1/namespaces/${segment(ns, 'namespace')}/${plural}` : `/apis/batch/v1/${plural}`;

/** A ClusterSource backed by a live API server. */
export class LiveSource implements ClusterSource {
  readonly description: string;
  readonly reread = {
    cronJob: (namespace: string, name: string) => this.listOne<CronJob>('cronjobs', namespace, name),
    job: (namespace: string, name: string) => this.listOne<Job>('jobs', namespace, name),
  };
  private versionPromise?: Promise<ServerVersion | undefined>;

  constructor(
    readonly conn: Connection,
    readonly namespace: string,
    readonly namespaceExplicit: boolean,
  ) {
    this.description = `context "${conn.contextName}" (${conn.server})`;
  }

  getCronJob(namespace: string, name: string): Promise<CronJob> {
    return apiRequest<CronJob>(this.conn, {
      method: 'GET',
      path: `${batchPath(namespace, 'cronjobs')}/${segment(name)}`,
      what: { verb: 'get', resource: 'cronjobs', namespace, name },
    });
  }

  getJob(namespace: string, name: string): Promise<Job> {
    return apiRequest<Job>(this.conn, {
      method: 'GET',
      path: `${batchPath(namespace, 'jobs')}/${segment(name)}`,
      what: { verb: 'get', resource: 'jobs', namespace, name },
    });
  }

  listCronJobs(namespace: string | undefined, labelSelector?: string): Promise<CronJob[]> {
    if (labelSelector) parseLabelSelector(labelSelector); // a usage error here, not a 400 from the server
    return listAll<CronJob>(
      this.conn,
      batchPath(namespace, 'cronjobs'),
      { resource: 'cronjobs', namespace },
      { labelSelector },
    );
  }

  private async listOne<T>(plural: 'cronjobs' | 'jobs', namespace: string, name: string): Promise<T | undefined> {
    const found = await listAll<T>(
      this.conn,
      batchPath(namespace, plural),
      { resource: plural, namespace },
      { fieldSelector: `metadata.name=${fieldValue(name)}` },
    );
    return found[0];
  }

  listJobs(namespace: string | undefined, labelSelector?: string): Promise<Job[]> {
    if (labelSelector) parseLabelSelector(labelSelector); // a usage error here, not a 400 from the server
    return listAll<Job>(this.conn, batchPath(namespace, 'jobs'), { resource: 'jobs', namespace }, { labelSelector });
  }

  async listPodsOfJob(job: Job): Promise<Pod[]> {
    const ns = job.metadata.namespace ?? this.namespace;
    // The legacy `job-name` label is set by every Job controller version; the uid filter
    // drops pods of an older Job that had the same name.
    // A name that is no label value cannot be selected on: all job pods are listed and filtered here.
    const name = job.metadata.name ?? '';
    const pods = await listAll<Pod>(
      this.conn,
      `/api/v1/namespaces/${segment(ns, 'namespace')}/pods`,
      { resource: 'pods', namespace: ns },
      { labelSelector: isLabelValue(name) && name !== '' ? `job-name=${name}` : 'job-name' },
    );
    return podsOwnedBy(job, pods);
  }

  async listEventsFor(namespace: string, objects: Array<{ kind: string; name: string }>): Promise<KubeEvent[]> {
    const path = `/api/v1/namespaces/${segment(namespace, 'namespace')}/events`;
    const byKind = new Map<string, Set<string>>();
    for (const o of objects) {
      if (!byKind.has(o.kind)) byKind.set(o.kind, new Set());
      byKind.get(o.kind)!.add(o.name);
    }
    const lists = await Promise.all(
      [...byKind].map(async ([kind, names]) => {
        // One object: select it exactly; several of a kind: one list of that kind, filtered here.
        const only = names.size === 1 ? [...names][0] : undefined;
        const fieldSelector = `involvedObject.kind=${fieldValue(kind)}${only ? `,involvedObject.name=${fieldValue(only)}` : ''}`;
        const events = await listAll<KubeEvent>(this.conn, path, { resource: 'events', namespace }, { fieldSelector });
        return events.filter((e) => names.has(e.involvedObject?.name ?? ''));
      }),
    );
    return lists.flat();
  }

  listEventsOfKind(namespace: string | undefined, kind: string): Promise<KubeEvent[]> {
    const path = namespace ? `/api/v1/namespaces/${segment(namespace, 'namespace')}/events` : '/api/v1/events';
    return listAll<KubeEvent>(
      this.conn,
      path,
      { resource: 'events', namespace },
      { fieldSelector: `involvedObject.kind=${fieldValue(kind)}` },
    );
  }

  serverVersion(): Promise<ServerVersion | undefined> {
    this.versionPromise ??= apiRequest<{ major?: string; minor?: string; gitVersion?: string }>(this.conn, {
      method: 'GET',
      path: '/version',
      what: { verb: 'get', resource: 'version' },
    }).then(
      (v) => ({
        major: parseInt(v.major ?? '0', 10),
        minor: parseInt(v.minor ?? '0', 10),
        gitVersion: v.gitVersion ?? '',
      }),
      () => undefined,
    );
    return this.versionPromise;
  }

  close(): Promise<void> {
    return closeConnection(this.conn);
  }
}
