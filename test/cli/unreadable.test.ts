// Forbidden reads: commands answer from what is readable, name what was not (stderr, text,
// -o json `unreadable`), keep the verdict's exit code, and exit 5 only when nothing useful can
// be read. (Real RBAC users: test/e2e/cluster/rbac.test.ts.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startFakeApi, status, type FakeApi, type SeenRequest } from './fake-api.js';
import { EXAMPLE, runCli } from '../support/run-cli.js';

const NOW = '2026-11-23T08:00:00Z';
const all = (
  parse(readFileSync(EXAMPLE, 'utf8')) as {
    items: Array<{ kind: string; metadata: { name: string; namespace: string } }>;
  }
).items;
const dir = mkdtempSync(join(tmpdir(), 'kubectl-job-unreadable-'));

/** The example without some kinds, as a snapshot file (what a user who may not read them would see). */
function without(kinds: string[]): string {
  const f = join(dir, `without-${kinds.join('-')}.json`);
  writeFileSync(
    f,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      capturedAt: NOW,
      serverVersion: 'v1.36.3',
      items: all.filter((i) => !kinds.includes(i.kind)),
    }),
  );
  return f;
}

const forbidden = (_r: SeenRequest, resource: string) =>
  status(
    403,
    'Forbidden',
    `${resource} is forbidden: User "u" cannot list resource "${resource}" in API group "" in the namespace"`,
  );

function serve(forbid: string[]) {
  return (r: SeenRequest) => {
    const parts = r.path.split('/');
    const resource = parts[parts.length - 1] === 'log' ? 'pods/log' : r.path.startsWith('/apis') ? parts[6] : parts[5];
    if (r.path === '/version') return { body: { major: '1', minor: '36', gitVersion: 'v1.36.3' } };
    if (forbid.includes(resource!)) return forbidden(r, resource!);
    const ns = r.path.startsWith('/apis') ? parts[5] : parts[4];
    const kind = { cronjobs: 'CronJob', jobs: 'Job', pods: 'Pod', events: 'Event' }[resource!];
    const name = r.path.startsWith('/apis') ? parts[7] : parts[6];
    const items = all.filter((i) => i.kind === kind && i.metadata.namespace === ns);
    if (name) {
      const one = items.find((i) => i.metadata.name === name);
      return one ? { body: one } : undefined;
    }
    return { body: { kind: 'List', metadata: {}, items } };
  };
}

describe('forbidden reads against an API server', () => {
  let noEvents: FakeApi;
  let noPods: FakeApi;
  let noJobs: FakeApi;
  let nothing: FakeApi;
  before(async () => {
    [noEvents, noPods, noJobs, nothing] = await Promise.all([
      startFakeApi(serve(['events'])),
      startFakeApi(serve(['pods'])),
      startFakeApi(serve(['jobs'])),
      startFakeApi(serve(['cronjobs', 'jobs', 'pods', 'events'])),
    ]);
  });
  after(() => Promise.all([noEvents, noPods, noJobs, nothing].map((a) => a.close())));

  it('why cronjob without events: the verdict of what is readable, its exit code, and the list of what is not', async () => {
    const offline = await runCli([
      'why',
      'cronjob/report',
      '--snapshot',
      without(['Event']),
      '--now',
      NOW,
      '-o',
      'json',
    ]);
    const r = await runCli([
      'why',
      'cronjob/report',
      '-n',
      'prod',
      '--now',
      NOW,
      '-o',
      'json',
      '--kubeconfig',
      noEvents.kubeconfig,
    ]);
    assert.equal(r.code, offline.code, r.stderr);
    const v = JSON.parse(r.stdout);
    assert.equal(v.verdict, JSON.parse(offline.stdout).verdict);
    assert.deepEqual(v.unreadable, [{ verb: 'list', resource: 'events', namespace: 'prod' }]);
    assert.match(r.stderr, /^Warning: answered without list events in namespace prod \(forbidden\)/m);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });

  it('the text answer names the forbidden read and what it weakens', async () => {
    const r = await runCli(['why', 'cronjob/report', '-n', 'prod', '--now', NOW, '--kubeconfig', noEvents.kubeconfig]);
    assert.match(
      r.stdout,
      /Not readable with your permissions\n\s+could not list events in namespace prod \(forbidden\): causes only events show are unknown/,
    );
  });

  it("why job without pods answers from the Job's conditions", async () => {
    const offline = await runCli(['why', 'job/migrate-db', '--snapshot', without(['Pod']), '--now', NOW, '-o', 'json']);
    const r = await runCli([
      'why',
      'job/migrate-db',
      '-n',
      'prod',
      '--now',
      NOW,
      '-o',
      'json',
      '--kubeconfig',
      noPods.kubeconfig,
    ]);
    assert.equal(r.code, offline.code, r.stderr);
    assert.equal(JSON.parse(r.stdout).verdict, JSON.parse(offline.stdout).verdict);
    assert.deepEqual(JSON.parse(r.stdout).unreadable, [{ verb: 'list', resource: 'pods', namespace: 'prod' }]);
  });

  it('why --all and misses without jobs', async () => {
    const fleet = await runCli([
      'why',
      '--all',
      '-n',
      'prod',
      '--now',
      NOW,
      '-o',
      'json',
      '--kubeconfig',
      noJobs.kubeconfig,
    ]);
    assert.ok([0, 1].includes(fleet.code), fleet.stderr);
    assert.ok(
      JSON.parse(fleet.stdout).items.every(
        (v: { unreadable: unknown }) =>
          JSON.stringify(v.unreadable) === JSON.stringify([{ verb: 'list', resource: 'jobs', namespace: 'prod' }]),
      ),
    );
    const misses = await runCli([
      'misses',
      'report',
      '-n',
      'prod',
      '--now',
      NOW,
      '-o',
      'json',
      '--kubeconfig',
      noJobs.kubeconfig,
    ]);
    assert.ok([0, 1].includes(misses.code), misses.stderr);
    assert.deepEqual(JSON.parse(misses.stdout).unreadable, [{ verb: 'list', resource: 'jobs', namespace: 'prod' }]);
  });

  it('nothing readable: exit 5 and one line', async () => {
    const r = await runCli(['why', 'cronjob/report', '-n', 'prod', '--kubeconfig', nothing.kubeconfig]);
    assert.equal(r.code, 5);
    assert.match(r.stderr, /^error: forbidden: you cannot get cronjobs in namespace "prod"/);
  });

  it('snapshot records what it could not read, and reading the file names it again', async () => {
    const r = await runCli(['snapshot', '-n', 'prod', '-o', 'json', '--kubeconfig', noEvents.kubeconfig]);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout);
    assert.deepEqual(list.unreadable, [{ verb: 'list', resource: 'events', namespace: 'prod' }]);
    assert.ok(list.items.some((i: { kind: string }) => i.kind === 'CronJob'));
    assert.match(r.stderr, /answered without list events in namespace prod/);
    const f = join(dir, 'captured.json');
    writeFileSync(f, r.stdout);
    const again = await runCli(['why', 'cronjob/report', '--snapshot', f, '-o', 'json']);
    assert.deepEqual(JSON.parse(again.stdout).unreadable, [{ verb: 'list', resource: 'events', namespace: 'prod' }]);
  });
});
