// `kubectl job unsuspend` / `suspend` end to end against a fake API server, in process (main() with in-memory streams).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { runCli } from '../support/run-cli.js';
import { startFakeApi, status, type FakeApi } from './fake-api.js';

const cj = (name: string, suspend: boolean, rv = '10', labels: Record<string, string> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: {
    name,
    namespace: 'prod',
    uid: `uid-${name}`,
    resourceVersion: rv,
    creationTimestamp: '2026-11-01T00:00:00Z',
    labels,
  },
  spec: {
    schedule: '0 * * * *',
    suspend,
    jobTemplate: { spec: { template: { spec: { containers: [{ name: 'main' }] } } } },
  },
  status: { lastScheduleTime: '2026-11-23T05:00:00Z' },
});

describe('unsuspend / suspend against an API server', () => {
  let api: FakeApi;
  let allowed = true;
  let listed: unknown[] | undefined;
  const store: Record<string, ReturnType<typeof cj>> = {};
  before(async () => {
    api = await startFakeApi((r) => {
      if (r.path === '/version') return { body: { major: '1', minor: '36', gitVersion: 'v1.36.3' } };
      if (r.method === 'GET' && r.path === '/apis/batch/v1/namespaces/prod/jobs') return { body: { items: [] } };
      if (r.method === 'GET' && r.path === '/apis/batch/v1/namespaces/prod/cronjobs')
        return { body: { items: listed ?? Object.values(store) } };
      if (r.method === 'POST' && r.path.endsWith('/selfsubjectaccessreviews'))
        return { status: 201, body: { status: { allowed } } };
      const m = /^\/apis\/batch\/v1\/namespaces\/prod\/cronjobs\/(.+)$/.exec(r.path);
      const obj = m ? store[m[1]!] : undefined;
      if (!m || !obj) return undefined;
      if (r.method === 'GET') return { body: obj };
      if (r.method === 'PATCH') {
        if (r.body.metadata.resourceVersion !== obj.metadata.resourceVersion) {
          return status(
            409,
            'Conflict',
            `Operation cannot be fulfilled on cronjobs.batch "${m[1]}": the object has been modified; please apply your changes to the latest version and try again`,
          );
        }
        return { body: { ...obj, spec: { ...obj.spec, suspend: r.body.spec.suspend } } };
      }
      return undefined;
    });
  });
  beforeEach(() => {
    api.requests.length = 0;
    allowed = true;
    listed = undefined;
    for (const k of Object.keys(store)) delete store[k];
    Object.assign(store, { paused: cj('paused', true), running: cj('running', false) });
  });
  after(() => api.close());
  const base = () => ['--kubeconfig', api.kubeconfig, '-n', 'prod', '--now', '2026-11-23T07:20:00Z'];
  const patches = () => api.requests.filter((r) => r.method === 'PATCH');

  it('says what happens at once, then sends a merge patch guarded by the resourceVersion', async () => {
    const r = await runCli(['unsuspend', 'paused', ...base()]);
    assert.equal(r.code, 0, r.stderr);
    const minutes = Date.parse('2026-11-23T07:00:00Z') / 60_000;
    assert.equal(
      r.stdout,
      [
        `cronjob/paused: on resume the controller at once starts job/paused-${minutes} for the missed time 2026-11-23T07:00:00Z (20m ago) (startingDeadlineSeconds still allows it)`,
        'cronjob/paused: about 1 earlier missed time will not run: the controller only catches up the most recent one',
        'cronjob.batch/paused unsuspended',
        '',
      ].join('\n'),
    );
    assert.equal(patches().length, 1);
    assert.equal(patches()[0]!.contentType, 'application/merge-patch+json');
    assert.deepEqual(patches()[0]!.body, { metadata: { resourceVersion: '10' }, spec: { suspend: false } });
  });

  it('already in the wanted state: says so, exit 0, no patch', async () => {
    const r = await runCli(['unsuspend', 'cronjob/running', ...base()]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'cronjob.batch/running is not suspended; nothing to do\n');
    assert.equal(patches().length, 0);
  });

  it('a concurrent change makes the server refuse the patch: Conflict, exit 6, nothing changed', async () => {
    // The fake store moves on to a newer resourceVersion between the GET and the PATCH.
    const orig = store.paused!;
    let gets = 0;
    Object.defineProperty(store, 'paused', {
      configurable: true,
      enumerable: true,
      get: () => (++gets > 1 ? { ...orig, metadata: { ...orig.metadata, resourceVersion: '11' } } : orig),
    });
    const r = await runCli(['unsuspend', 'paused', ...base()]);
    assert.equal(r.code, 6);
    assert.match(
      r.stderr,
      /error: cronjob\/paused in namespace "prod" changed since it was read \(resourceVersion 10\): nothing was changed/,
    );
    assert.match(r.stderr, /hint: run the command again/);
  });

  it('--all: asks the server first; a denial changes nothing (exit 5, no patch)', async () => {
    store.other = cj('other', true);
    allowed = false;
    const r = await runCli(['unsuspend', '--all', ...base()]);
    assert.equal(r.code, 5);
    assert.match(r.stderr, /forbidden: you cannot patch cronjobs in namespace "prod"/);
    assert.equal(patches().length, 0);
  });

  it('--all patches every suspended CronJob and skips the others', async () => {
    store.other = cj('other', true);
    const r = await runCli(['unsuspend', '--all', '-o', 'name', ...base()]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').filter(Boolean).sort(), ['cronjob.batch/other', 'cronjob.batch/paused']);
    assert.equal(patches().length, 2);
    // One table on stderr (-o name keeps stdout for names), a row per CronJob, before any patch.
    assert.match(r.stderr, /NAMESPACE\s+NAME\s+SCHEDULE\s+CHANGE\s+AT ONCE\s+NEXT RUN\s+RUNNING/);
    assert.match(r.stderr, /prod\s+running\s+0 \* \* \* \*\s+active \(no change\)\s+nothing to do/);
  });

  it('-l: one preview table for the matching CronJobs (catch-up run named), then one guarded patch each', async () => {
    Object.assign(store, {
      a: cj('a', true, '10', { team: 'data' }),
      b: cj('b', true, '11', { team: 'data' }),
      c: cj('c', true, '12', { team: 'web' }),
    });
    const r = await runCli(['unsuspend', '-l', 'team=data', ...base()]);
    assert.equal(r.code, 0, r.stderr);
    const minutes = Date.parse('2026-11-23T07:00:00Z') / 60_000;
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /^NAMESPACE\s+NAME\s+SCHEDULE\s+CHANGE\s+AT ONCE\s+NEXT RUN\s+RUNNING$/);
    assert.match(
      lines[1]!,
      new RegExp(
        `^prod\\s+a\\s+0 \\* \\* \\* \\*\\s+suspended -> active\\s+catch-up: starts job/a-${minutes} for 2026-11-23T07:00:00Z; ~1 earlier missed dropped\\s+2026-11-23T08:00:00Z\\s+-$`,
      ),
    );
    assert.match(lines[2]!, /^prod\s+b\s+/);
    assert.deepEqual(lines.slice(3), ['cronjob.batch/a unsuspended', 'cronjob.batch/b unsuspended', '']);
    assert.deepEqual(
      patches().map((p) => [p.path.split('/').pop(), p.body.metadata.resourceVersion]),
      [
        ['a', '10'],
        ['b', '11'],
      ],
    );
  });

  it('-l with a CronJob changed meanwhile: the others are patched, that one is refused (409, exit 1); a re-run patches only it', async () => {
    Object.assign(store, { a: cj('a', true, '10', { team: 'data' }), b: cj('b', true, '11', { team: 'data' }) });
    // The list shows b at resourceVersion 11 while the server holds 12: its patch is refused, a's is not.
    listed = [store.a!, store.b!];
    store.b = cj('b', true, '12', { team: 'data' });
    const r = await runCli(['unsuspend', '-l', 'team=data', ...base()]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /cronjob\.batch\/a unsuspended\n/);
    assert.doesNotMatch(r.stdout, /cronjob\.batch\/b unsuspended/);
    assert.match(
      r.stderr,
      /error: cronjob\/b in namespace "prod" changed since it was read \(resourceVersion 11\): nothing was changed/,
    );
    // The re-run reads the current state: a is done (no patch), b is patched with its current version.
    listed = undefined;
    store.a = cj('a', false, '13', { team: 'data' });
    api.requests.length = 0;
    const again = await runCli(['unsuspend', '-l', 'team=data', ...base()]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(
      patches().map((p) => [p.path.split('/').pop(), p.body.metadata.resourceVersion]),
      [['b', '12']],
    );
    assert.match(again.stdout, /prod\s+a\s+.*active \(no change\)\s+nothing to do/);
  });

  it('-l matching nothing says so on stderr, exit 0, no patch', async () => {
    const r = await runCli(['suspend', '-l', 'team=none', ...base()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /no CronJobs matching "team=none" found in namespace "prod"/);
    assert.equal(patches().length, 0);
  });

  it('suspend -o json prints the patched object; words go to stderr', async () => {
    const r = await runCli(['suspend', 'running', '-o', 'json', ...base()]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).spec.suspend, true);
    assert.match(r.stderr, /cronjob\/running: no scheduled runs will start while it is suspended/);
    assert.deepEqual(patches()[0]!.body, { metadata: { resourceVersion: '10' }, spec: { suspend: true } });
  });

  it('--dry-run=client sends no patch; --dry-run=server sends dryRun=All', async () => {
    const c = await runCli(['suspend', 'running', '--dry-run=client', ...base()]);
    assert.equal(c.stdout.trim().split('\n').pop(), 'cronjob.batch/running suspended (dry run)');
    assert.equal(patches().length, 0);
    const s = await runCli(['suspend', 'running', '--dry-run=server', ...base()]);
    assert.equal(s.stdout.trim().split('\n').pop(), 'cronjob.batch/running suspended (server dry run)');
    assert.equal(patches()[0]!.query.dryRun, 'All');
  });

  it('names and --all together are a usage error', async () => {
    const r = await runCli(['unsuspend', 'paused', '--all', ...base()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /give CronJob names or --all\/-A\/-l, not both/);
  });
});
