// The names shell completion offers, looked up in cluster/: kubeconfig names through kubeconfig.ts's
// file resolution (kubectl's precedence), namespaces from the API, objects from a snapshot file,
// and [] whenever the lookup cannot answer.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { clusterLookup, quietly } from '../../src/cluster/completion-lookups.js';
import { kubeconfigNames } from '../../src/cluster/kubeconfig.js';
import { startFakeApi } from '../cli/fake-api.js';
import { EXAMPLE } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kj-completion-lookups-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A kubeconfig file with these context, cluster and user names. */
function kubeconfig(file: string, names: { contexts?: string[]; clusters?: string[]; users?: string[] }): string {
  const p = join(dir, file);
  const list = (key: string, inner: string, body: string, ns: string[] = []) =>
    ns.length === 0 ? [`${key}: []`] : [`${key}:`, ...ns.map((n) => `- name: ${n}\n  ${inner}: ${body}`)];
  writeFileSync(
    p,
    [
      'apiVersion: v1',
      'kind: Config',
      ...list('clusters', 'cluster', '{server: "https://127.0.0.1:1"}', names.clusters),
      ...list('users', 'user', '{token: t}', names.users),
      ...list('contexts', 'context', '{cluster: c}', names.contexts),
      '',
    ].join('\n'),
  );
  return p;
}

const a = kubeconfig('a', { contexts: ['dev', 'shared'], clusters: ['c-a'], users: ['alice'] });
const b = kubeconfig('b', { contexts: ['shared', 'prod'], clusters: ['c-b'], users: ['bob', 'alice'] });
const home = join(dir, 'home');

describe('kubeconfig names, from the files kubectl would read', () => {
  test('KUBECONFIG holding two files: the names of both, in merge order, each once', () => {
    const env = { KUBECONFIG: [a, b].join(delimiter), HOME: home };
    assert.deepEqual(kubeconfigNames('contexts', {}, env), ['dev', 'shared', 'prod']);
    assert.deepEqual(kubeconfigNames('clusters', {}, env), ['c-a', 'c-b']);
    assert.deepEqual(kubeconfigNames('users', {}, env), ['alice', 'bob']);
    // the order of the list is the merge order
    assert.deepEqual(kubeconfigNames('contexts', {}, { KUBECONFIG: [b, a].join(delimiter), HOME: home }), [
      'shared',
      'prod',
      'dev',
    ]);
  });

  test('--kubeconfig wins over KUBECONFIG; ~/.kube/config is read when neither is set', () => {
    assert.deepEqual(kubeconfigNames('contexts', { kubeconfig: b }, { KUBECONFIG: a, HOME: home }), ['shared', 'prod']);
    const withHome = join(dir, 'with-home');
    mkdirSync(join(withHome, '.kube'), { recursive: true });
    writeFileSync(join(withHome, '.kube', 'config'), 'contexts:\n- name: from-home\n  context: {cluster: c}\n');
    assert.deepEqual(kubeconfigNames('contexts', {}, { HOME: withHome }), ['from-home']);
    assert.deepEqual(
      kubeconfigNames('contexts', {}, { KUBECONFIG: a, HOME: withHome }),
      ['dev', 'shared'],
      'KUBECONFIG before ~/.kube/config',
    );
  });

  test('a missing file gives [], as does no kubeconfig at all; an unreadable file in the list is left out', () => {
    const missing = join(dir, 'missing');
    assert.deepEqual(kubeconfigNames('contexts', { kubeconfig: missing }, { KUBECONFIG: a, HOME: home }), []);
    assert.deepEqual(kubeconfigNames('contexts', {}, { KUBECONFIG: missing, HOME: home }), []);
    assert.deepEqual(kubeconfigNames('contexts', {}, { HOME: home }), []);
    assert.deepEqual(
      kubeconfigNames('contexts', {}, { KUBECONFIG: [missing, b].join(delimiter), HOME: home }),
      ['shared', 'prod'],
      'missing files in KUBECONFIG are skipped, as kubectl does',
    );
    const broken = join(dir, 'broken');
    writeFileSync(broken, 'contexts: {not: a list}\n');
    assert.deepEqual(kubeconfigNames('contexts', { kubeconfig: broken }, { HOME: home }), []);
    assert.deepEqual(kubeconfigNames('contexts', {}, { KUBECONFIG: [broken, a].join(delimiter), HOME: home }), [
      'dev',
      'shared',
    ]);
  });

  test('the lookup completion uses reads the same files (--kubeconfig typed)', async () => {
    assert.deepEqual(await clusterLookup.kubeconfigNames('users', { kubeconfig: b }), ['bob', 'alice']);
    assert.deepEqual(await clusterLookup.kubeconfigNames('contexts', { kubeconfig: join(dir, 'missing') }), []);
  });
});

describe('cluster names', () => {
  test('namespaces: a list request to the API server the flags select', async () => {
    const api = await startFakeApi((r) =>
      r.path === '/api/v1/namespaces'
        ? {
            body: {
              kind: 'NamespaceList',
              items: [{ metadata: { name: 'default' } }, { metadata: {} }, { metadata: { name: 'prod' } }],
            },
          }
        : undefined,
    );
    try {
      assert.deepEqual(await clusterLookup.namespaces({ kubeconfig: api.kubeconfig, requestTimeout: '2s' }), [
        'default',
        'prod',
      ]);
      assert.deepEqual(
        api.requests.map((r) => `${r.method} ${r.path}`),
        ['GET /api/v1/namespaces'],
      );
      // forbidden or failing: nothing, silently
      const before = api.requests.length;
      assert.deepEqual(await clusterLookup.namespaces({ kubeconfig: api.kubeconfig, context: 'nope' }), []);
      assert.equal(api.requests.length, before, 'an unknown context sends nothing');
    } finally {
      await api.close();
    }
  });

  test('namespaces of a snapshot: none offered (and no cluster contacted)', async () => {
    assert.deepEqual(await clusterLookup.namespaces({ snapshot: EXAMPLE, kubeconfig: join(dir, 'missing') }), []);
  });

  test('objects from a snapshot file: the kinds asked for, sorted, CronJobs with their schedule', async () => {
    const cronJobs = await clusterLookup.objects(['CronJob'], { snapshot: EXAMPLE });
    assert.ok(
      cronJobs.length > 0 && cronJobs.every((o) => o.kind === 'CronJob' && /^schedule "/.test(o.detail ?? '')),
      JSON.stringify(cronJobs),
    );
    const names = cronJobs.map((o) => o.name);
    assert.deepEqual(
      names,
      [...names].sort((x, y) => x.localeCompare(y)),
    );
    const both = await clusterLookup.objects(['CronJob', 'Job'], { snapshot: EXAMPLE });
    assert.ok(
      both.some((o) => o.kind === 'Job'),
      'Jobs too when asked',
    );
    assert.deepEqual(
      await clusterLookup.objects(['CronJob'], { snapshot: join(dir, 'missing') }),
      [],
      'an unreadable snapshot gives nothing',
    );
  });

  test('a lookup that takes longer than its budget answers the fallback', async () => {
    const started = Date.now();
    assert.deepEqual(await quietly(() => new Promise<string[]>(() => {}), [], 50), []);
    assert.ok(Date.now() - started < 1000);
    assert.deepEqual(await quietly(() => Promise.reject(new Error('x')), ['fallback'], 50), ['fallback']);
  });
});
