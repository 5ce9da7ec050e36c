// The CronJob and its Jobs are read at about the same moment; a controller action between the reads
// makes them disagree. These tests play the two reads against a source whose state moves on in
// between (an in-memory ClusterSource: what is under test is which reads are made again and what
// is done with their answers, not HTTP).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CronJob, Job } from '../../src/api/types.js';
import { readSkew, settleReadSkew, settleReadSkews } from '../../src/cluster/read-skew.js';
import { readCronJob, readFleet } from '../../src/cluster/reads.js';
import type { ClusterSource } from '../../src/cluster/source.js';
import { ClusterError } from '../../src/errors.js';
import { decideCronJob } from '../../src/controller/cronjob/index.js';
import { cronJob, scheduledJob } from '../support/builders.js';
import { date, plusMinutes, plusSeconds } from '../support/time.js';

const t0 = date('2026-11-23T05:00:00Z');
const notFound = () => new ClusterError('NotFound', 'not found');

/** A source whose CronJob reads return `cronJobs` in turn (the last one repeats) and whose reads of
 * one Job answer from `jobsByName`; records what was read. A file (`live` false) has no `reread`. */
class MovingSource implements ClusterSource {
  readonly description = 'context "test"';
  readonly namespace = 'ns';
  readonly namespaceExplicit = true;
  calls: string[] = [];
  reread?: ClusterSource['reread'];
  constructor(
    private cronJobs: CronJob[],
    private jobList: Job[],
    private jobsByName: Record<string, Job> = {},
    live = true,
  ) {
    if (live)
      this.reread = {
        cronJob: async (_ns, name) => {
          this.calls.push(`reread cronjob ${name}`);
          return this.nextCronJob();
        },
        job: async (_ns, name) => {
          this.calls.push(`reread job ${name}`);
          return this.jobsByName[name] && structuredClone(this.jobsByName[name]);
        },
      };
  }
  private nextCronJob(): CronJob {
    return structuredClone(this.cronJobs.length > 1 ? this.cronJobs.shift()! : this.cronJobs[0]!);
  }
  async getCronJob(_ns: string, name: string): Promise<CronJob> {
    this.calls.push(`get cronjob ${name}`);
    return this.nextCronJob();
  }
  async getJob(_ns: string, name: string): Promise<Job> {
    this.calls.push(`get job ${name}`);
    const j = this.jobsByName[name];
    if (!j) throw notFound();
    return structuredClone(j);
  }
  async listCronJobs(): Promise<CronJob[]> {
    this.calls.push('list cronjobs');
    return [this.nextCronJob()];
  }
  async listJobs(): Promise<Job[]> {
    this.calls.push('list jobs');
    return structuredClone(this.jobList);
  }
  async listPodsOfJob() {
    return [];
  }
  async listEventsFor() {
    return [];
  }
  async listEventsOfKind() {
    return [];
  }
  async serverVersion() {
    return { major: 1, minor: 37, gitVersion: 'v1.37.2' };
  }
  async close() {}
}

// `*/1`, Replace. At 05:03:00 the controller deletes the 05:02 Job and creates the 05:03 one, then
// writes .status.active and lastScheduleTime.
const base = () => cronJob('tick').namespace('ns').schedule('* * * * *').replace().createdAt(t0);
const cj0 = base().build();
const j2 = scheduledJob(cj0, plusMinutes(t0, 2)).namespace('ns').running().build();
const j3 = scheduledJob(cj0, plusMinutes(t0, 3)).namespace('ns').running().build();
const before = base().lastScheduleTime(plusMinutes(t0, 2)).active(j2).build();
const after = base().lastScheduleTime(plusMinutes(t0, 3)).active(j3).build();
const now = plusSeconds(plusMinutes(t0, 3), 1);

