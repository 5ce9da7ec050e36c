// The reads behind `why`, `misses` and `unsuspend`: everything the controller models need
// about one CronJob or Job, fetched concurrently.
import type { CronJob, Job, KubeEvent, Pod, ServerVersion } from '../api/types.js';
import { ClusterError } from '../errors.js';
import { settleReadSkew, settleReadSkews } from './read-skew.js';
import { jobsOwnedBy, withOwnedJobs, type ClusterSource } from './source.js';
import { jobsUnreadable, unlessForbidden, type Unreadable } from './unreadable.js';

/** Inputs of the CronJob model. */
export interface CronJobReads {
  cronJob: CronJob;
  /** Jobs owned by the CronJob (controller ownerReference). */
  jobs: Job[];
  /** Events about the CronJob and its Jobs. */
  events: KubeEvent[];
  serverVersion?: ServerVersion;
  /** Reads the server forbade: the answer is built without them. */
  unreadable: Unreadable[];
}

/** Inputs of the Job model. */
export interface JobReads {
  job: Job;
  pods: Pod[];
  /** Events about the Job and its Pods (and its CronJob, if any). */
  events: KubeEvent[];
  cronJob?: CronJob;
  serverVersion?: ServerVersion;
  /** Reads the server forbade: the answer is built without them. */
  unreadable: Unreadable[];
}

/** Reads a CronJob (unless already read), its Jobs and the events about them. */
export async function readCronJob(
  src: ClusterSource,
  namespace: string,
  name: string,
  known?: CronJob,
): Promise<CronJobReads> {
  // Live reads of one namespace go out together; a snapshot read without -n may find the
  // CronJob in another namespace, and then its Jobs and events are read from there.
  // The CronJob itself must be readable; its Jobs and events may be forbidden (then recorded).
  const unreadable: Unreadable[] = [];
  const jobsIn = (ns: string) => unlessForbidden(src.listJobs(ns), [], unreadable);
  const eventsIn = (ns: string, objects: Array<{ kind: string; name: string }>) =>
    unlessForbidden(src.listEventsFor(ns, objects), [], unreadable);
  let [cronJob, all, cjEvents, serverVersion] = await Promise.all([
    known ?? src.getCronJob(namespace, name),
    jobsIn(namespace),
    eventsIn(namespace, [{ kind: 'CronJob', name }]),
    src.serverVersion(),
  ]);
  const ns = cronJob.metadata.namespace ?? namespace;
  if (ns !== namespace) {
    unreadable.length = 0;
    [all, cjEvents] = await Promise.all([jobsIn(ns), eventsIn(ns, [{ kind: 'CronJob', name }])]);
  }
  // The CronJob and the Jobs were read at about the same moment; a controller action between the two
  // reads makes them disagree, and the controller itself reads again before it concludes.
  let jobs = jobsOwnedBy(cronJob, all);
  if (!jobsUnreadable(unreadable)) ({ cronJob, jobs } = await settleReadSkew(src, cronJob, jobs));
  const jobEvents = jobs.length
    ? await eventsIn(
        ns,
        jobs.map((j) => ({ kind: 'Job', name: j.metadata.name ?? '' })),
      )
    : [];
  return { cronJob, jobs, events: [...cjEvents, ...jobEvents], serverVersion, unreadable };
}

/** Reads a Job (unless already read), its Pods, the events about them and its owning CronJob (if it still exists). */
export async function readJob(src: ClusterSource, namespace: string, name: string, known?: Job): Promise<JobReads> {
  const job = known ?? (await src.getJob(namespace, name));
  const ns = job.metadata.namespace ?? namespace;
  const owner = (job.metadata.ownerReferences ?? []).find((o) => o.controller && o.kind === 'CronJob');
  // The Job itself must be readable; its pods, events and CronJob may be forbidden (then recorded).
  const unreadable: Unreadable[] = [];
  const [pods, serverVersion, cronJob] = await Promise.all([
    unlessForbidden(src.listPodsOfJob(job), [], unreadable),
    src.serverVersion(),
    owner
      ? unlessForbidden(src.getCronJob(ns, owner.name), undefined, unreadable).catch((e) =>
          e instanceof ClusterError && e.kind === 'NotFound' ? undefined : Promise.reject(e),
        )
      : undefined,
  ]);
  const objects = [{ kind: 'Job', name }, ...pods.map((p) => ({ kind: 'Pod', name: p.metadata.name ?? '' }))];
  if (owner) objects.push({ kind: 'CronJob', name: owner.name });
  const events = await unlessForbidden(src.listEventsFor(ns, objects), [], unreadable);
  return {
    job,
    pods,
    events,
    cronJob: cronJob && (!cronJob.metadata.uid || cronJob.metadata.uid === owner?.uid) ? cronJob : undefined,
    serverVersion,
    unreadable,
  };
}

