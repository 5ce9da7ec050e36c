// What commands read from: a live cluster or a snapshot file. Both return the API's JSON shapes.
import type { CronJob, Job, KubeEvent, Pod, ServerVersion } from '../api/types.js';

/** Read access to CronJobs, Jobs, Pods and Events, live or from a file. */
export interface ClusterSource {
  /** e.g. `context "kind-dev"` or `snapshot examples/snapshot.yaml`, for messages. */
  readonly description: string;
  /** The namespace used when none is given (from -n, the context, or "default"). */
  readonly namespace: string;
  /** True when the namespace came from -n (snapshot lookups then do not search other namespaces). */
  readonly namespaceExplicit: boolean;
  /** Problems with the input that did not stop the read (a snapshot's skipped objects), for stderr. */
  readonly warnings?: string[];
  /** When a snapshot file was captured (RFC 3339, its `capturedAt`); undefined for a live cluster or a file without one. */
  readonly capturedAt?: string;
  /** A live cluster's fresh read of one object by name, undefined when it does not exist. It is a list
   * with a name field selector, so the `list` verb suffices (all the in-cluster audit is granted).
   * Absent for a snapshot file, whose state never moves on. */
  readonly reread?: {
    cronJob(namespace: string, name: string): Promise<CronJob | undefined>;
    job(namespace: string, name: string): Promise<Job | undefined>;
  };
  getCronJob(namespace: string, name: string): Promise<CronJob>;
  getJob(namespace: string, name: string): Promise<Job>;
  /** All CronJobs in a namespace, or in all namespaces when `namespace` is undefined; optionally only those matching a label selector. */
  listCronJobs(namespace: string | undefined, labelSelector?: string): Promise<CronJob[]>;
  /** Jobs in a namespace (or all), optionally filtered by a label selector. */
  listJobs(namespace: string | undefined, labelSelector?: string): Promise<Job[]>;
  /** The Pods of one Job (by its job-name label, filtered to the Job's uid). */
  listPodsOfJob(job: Job): Promise<Pod[]>;
  /** Events about the given objects (by kind and name) in one namespace. */
  listEventsFor(namespace: string, objects: Array<{ kind: string; name: string }>): Promise<KubeEvent[]>;
  /** All events about objects of one kind, in a namespace or in all namespaces (fleet views). */
  listEventsOfKind(namespace: string | undefined, kind: string): Promise<KubeEvent[]>;
  /** The server's version, or undefined when unknown (snapshots without one). */
  serverVersion(): Promise<ServerVersion | undefined>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** Jobs whose controller ownerReference points at the CronJob (what the CronJob controller considers its children). */
export function jobsOwnedBy(cronJob: CronJob, jobs: Job[]): Job[] {
  const uid = cronJob.metadata.uid;
  return jobs.filter((j) =>
    (j.metadata.ownerReferences ?? []).some(
      (o) => o.controller && o.kind === 'CronJob' && (uid ? o.uid === uid : o.name === cronJob.metadata.name),
    ),
  );
}

/** Each CronJob with the Jobs it owns (jobsOwnedBy for many CronJobs: one pass over the Jobs). */
export function withOwnedJobs(cronJobs: CronJob[], jobs: Job[]): Array<{ cronJob: CronJob; owned: Job[] }> {
  const byOwner = new Map<string, Job[]>();
  for (const j of jobs)
    for (const o of j.metadata.ownerReferences ?? [])
      if (o.controller && o.kind === 'CronJob') (byOwner.get(o.uid) ?? byOwner.set(o.uid, []).get(o.uid)!).push(j);
  return cronJobs.map((cronJob) => ({
    cronJob,
    owned: cronJob.metadata.uid ? (byOwner.get(cronJob.metadata.uid) ?? []) : jobsOwnedBy(cronJob, jobs),
  }));
}

/** Pods whose controller ownerReference points at the Job. */
export function podsOwnedBy(job: Job, pods: Pod[]): Pod[] {
  const uid = job.metadata.uid;
  const name = job.metadata.name;
  return pods.filter((p) => {
    const refs = p.metadata.ownerReferences ?? [];
    if (refs.length > 0) return refs.some((o) => o.kind === 'Job' && (uid ? o.uid === uid : o.name === name));
    const l = p.metadata.labels ?? {};
    return (l['batch.kubernetes.io/job-name'] ?? l['job-name']) === name;
  });
}
