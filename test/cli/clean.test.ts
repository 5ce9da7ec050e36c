// `kubectl job clean` end to end against a fake API server: confirmation rules, preconditions,
// skipped and failed deletions in the summary, exit codes.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeApi, status, type FakeApi } from './fake-api.js';
import { runCli } from '../support/run-cli.js';
import { memorySurroundings } from '../support/surroundings.js';
import { parseClean, type CleanOptions } from '../../src/cli/commands/clean.js';
import type { RawInput } from '../../src/cli/commands/define.js';
import { main } from '../../src/cli/main.js';
import { assertUsageError } from '../support/usage-error.js';

const finished = (name: string, type: 'Complete' | 'Failed', extra: Record<string, unknown> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'prod', uid: `uid-${name}`, resourceVersion: `rv-${name}` },
  spec: { template: { spec: { containers: [] } } },
  status: { conditions: [{ type, status: 'True', lastTransitionTime: '2026-11-01T00:00:00Z' }], ...extra },
});
const running = (name: string) => ({ ...finished(name, 'Complete'), status: { active: 1 } });

const JOBS = [
  finished('ok-1', 'Complete'),
  finished('ok-2', 'Complete'),
  finished('ok-changed', 'Complete'),
  finished('ok-broken', 'Complete'),
  finished('bad-1', 'Failed'),
  running('busy'),
  finished('ok-pods-left', 'Complete', { active: 2 }),
];