/** The CronJob, else the Job, of that name (a bare name on the command line), already read. */
export async function resolveByName(
  src: ClusterSource,
  namespace: string,
  name: string,
): Promise<{ kind: 'CronJob'; cronJob: CronJob } | { kind: 'Job'; job: Job }> {
  const notFound = (e: unknown) => e instanceof ClusterError && e.kind === 'NotFound';
  try {
    return { kind: 'CronJob', cronJob: await src.getCronJob(namespace, name) };
  } catch (e) {
    if (!notFound(e)) throw e;
  }
  try {
    return { kind: 'Job', job: await src.getJob(namespace, name) };
  } catch (e) {
    if (!notFound(e)) throw e;
  }
  throw new ClusterError(
    'NotFound',
    `no cronjob or job named "${name}" in ${src.namespaceExplicit || !src.description.startsWith('snapshot') ? `namespace "${namespace}" of ` : ''}${src.description}`,
    'kubectl get cronjobs,jobs lists what exists',
  );
}

/** How readFleet picks and reports. */
export interface FleetReadOptions {
  /** Only CronJobs with these labels (kubectl's -l syntax; sent to the server as labelSelector). */
  labelSelector?: string;
  onProgress?: (what: string) => void;
}

/** Every CronJob in scope with its Jobs and events: three lists, whatever the number of CronJobs. */
export async function readFleet(
  src: ClusterSource,
  namespace: string | undefined,
  opts: FleetReadOptions = {},
): Promise<CronJobReads[]> {
  const { labelSelector, onProgress } = opts;
  // The CronJobs must be readable; Jobs and events may be forbidden (then recorded in every answer).
  const unreadable: Unreadable[] = [];
  const [cronJobs, jobs, cjEvents, jobEvents, serverVersion] = await Promise.all([
    src.listCronJobs(namespace, labelSelector).then((v) => {
      onProgress?.(`${v.length} cronjobs`);
      return v;
    }),
    unlessForbidden(
      src.listJobs(namespace).then((v) => {
        onProgress?.(`${v.length} jobs`);
        return v;
      }),
      [],
      unreadable,
    ),
    unlessForbidden(src.listEventsOfKind(namespace, 'CronJob'), [], unreadable),
    unlessForbidden(src.listEventsOfKind(namespace, 'Job'), [], unreadable),
    src.serverVersion(),
  ]);
  const key = (ns: string | undefined, name: string | undefined) => `${ns ?? 'default'}/${name ?? ''}`;
  const eventsOf = new Map<string, KubeEvent[]>();
  for (const e of [...cjEvents, ...jobEvents]) {
    const k = `${e.involvedObject?.kind}:${key(e.involvedObject?.namespace ?? e.metadata.namespace, e.involvedObject?.name)}`;
    (eventsOf.get(k) ?? eventsOf.set(k, []).get(k)!).push(e);
  }
  const settled = await settleReadSkews(jobsUnreadable(unreadable) ? undefined : src, withOwnedJobs(cronJobs, jobs));
  return settled.map(({ cronJob, jobs: owned }) => {
    const events = [
      ...(eventsOf.get(`CronJob:${key(cronJob.metadata.namespace, cronJob.metadata.name)}`) ?? []),
      ...owned.flatMap((j) => eventsOf.get(`Job:${key(j.metadata.namespace, j.metadata.name)}`) ?? []),
    ];
    return { cronJob, jobs: owned, events, serverVersion, unreadable };
  });
}