describe('read skew between a CronJob and its Jobs', () => {
  it('readSkew: an unfinished Job the status does not list, a listed Job not read', () => {
    const s = readSkew(before, [j3]);
    assert.deepEqual(
      s.unlisted.map((j) => j.metadata.name),
      [j3.metadata.name],
    );
    assert.deepEqual(
      s.unseen.map((r) => r.name),
      [j2.metadata.name],
    );
    assert.deepEqual(readSkew(after, [j3]), { unlisted: [], unseen: [] });
  });

  it('the CronJob read before the controller acted, the Jobs after: the CronJob is read again, and why sees no UnexpectedJob', async () => {
    const src = new MovingSource([before, after], [j3]);
    const r = await readCronJob(src, 'ns', 'tick');
    assert.deepEqual(
      src.calls.filter((c) => !c.startsWith('list')),
      ['get cronjob tick', 'reread cronjob tick'],
    );
    assert.equal(r.cronJob.status?.lastScheduleTime, after.status?.lastScheduleTime);
    const v = decideCronJob({ ...r, now });
    assert.ok(!v.causes.some((c) => c.code === 'UnexpectedJob' || c.code === 'MissingJob'), JSON.stringify(v.causes));
    // Without the second read the same moment is judged as the controller having lost track of a Job.
    const stale = decideCronJob({ cronJob: before, jobs: [j3], events: [], now, serverVersion: r.serverVersion });
    assert.ok(stale.causes.some((c) => c.code === 'UnexpectedJob'));
  });

  it('the Jobs listed before the controller created one, the CronJob after: that Job is read by name', async () => {
    const src = new MovingSource([after], [], { [j3.metadata.name!]: j3 });
    const r = await readCronJob(src, 'ns', 'tick');
    assert.deepEqual(
      r.jobs.map((j) => j.metadata.name),
      [j3.metadata.name],
    );
    assert.ok(src.calls.includes(`reread job ${j3.metadata.name}`));
    assert.ok(!decideCronJob({ ...r, now }).causes.some((c) => c.code === 'MissingJob'));
  });

  it('a listed Job that really is gone stays gone: MissingJob, as the controller will record', async () => {
    const src = new MovingSource([after], []);
    const r = await readCronJob(src, 'ns', 'tick');
    assert.deepEqual(r.jobs, []);
    assert.ok(decideCronJob({ ...r, now }).causes.some((c) => c.code === 'MissingJob'));
  });

  it('a Job of the same name but another uid is not the listed one', async () => {
    const other = { ...structuredClone(j3), metadata: { ...j3.metadata, uid: 'uid-other' } };
    const r = await settleReadSkew(new MovingSource([after], [], { [j3.metadata.name!]: other }), after, []);
    assert.deepEqual(r.jobs, []);
  });

  it('a CronJob made again under the same name (another uid) is not read as the fresh copy', async () => {
    const remade = base().lastScheduleTime(plusMinutes(t0, 3)).active(j3).build();
    remade.metadata.uid = 'uid-remade';
    const r = await settleReadSkew(new MovingSource([remade], [j3]), before, [j3]);
    assert.equal(r.cronJob, before);
  });

  it('when they agree, or the source is a file, nothing is read again', async () => {
    const agree = new MovingSource([after], [j3]);
    await readCronJob(agree, 'ns', 'tick');
    assert.deepEqual(
      agree.calls.filter((c) => !c.startsWith('list')),
      ['get cronjob tick'],
    );
    const file = new MovingSource([before, after], [j3], {}, false);
    const r = await readCronJob(file, 'ns', 'tick');
    assert.deepEqual(
      file.calls.filter((c) => !c.startsWith('list')),
      ['get cronjob tick'],
    );
    assert.equal(r.cronJob.status?.lastScheduleTime, before.status?.lastScheduleTime);
  });

  it('a failed read again leaves the answer as read', async () => {
    const src = new MovingSource([before], [j3]);
    src.reread!.cronJob = async () => {
      throw new ClusterError('Unreachable', 'connection refused');
    };
    const r = await settleReadSkew(src, before, [j3]);
    assert.equal(r.cronJob, before);
    assert.deepEqual(r.jobs, [j3]);
  });

  it('fleet reads settle each CronJob that disagrees, and only those', async () => {
    const src = new MovingSource([before, after], [j3]);
    const [r] = await readFleet(src, 'ns');
    assert.equal(r!.cronJob.status?.lastScheduleTime, after.status?.lastScheduleTime);
    const out = await settleReadSkews(src, [
      { cronJob: after, owned: [j3] },
      { cronJob: before, owned: [j3] },
    ]);
    assert.deepEqual(
      out.map((o) => o.reread),
      [false, true],
    );
    assert.equal(
      await settleReadSkews(undefined, [{ cronJob: before, owned: [j3] }]).then((o) => o[0]!.cronJob),
      before,
    );
  });
});
