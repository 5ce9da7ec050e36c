// `kubectl job trigger` end to end without a cluster: a snapshot for --dry-run=client, a fake API
// server for the create and --wait.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { runCli, startFakeApi, status, type FakeApi } from './fake-api.js';

const cronJob = (name: string, extra: Record<string, unknown> = {}, st: Record<string, unknown> = {}) => ({
  apiVersion: 'batch/v1', kind: 'CronJob',
  metadata: { name, namespace: 'prod', uid: `uid-${name}`, resourceVersion: '10', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: {
    schedule: '0 2 * * *', concurrencyPolicy: 'Allow', ...extra,
    jobTemplate: {
      metadata: { labels: { app: name }, annotations: { owner: 'team-a' } },
      spec: { backoffLimit: 1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
    },
  },
  status: st,
});

const snapshotFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-job-trigger-'));
  const file = join(dir, 'snap.yaml');
  writeFileSync(file, stringify({
    apiVersion: 'v1', kind: 'List', capturedAt: '2026-11-23T08:00:00Z',
    items: [
      cronJob('backup'),
      cronJob('locked', { concurrencyPolicy: 'Forbid' }, { active: [{ name: 'locked-29000000', namespace: 'prod' }] }),
    ],
  }));
  return file;
};

describe('trigger --dry-run=client (offline)', () => {
  const snap = snapshotFile();

  it('-o yaml prints exactly the Job kubectl create job --from would create', async () => {
    const r = await runCli(['trigger', '--from', 'cronjob/backup', '--name', 'backup-now', '--snapshot', snap, '--dry-run=client', '-o', 'yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `apiVersion: batch/v1
kind: Job
metadata:
  name: backup-now
  namespace: prod
  labels:
    app: backup
  annotations:
    cronjob.kubernetes.io/instantiate: manual
    owner: team-a
  ownerReferences:
    - apiVersion: batch/v1
      kind: CronJob
      name: backup
      uid: uid-backup
      controller: true
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: busybox
`);
    assert.match(r.stderr, /^Warning: the CronJob controller does not count a manual Job as active: concurrencyPolicy Forbid and Replace ignore it/m);
  });

  it('a generated name is <cronjob>-manual-<5 random> (text output says dry run)', async () => {
    const r = await runCli(['trigger', 'backup', '--snapshot', snap, '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^job\.batch\/backup-manual-[bcdfghjklmnpqrstvwxz2456789]{5} created \(dry run\)\n$/);
  });

  it('Forbid with an active Job warns that this run overlaps it, naming it', async () => {
    const r = await runCli(['trigger', 'cronjob/locked', '--snapshot', snap, '--dry-run=client', '-o', 'name']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^job\.batch\/locked-manual-\w{5}\n$/);
    assert.match(r.stderr, /concurrencyPolicy Forbid and a Job is still running \(job\/locked-29000000\): this manual run will overlap it/);
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['an invalid --name', ['trigger', 'backup', '--name', 'Bad_Name', '--dry-run'], /invalid --name "Bad_Name"/],
    ['--wait with --dry-run', ['trigger', 'backup', '--wait', '--dry-run=server'], /--wait cannot be combined with --dry-run/],
    ['a Job instead of a CronJob', ['trigger', '--from', 'job/x', '--dry-run'], /expected cronjob\/NAME/],
    ['no CronJob at all', ['trigger', '--dry-run'], /which CronJob\?/],
    ['an unknown -o', ['trigger', 'backup', '--dry-run', '-o', 'wide'], /allowed formats are: json,yaml,name/],
    ['an unknown --dry-run value', ['trigger', 'backup', '--dry-run=maybe'], /invalid --dry-run value "maybe"/],
  ];
  for (const [title, args, msg] of usage) {
    it(`refuses ${title} with exit 2 and no stack trace`, async () => {
      const r = await runCli([...args, '--snapshot', snap]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, msg);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  }

  it('without --dry-run=client a snapshot cannot be written to', async () => {
    const r = await runCli(['trigger', 'backup', '--snapshot', snap]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /trigger changes the cluster: --snapshot .* is read-only/);
  });
});

describe('trigger against an API server', () => {
  let api: FakeApi;
  let jobGets = 0;
  before(async () => {
    api = await startFakeApi((r) => {
      if (r.method === 'GET' && r.path === '/apis/batch/v1/namespaces/prod/cronjobs/backup') return { body: cronJob('backup') };
      if (r.method === 'GET' && r.path === '/apis/batch/v1/namespaces/prod/jobs') return { body: { items: [] } };
      if (r.method === 'POST' && r.path === '/apis/batch/v1/namespaces/prod/jobs') {
        if (r.body.metadata.name === 'taken') return status(409, 'AlreadyExists', 'jobs.batch "taken" already exists');
        return { status: 201, body: { ...r.body, metadata: { ...r.body.metadata, uid: 'new-uid' } } };
      }
      const m = /^\/apis\/batch\/v1\/namespaces\/prod\/jobs\/(ok|bad)$/.exec(r.path);
      if (r.method === 'GET' && m) {
        jobGets++;
        if (jobGets % 2 === 1) return { body: { metadata: { name: m[1] }, spec: {}, status: { active: 1 } } };
        const cond = m[1] === 'ok'
          ? { type: 'Complete', status: 'True' }
          : { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
        return { body: { metadata: { name: m[1] }, spec: {}, status: { conditions: [cond] } } };
      }
      return undefined;
    });
  });
  after(() => api.close());
  const base = () => ['--kubeconfig', api.url ? api.kubeconfig : '', '-n', 'prod'];

  it('POSTs the Job; --dry-run=server adds dryRun=All; -o name prints job.batch/<name>', async () => {
    const r = await runCli(['trigger', 'backup', '--name', 'x1', '--dry-run=server', '-o', 'name', ...base()]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'job.batch/x1\n');
    const post = api.requests.find((q) => q.method === 'POST' && q.body?.metadata?.name === 'x1')!;
    assert.equal(post.query.dryRun, 'All');
  });

  it('--wait exits 0 when the Job completes', async () => {
    const r = await runCli(['trigger', 'backup', '--name', 'ok', '--wait', ...base()]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'job.batch/ok created\njob.batch/ok completed\n');
  });

  it('--wait exits 1 when the Job fails, with the condition and a hint', async () => {
    const r = await runCli(['trigger', 'backup', '--name', 'bad', '--wait', ...base()]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'job.batch/bad created\njob.batch/bad failed: BackoffLimitExceeded: Job has reached the specified backoff limit\n');
    assert.match(r.stderr, /hint: kubectl job why job\/bad -n prod/);
  });

  it('a name already taken is a clear AlreadyExists error', async () => {
    const r = await runCli(['trigger', 'backup', '--name', 'taken', ...base()]);
    assert.equal(r.code, 6);
    assert.match(r.stderr, /already exists: jobs.batch "taken" already exists/);
    assert.match(r.stderr, /hint: choose another name with --name/);
  });

  it('a missing CronJob is a clear NotFound', async () => {
    const r = await runCli(['trigger', 'nope', ...base()]);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /cronjob "nope" not found in namespace "prod"/);
  });
});
