// `kubectl job trigger` end to end without a cluster: a snapshot for --dry-run=client, a fake API
// server for the create and --wait. In process (main() with in-memory streams and stdin).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { runCli } from '../support/run-cli.js';
import { startFakeApi, status, type FakeApi } from './fake-api.js';

const cronJob = (name: string, extra: Record<string, unknown> = {}, st: Record<string, unknown> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: {
    name,
    namespace: 'prod',
    uid: `uid-${name}`,
    resourceVersion: '10',
    creationTimestamp: '2026-01-01T00:00:00Z',
  },
  spec: {
    schedule: '0 2 * * *',
    concurrencyPolicy: 'Allow',
    ...extra,
    jobTemplate: {
      metadata: { labels: { app: name }, annotations: { owner: 'team-a' } },
      spec: {
        backoffLimit: 1,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } },
      },
    },
  },
  status: st,
});

const snapshotFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-job-trigger-'));
  const file = join(dir, 'snap.yaml');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'List',
      capturedAt: '2026-11-23T08:00:00Z',
      items: [
        cronJob('backup'),
        cronJob(
          'locked',
          { concurrencyPolicy: 'Forbid' },
          { active: [{ name: 'locked-29000000', namespace: 'prod' }] },
        ),
      ],
    }),
  );
  return file;
};