describe('clean against an API server', () => {
  let api: FakeApi;
  let denyDelete = false;
  before(async () => {
    api = await startFakeApi((r) => {
      if (r.method === 'GET' && r.path === '/apis/batch/v1/namespaces/prod/jobs')
        return { body: { items: JOBS, metadata: {} } };
      if (r.method === 'POST' && r.path.endsWith('/selfsubjectaccessreviews'))
        return { status: 201, body: { status: { allowed: !denyDelete } } };
      const m = /^\/apis\/batch\/v1\/namespaces\/prod\/jobs\/(.+)$/.exec(r.path);
      if (r.method === 'DELETE' && m) {
        if (m[1] === 'ok-changed')
          return status(
            409,
            'Conflict',
            'Precondition failed: ResourceVersion in precondition: rv-ok-changed, ResourceVersion in object meta: 99',
          );
        if (m[1] === 'ok-broken') return status(400, 'BadRequest', 'etcd is sad');
        return { body: { kind: 'Status', status: 'Success' } };
      }
      return undefined;
    });
  });
  beforeEach(() => {
    api.requests.length = 0;
    denyDelete = false;
  });
  after(() => api.close());
  const base = () => ['--kubeconfig', api.kubeconfig, '-n', 'prod'];
  const deletes = () => api.requests.filter((r) => r.method === 'DELETE');

  it('refuses without --yes when stdin is not a terminal (exit 2, nothing deleted)', async () => {
    const r = await runCli(['clean', '--succeeded', ...base()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /refusing to delete 4 Jobs without confirmation: stdin is not a terminal/);
    assert.match(r.stderr, /hint: pass --yes to confirm/);
    assert.equal(deletes().length, 0);
  });

  it('needs --succeeded or --failed', async () => {
    const r = await runCli(['clean', '--yes', ...base()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--succeeded, --failed, or both/);
  });

  it('--yes deletes only finished Jobs, with Background propagation and uid/resourceVersion preconditions', async () => {
    const r = await runCli(['clean', '--succeeded', '--yes', '-o', 'name', ...base()]);
    const sent = deletes()
      .map((d) => d.path.split('/').pop())
      .sort();
    assert.deepEqual(sent, ['ok-1', 'ok-2', 'ok-broken', 'ok-changed']);
    const one = deletes().find((d) => d.path.endsWith('/ok-1'))!;
    assert.deepEqual(one.body, {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: 'Background',
      preconditions: { uid: 'uid-ok-1', resourceVersion: 'rv-ok-1' },
    });
    assert.deepEqual(r.stdout.split('\n').filter(Boolean).sort(), ['job.batch/ok-1', 'job.batch/ok-2']);
    // A changed Job is skipped (not an error); a server failure is reported and makes the exit code 1.
    assert.match(r.stderr, /skipped job\/ok-changed in prod: changed since it was listed/);
    assert.match(r.stderr, /failed job\/ok-broken in prod: .*etcd is sad/);
    assert.match(r.stderr, /deleted 2, skipped 1, failed 1, protected 1/);
    assert.match(r.stderr, /protected job\/ok-pods-left in prod: still has active pods/);
    assert.equal(r.code, 1);
  });

  it('exit 0 when every deletion succeeded or was skipped for safety', async () => {
    const r = await runCli(['clean', '--failed', '--yes', ...base()]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'deleted 1, skipped 0, failed 0\n');
  });

  it('-o json reports every outcome', async () => {
    const r = await runCli(['clean', '--succeeded', '--yes', '-o', 'json', ...base()]);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.deleted.map((d: { name: string }) => d.name).sort(), ['ok-1', 'ok-2']);
    assert.deepEqual(
      out.skipped.map((d: { name: string }) => d.name),
      ['ok-changed'],
    );
    assert.deepEqual(
      out.failed.map((d: { name: string }) => d.name),
      ['ok-broken'],
    );
    assert.deepEqual(out.protected, [{ namespace: 'prod', name: 'ok-pods-left', reason: 'active-pods' }]);
    assert.equal(out.left.notFinished, 1);
  });

  it('--dry-run=server needs no confirmation and sends dryRun: [All] in the DeleteOptions', async () => {
    const r = await runCli(['clean', '--failed', '--dry-run=server', ...base()]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      deletes().map((d) => d.body.dryRun),
      [['All']],
    );
    assert.match(r.stdout, /deleted 1 \(server dry run\)/);
  });

  it('--dry-run=client sends no DELETE and lists what would go', async () => {
    const r = await runCli(['clean', '--succeeded', '--dry-run=client', ...base()]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(deletes().length, 0);
    assert.match(r.stdout, /^NAMESPACE\s+NAME\s+OUTCOME\s+FINISHED\s+OWNER$/m);
    assert.match(r.stdout, /prod\s+ok-changed\s+succeeded/);
    assert.doesNotMatch(r.stdout, /busy|ok-pods-left/);
  });

  it('asks on a terminal: "n" deletes nothing, "y" goes ahead', async () => {
    const no = await runCli(['clean', '--failed', ...base()], { inputTTY: true, input: 'n\n' });
    assert.equal(no.code, 0, no.stderr);
    assert.match(no.stderr, /job\/bad-1 \(prod, failed\)\nDelete 1 finished Jobs\? \[y\/N\] nothing deleted\n/);
    assert.equal(deletes().length, 0);
    const yes = await runCli(['clean', '--failed', ...base()], { inputTTY: true, input: 'yes\n' });
    assert.equal(yes.code, 0, yes.stderr);
    assert.equal(yes.stdout, 'deleted 1, skipped 0, failed 0\n');
    assert.deepEqual(
      deletes().map((d) => d.path.split('/').pop()),
      ['bad-1'],
    );
  });

  it('a denied delete is refused up front: Forbidden names verb, resource and namespace; nothing deleted', async () => {
    denyDelete = true;
    const r = await runCli(['clean', '--succeeded', '--yes', ...base()]);
    assert.equal(r.code, 5);
    assert.match(r.stderr, /forbidden: you cannot delete jobs in namespace "prod"/);
    assert.equal(deletes().length, 0);
  });
});

describe('clean interrupted by Ctrl+C', () => {
  it('sends no new DELETE, waits for those in flight, reports the rest as not attempted, exit 130', async () => {
    const many = Array.from({ length: 40 }, (_, i) => finished(`done-${i}`, 'Complete'));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const s = memorySurroundings();
    let inFlight = 0;
    const api = await startFakeApi(async (r) => {
      if (r.method === 'GET' && r.path === '/apis/batch/v1/namespaces/prod/jobs')
        return { body: { items: many, metadata: {} } };
      if (r.method === 'POST' && r.path.endsWith('/selfsubjectaccessreviews'))
        return { status: 201, body: { status: { allowed: true } } };
      if (r.method === 'DELETE') {
        // Ctrl+C once every worker has a DELETE out (16 at a time), then they are answered.
        if (++inFlight === 16) {
          s.raise('SIGINT');
          release();
        }
        await released;
        return { body: { kind: 'Status', status: 'Success' } };
      }
      return undefined;
    });
    try {
      const code = await main(['clean', '--succeeded', '--yes', '--kubeconfig', api.kubeconfig, '-n', 'prod'], s);
      assert.equal(code, 130, s.err.text);
      assert.equal(api.requests.filter((q) => q.method === 'DELETE').length, 16);
      assert.match(s.err.text, /interrupted: no new deletions; waiting for those in flight/);
      assert.equal(s.out.text, 'deleted 16, skipped 0, failed 0, not attempted 24 (interrupted)\n');
    } finally {
      await api.close();
    }
  });
});

describe('parseClean (pure): what was typed -> options, or the usage error', () => {
  const raw = (opts: Record<string, unknown>) => ({ args: [], opts }) as RawInput<any>;
  const plain = { allNamespaces: false, yes: false, dryRun: 'none', format: 'text' } as const;
  const cases: Array<[string, RawInput<any>, CleanOptions | string]> = [
    ['--succeeded', raw({ succeeded: true }), { outcomes: ['succeeded'], ...plain }],
    ['--failed', raw({ failed: true }), { outcomes: ['failed'], ...plain }],
    [
      'every flag',
      raw({
        succeeded: true,
        failed: true,
        olderThan: '7d',
        keep: '3',
        selector: 'team=data,tier!=db',
        allNamespaces: true,
        yes: true,
        output: 'json',
      }),
      {
        outcomes: ['succeeded', 'failed'],
        olderThanMs: 7 * 86_400_000,
        keep: 3,
        selector: 'team=data,tier!=db',
        allNamespaces: true,
        yes: true,
        dryRun: 'none',
        format: 'json',
      },
    ],
    ['--keep 0 keeps none', raw({ failed: true, keep: '0' }), { outcomes: ['failed'], keep: 0, ...plain }],
    ['-o NAME', raw({ failed: true, output: 'NAME' }), { outcomes: ['failed'], ...plain, format: 'name' }],
    [
      'a bare --dry-run is client',
      raw({ failed: true, dryRun: true }),
      { outcomes: ['failed'], ...plain, dryRun: 'client' },
    ],
    ['--dry-run=server', raw({ failed: true, dryRun: 'server' }), { outcomes: ['failed'], ...plain, dryRun: 'server' }],
    [
      '--snapshot with --dry-run=client',
      raw({ failed: true, dryRun: 'client', snapshot: 'snap.yaml' }),
      { outcomes: ['failed'], ...plain, dryRun: 'client' },
    ],
    ['neither outcome', raw({ yes: true }), 'say which finished Jobs to delete: --succeeded, --failed, or both'],
    [
      '-o yaml',
      raw({ succeeded: true, output: 'yaml' }),
      'unable to match a printer suitable for the output format "yaml", allowed formats are: name,json',
    ],
    [
      '--dry-run=maybe',
      raw({ succeeded: true, dryRun: 'maybe' }),
      'invalid --dry-run value "maybe": must be "none", "client" or "server" (write it as --dry-run=server)',
    ],
    [
      '--snapshot without --dry-run=client',
      raw({ succeeded: true, snapshot: 'snap.yaml' }),
      'clean changes the cluster: --snapshot snap.yaml is read-only',
    ],
    [
      '--older-than without a unit',
      raw({ succeeded: true, olderThan: '7' }),
      'invalid duration for --older-than: "7": time: missing unit in duration "7" (use e.g. 90s, 1m30s, 2h, 7d, 1w)',
    ],
    ['--keep -1', raw({ succeeded: true, keep: '-1' }), '--keep takes a whole number of at least 1, not "-1"'],
    ['--keep many', raw({ succeeded: true, keep: 'many' }), '--keep takes a whole number of at least 1, not "many"'],
    [
      'a -l that is no selector',
      raw({ succeeded: true, selector: 'a=(b' }),
      'invalid label selector for -l "a=(b": unbalanced parentheses',
    ],
  ];
  for (const [name, input, want] of cases) {
    it(name, () => {
      if (typeof want === 'string') {
        assertUsageError(() => parseClean(input), want);
      } else {
        assert.deepEqual(parseClean(input), want);
      }
    });
  }
});
