// Captures everything `why`, `misses` and `next` read, so it can be analysed later offline
// (events expire after an hour; a snapshot keeps them).
import type { ClusterSnapshot, KubeEvent, Pod } from '../api/types.js';
import { listAll, type LiveSource } from './live.js';
import { settleReadSkews } from './read-skew.js';
import { segment } from './request-parts.js';
import { withOwnedJobs } from './source.js';
import { jobsUnreadable, unlessForbidden, type Unreadable } from './unreadable.js';

/** Reads CronJobs, Jobs, Job pods and batch-related events of a namespace (or all) from a live cluster. */
export async function captureSnapshot(
  src: LiveSource,
  namespace: string | undefined,
  now: Date,
  onProgress?: (what: string) => void,
): Promise<ClusterSnapshot & { capturedAt: string; unreadable: Unreadable[] }> {
  const core = namespace ? `/api/v1/namespaces/${segment(namespace, 'namespace')}` : '/api/v1';
  const step = async <T>(what: string, p: Promise<T>) => {
    const v = await p;
    onProgress?.(what);
    return v;
  };
  // CronJobs must be readable; Jobs, pods and events that are forbidden are recorded in the file.
  const unreadable: Unreadable[] = [];
  const events = (kind: string) =>
    unlessForbidden(
      listAll<KubeEvent>(
        src.conn,
        `${core}/events`,
        { resource: 'events', namespace },
        { fieldSelector: `involvedObject.kind=${kind}` },
      ),
      [],
      unreadable,
    );
  const [cronJobs, jobs, pods, cjEvents, jobEvents, podEvents, serverVersion] = await Promise.all([
    step('cronjobs', src.listCronJobs(namespace)),
    step('jobs', unlessForbidden(src.listJobs(namespace), [], unreadable)),
    step(
      'pods',
      unlessForbidden(
        listAll<Pod>(src.conn, `${core}/pods`, { resource: 'pods', namespace }, { labelSelector: 'job-name' }),
        [],
        unreadable,
      ),
    ),
    step('events', events('CronJob')),
    events('Job'),
    events('Pod'),
    src.serverVersion(),
  ]);
  const jobPodNames = new Set(pods.map((p) => p.metadata.name));
  // A controller action between the CronJob and Job lists makes them disagree (see read-skew.ts):
  // the CronJobs concerned are read again, and Jobs they list that the list missed are added.
  const settled = await settleReadSkews(jobsUnreadable(unreadable) ? undefined : src, withOwnedJobs(cronJobs, jobs));
  const listed = new Set(jobs.map((j) => j.metadata.uid));
  const added = settled.flatMap((s) => s.jobs.filter((j) => !listed.has(j.metadata.uid)));
  return {
    capturedAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    serverVersion,
    cronJobs: settled.map((s) => s.cronJob),
    jobs: [...jobs, ...added],
    pods,
    events: [...cjEvents, ...jobEvents, ...podEvents.filter((e) => jobPodNames.has(e.involvedObject?.name))],
    unreadable,
  };
}