describe('trigger --dry-run=client (offline)', () => {
  const snap = snapshotFile();

  it('-o yaml prints exactly the Job kubectl create job --from would create', async () => {
    const r = await runCli([
      'trigger',
      '--from',
      'cronjob/backup',
      '--name',
      'backup-now',
      '--snapshot',
      snap,
      '--dry-run=client',
      '-o',
      'yaml',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      `apiVersion: batch/v1
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
`,
    );
    assert.match(
      r.stderr,
      /^Warning: the CronJob controller does not count a manual Job as active: concurrencyPolicy Forbid and Replace ignore it/m,
    );
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
    assert.match(
      r.stderr,
      /concurrencyPolicy Forbid and a Job is still running \(job\/locked-29000000\): this manual run will overlap it/,
    );
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['an invalid --name', ['trigger', 'backup', '--name', 'Bad_Name', '--dry-run'], /invalid --name "Bad_Name"/],
    [
      '--wait with --dry-run',
      ['trigger', 'backup', '--wait', '--dry-run=server'],
      /--wait cannot be combined with --dry-run/,
    ],
    ['a Job instead of a CronJob', ['trigger', '--from', 'job/x', '--dry-run'], /expected cronjob\/NAME/],
    ['no CronJob at all', ['trigger', '--dry-run'], /which CronJob\?/],
    ['an unknown -o', ['trigger', 'backup', '--dry-run', '-o', 'wide'], /allowed formats are: json,yaml,name/],
    ['an unknown --dry-run value', ['trigger', 'backup', '--dry-run=maybe'], /invalid --dry-run value "maybe"/],
    [
      'wait with a --timeout without a unit',
      ['wait', 'job/x', '--timeout', '10'],
      /invalid duration for --timeout: "10"/,
    ],
    ['suspend with names and -l', ['suspend', 'a', '-l', 'x=y', '--dry-run'], /give CronJob names or --all\/-A\/-l/],
  ];
  for (const [title, args, msg] of usage) {
    it(`refuses ${title} with exit 2 and no stack trace`, async () => {
      const r = await runCli([...args, '--snapshot', snap]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, msg);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  }

  it("--missed --since 2d counts back from the snapshot's capture time, not the clock", async () => {
    const r = await runCli(['trigger', 'backup', '--missed', '--since', '2d', '--snapshot', snap, '--dry-run=client']);
    assert.equal(r.code, 0, r.stderr);
    // Captured 2026-11-23T08:00Z: the window starts 2026-11-21T08:00Z. Its first schedule time, the 22nd's 02:00,
    // was missed; the 23rd's is the latest, which the controller itself would still start.
    const name = `backup-${Date.parse('2026-11-22T02:00:00Z') / 60_000}`;
    assert.match(r.stdout, new RegExp(`^2026-11-22T02:00:00Z\\s+job/${name}\\s+missed\\s+would create\\n`, 'm'));
    assert.match(r.stdout, new RegExp(`job\\.batch/${name} created \\(dry run\\)\\n$`));
    assert.doesNotMatch(r.stdout, /2026-11-21T02:00:00Z/);
  });

  it('--missed --since an instant after the capture time is a usage error', async () => {
    const r = await runCli([
      'trigger',
      'backup',
      '--missed',
      '--since',
      '2026-11-23T09:00:00Z',
      '--snapshot',
      snap,
      '--dry-run=client',
    ]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: --since must be in the past\n');
  });

  it('without --dry-run=client a snapshot cannot be written to', async () => {
    const r = await runCli(['trigger', 'backup', '--snapshot', snap]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /trigger changes the cluster: --snapshot .* is read-only/);
  });
});

describe('trigger against an API server', () => {
  let api: FakeApi;
  const condition = (name: string) =>
    name === 'ok'
      ? { type: 'Complete', status: 'True' }
      : {
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
        };
  // Hourly, created 2026-11-23T00:00Z, suspended since 02:30 (kubectl patch) after its 02:00 run: 03:00.. were suspended.
  const backfilled = () => {
    const cj = cronJob(
      'hourly',
      { schedule: '0 * * * *', suspend: true },
      { lastScheduleTime: '2026-11-23T02:00:00Z' },
    ) as any;
    cj.metadata.creationTimestamp = '2026-11-23T00:00:00Z';
    cj.metadata.managedFields = [
      {
        manager: 'kubectl-patch',
        operation: 'Update',
        time: '2026-11-23T02:30:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:suspend': {} } },
      },
    ];
    return cj;
  };
  const ran = (t: string) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `hourly-${Date.parse(t) / 60_000}`,
      namespace: 'prod',
      uid: `j-${t}`,
      creationTimestamp: t,
      annotations: { 'batch.kubernetes.io/cronjob-scheduled-timestamp': t },
      ownerReferences: [
        { apiVersion: 'batch/v1', kind: 'CronJob', name: 'hourly', uid: 'uid-hourly', controller: true },
      ],
    },
    spec: {},
    status: {
      startTime: t,
      completionTime: t,
      succeeded: 1,
      conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: t }],
    },
  });
  before(async () => {
    api = await startFakeApi((r) => {
      if (r.method === 'GET' && r.path === '/apis/batch/v1/namespaces/prod/cronjobs/backup')
        return { body: cronJob('backup') };
      if (r.method === 'GET' && r.path === '/apis/batch/v1/namespaces/prod/cronjobs/hourly')
        return { body: backfilled() };
      if (r.method === 'GET' && r.path === '/apis/batch/v1/namespaces/prod/jobs' && r.query.fieldSelector) {
        const name = r.query.fieldSelector.replace('metadata.name=', '');
        const spec = {
          backoffLimit: 0,
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } },
        };
        const metadata = { name, namespace: 'prod', uid: `uid-${name}`, creationTimestamp: '2026-11-23T07:59:00Z' };
        if (r.query.watch === 'true')
          return {
            text: [
              JSON.stringify({
                type: 'MODIFIED',
                object: {
                  metadata: { ...metadata, resourceVersion: '12' },
                  spec,
                  status: {
                    startTime: '2026-11-23T07:59:00Z',
                    failed: name === 'ok' ? 0 : 1,
                    conditions: [condition(name)],
                  },
                },
              }),
            ],
          };
        return {
          body: {
            metadata: { resourceVersion: '11' },
            items: [{ metadata: { ...metadata, resourceVersion: '11' }, spec, status: { active: 1 } }],
          },
        };
      }
      if (r.method === 'GET' && r.path === '/apis/batch/v1/namespaces/prod/jobs')
        return { body: { items: [ran('2026-11-23T01:00:00Z'), ran('2026-11-23T02:00:00Z')] } };
      if (r.method === 'GET' && /^\/api\/v1\/namespaces\/prod\/(pods|events)$/.test(r.path))
        return { body: { items: [] } };
      if (r.method === 'GET' && r.path === '/version')
        return { body: { major: '1', minor: '36', gitVersion: 'v1.36.3' } };
      if (r.method === 'POST' && r.path === '/apis/batch/v1/namespaces/prod/jobs') {
        if (
          r.body.metadata.name === 'taken' ||
          r.body.metadata.name === `hourly-${Date.parse('2026-11-23T04:00:00Z') / 60_000}`
        ) {
          return status(409, 'AlreadyExists', `jobs.batch "${r.body.metadata.name}" already exists`);
        }
        return { status: 201, body: { ...r.body, metadata: { ...r.body.metadata, uid: 'new-uid' } } };
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
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stdout,
      'job.batch/bad created\njob.batch/bad failed: BackoffLimitExceeded: Job has reached the specified backoff limit\n',
    );
    assert.match(r.stderr, /hint: kubectl job why job\/bad -n prod/);
    // The why verdict of the failed Job on stderr, before the hint.
    assert.match(r.stderr, /job\/bad in namespace prod\n/);
  });

  it('--wait watches: one list by field selector, then a watch from its resourceVersion (no polling)', async () => {
    const before = api.requests.length;
    const r = await runCli(['trigger', 'backup', '--name', 'ok', '--wait', '--timeout', '30s', ...base()]);
    assert.equal(r.code, 0, r.stderr);
    const mine = api.requests.slice(before).filter((q) => q.query.fieldSelector === 'metadata.name=ok');
    assert.deepEqual(
      mine.map((q) => [q.query.watch ?? 'list', q.query.resourceVersion ?? '']),
      [
        ['list', ''],
        ['true', '11'],
      ],
    );
  });

  it('wait job/NAME: exit 0 on Complete, 1 on Failed with the verdict, one line each on stdout', async () => {
    const ok = await runCli(['wait', 'job/ok', ...base()]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'job.batch/ok completed\n');
    const bad = await runCli(['wait', 'bad', ...base()]);
    assert.equal(bad.code, 1, bad.stderr);
    assert.equal(
      bad.stdout,
      'job.batch/bad failed: BackoffLimitExceeded: Job has reached the specified backoff limit\n',
    );
    assert.match(bad.stderr, /job\/bad in namespace prod/);
  });

  it("--for creates the controller's Job for a suspended time (with --yes), name and annotation as the controller's", async () => {
    const r = await runCli([
      'trigger',
      'hourly',
      '--for',
      '2026-11-23T03:00:00Z',
      '--yes',
      '--now',
      '2026-11-23T05:30:00Z',
      ...base(),
    ]);
    assert.equal(r.code, 0, r.stderr);
    const name = `hourly-${Date.parse('2026-11-23T03:00:00Z') / 60_000}`;
    assert.match(r.stdout, new RegExp(`2026-11-23T03:00:00Z\\s+job/${name}\\s+suspended\\s+create`));
    assert.match(r.stdout, new RegExp(`job\\.batch/${name} created\\n$`));
    const post = api.requests.find((q) => q.method === 'POST' && q.body?.metadata?.name === name)!;
    assert.deepEqual(post.body.metadata.annotations, {
      owner: 'team-a',
      'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-11-23T03:00:00Z',
    });
    assert.deepEqual(post.body.metadata.ownerReferences, [
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        name: 'hourly',
        uid: 'uid-hourly',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    assert.deepEqual(post.body.metadata.labels, { app: 'hourly' });
  });

  it('--for in a pipeline without --yes: the preview, then exit 2 and nothing created', async () => {
    const before = api.requests.filter((q) => q.method === 'POST').length;
    const r = await runCli([
      'trigger',
      'hourly',
      '--for',
      '2026-11-23T03:00:00Z',
      '--now',
      '2026-11-23T05:30:00Z',
      ...base(),
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /TIME\s+JOB\s+MISSES SAYS\s+ACTION/);
    assert.match(r.stderr, /dry run only: 1 Job not created because stdin is not a terminal/);
    assert.match(r.stderr, /hint: pass --yes to create them/);
    assert.equal(api.requests.filter((q) => q.method === 'POST').length, before);
  });

  it('--for on a terminal without --yes asks; "y" creates the Job', async () => {
    const before = api.requests.filter((q) => q.method === 'POST').length;
    const r = await runCli(
      ['trigger', 'hourly', '--for', '2026-11-23T03:00:00Z', '-o', 'name', '--now', '2026-11-23T05:30:00Z', ...base()],
      { input: 'y\n', inputTTY: true },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Create 1 Job for cronjob\/hourly\? \[y\/N\] /);
    assert.equal(r.stdout, `job.batch/hourly-${Date.parse('2026-11-23T03:00:00Z') / 60_000}\n`);
    assert.equal(api.requests.filter((q) => q.method === 'POST').length, before + 1);
  });

  it('--for on a terminal: any answer but y/yes creates nothing (exit 0)', async () => {
    const before = api.requests.filter((q) => q.method === 'POST').length;
    for (const input of ['n\n', '', 'yep\n']) {
      const r = await runCli(
        ['trigger', 'hourly', '--for', '2026-11-23T03:00:00Z', '--now', '2026-11-23T05:30:00Z', ...base()],
        { input, inputTTY: true },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /\[y\/N\] \n?nothing created\n$/, JSON.stringify(input));
    }
    assert.equal(api.requests.filter((q) => q.method === 'POST').length, before);
  });

  it('--missed --since takes the suspended times only; a time created meanwhile (AlreadyExists) is reported, not retried; exit 1', async () => {
    const r = await runCli([
      'trigger',
      'hourly',
      '--missed',
      '--since',
      '2026-11-23T00:30:00Z',
      '--yes',
      '-o',
      'name',
      '--now',
      '2026-11-23T05:30:00Z',
      ...base(),
    ]);
    assert.equal(r.code, 1, r.stderr);
    const m = (t: string) => `hourly-${Date.parse(t) / 60_000}`;
    assert.equal(r.stdout, `job.batch/${m('2026-11-23T03:00:00Z')}\njob.batch/${m('2026-11-23T05:00:00Z')}\n`);
    assert.match(
      r.stderr,
      new RegExp(`refused job/${m('2026-11-23T04:00:00Z')}: it was created meanwhile \\(AlreadyExists\\)`),
    );
    assert.match(r.stderr, /TIME\s+JOB\s+MISSES SAYS\s+ACTION/, 'with -o name the table goes to stderr');
  });

  it('--for a time that already ran or is not a schedule time is refused; nothing created, exit 1', async () => {
    const r = await runCli([
      'trigger',
      'hourly',
      '--for',
      '2026-11-23T02:00:00Z',
      '--for',
      '2026-11-23T03:30:00Z',
      '--yes',
      '--now',
      '2026-11-23T05:30:00Z',
      ...base(),
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /refused: job\/hourly-\d+ already exists/);
    assert.match(r.stdout, /refused: 2026-11-23T03:30:00Z is not a time of the schedule "0 \* \* \* \*" \(UTC\)/);
    assert.match(r.stderr, /nothing created: every time was refused/);
  });

  it('overrides reach the created Job; an unknown --container names the containers', async () => {
    const r = await runCli([
      'trigger',
      'backup',
      '--name',
      'o1',
      '--image',
      'busybox:1.36',
      '--env',
      'MODE=dry',
      '-o',
      'json',
      ...base(),
      '--',
      'sh',
      '-c',
      'echo hi',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const c = JSON.parse(r.stdout).spec.template.spec.containers[0];
    assert.deepEqual(
      [c.image, c.env, c.args],
      ['busybox:1.36', [{ name: 'MODE', value: 'dry' }], ['sh', '-c', 'echo hi']],
    );
    const bad = await runCli(['trigger', 'backup', '--container', 'nope', '--image', 'x', ...base()]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /container "nope" not found in the Job template; its containers: main/);
  });

  it('--owner plain writes controller: false and says what that means', async () => {
    const r = await runCli(['trigger', 'backup', '--name', 'p1', '--owner', 'plain', '-o', 'json', ...base()]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).metadata.ownerReferences, [
      { apiVersion: 'batch/v1', kind: 'CronJob', name: 'backup', uid: 'uid-backup', controller: false },
    ]);
    assert.match(r.stderr, /--owner plain \(controller: false\): the CronJob controller ignores this Job/);
    assert.doesNotMatch(r.stderr, /UnexpectedJob warning events/);
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
