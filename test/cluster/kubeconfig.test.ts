import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseRequestTimeout, resolveConnection } from '../../src/cluster/kubeconfig.js';
import { ClusterError } from '../../src/errors.js';

function kubeconfig(dir: string, file: string, o: { current?: string; contexts: Array<[string, string, string?]>; clusters: Array<[string, string]> }): string {
  const p = path.join(dir, file);
  const lines = [
    'apiVersion: v1', 'kind: Config',
    `current-context: "${o.current ?? ''}"`,
    'clusters:', ...o.clusters.map(([n, s]) => `- name: ${n}\n  cluster:\n    server: ${s}\n    insecure-skip-tls-verify: true`),
    'users:', ...o.contexts.map(([, , ]) => '').filter(Boolean), '- name: u\n  user:\n    token: abc',
    'contexts:', ...o.contexts.map(([n, c, ns]) => `- name: ${n}\n  context:\n    cluster: ${c}\n    user: u${ns ? `\n    namespace: ${ns}` : ''}`),
  ];
  fs.writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'kj-kc-'));

test('KUBECONFIG list: the first file to set current-context and to define a name wins, as in kubectl', () => {
  const d = tmp();
  const a = kubeconfig(d, 'a', { current: 'one', contexts: [['one', 'c1', 'team-a']], clusters: [['c1', 'https://a.example:6443'], ['shared', 'https://first.example']] });
  const b = kubeconfig(d, 'b', { current: 'two', contexts: [['two', 'shared']], clusters: [['shared', 'https://second.example'], ['c2', 'https://b.example']] });
  const c = resolveConnection({}, { KUBECONFIG: [a, b].join(path.delimiter), HOME: d });
  assert.equal(c.contextName, 'one');
  assert.equal(c.server, 'https://a.example:6443');
  assert.equal(c.namespace, 'team-a');
  const two = resolveConnection({ context: 'two' }, { KUBECONFIG: [a, b].join(path.delimiter), HOME: d });
  assert.equal(two.server, 'https://first.example', 'duplicate cluster name: the first file wins');
  assert.equal(two.namespace, 'default');
});

test('-n overrides the context namespace; --kubeconfig loads only that file', () => {
  const d = tmp();
  const a = kubeconfig(d, 'a', { current: 'one', contexts: [['one', 'c1', 'team-a']], clusters: [['c1', 'https://a.example']] });
  const b = kubeconfig(d, 'b', { current: 'two', contexts: [['two', 'c2']], clusters: [['c2', 'https://b.example']] });
  const c = resolveConnection({ kubeconfig: b, namespace: 'prod' }, { KUBECONFIG: a, HOME: d });
  assert.equal(c.contextName, 'two');
  assert.equal(c.namespace, 'prod');
});

test('an unknown --context is a clear error', () => {
  const d = tmp();
  const a = kubeconfig(d, 'a', { current: 'one', contexts: [['one', 'c1']], clusters: [['c1', 'https://a.example']] });
  assert.throws(() => resolveConnection({ context: 'nope' }, { KUBECONFIG: a, HOME: d }), (e: unknown) =>
    e instanceof ClusterError && e.kind === 'Config' && e.message === 'context "nope" does not exist');
});

test('no kubeconfig anywhere is a clear error that points at --snapshot', () => {
  const d = tmp();
  assert.throws(() => resolveConnection({}, { HOME: d }), (e: unknown) =>
    e instanceof ClusterError && /no kubeconfig found/.test(e.message) && /--snapshot/.test(e.hint ?? ''));
});

test('--server and --token override the current context', () => {
  const d = tmp();
  const a = kubeconfig(d, 'a', { current: 'one', contexts: [['one', 'c1', 'ns1']], clusters: [['c1', 'https://a.example']] });
  const c = resolveConnection({ server: 'https://other.example:8443', token: 't0k' }, { KUBECONFIG: a, HOME: d });
  assert.equal(c.server, 'https://other.example:8443');
  assert.equal(c.kc.getCurrentUser()?.token, 't0k');
  assert.equal(c.namespace, 'ns1');
});

test('--as and --as-group become impersonation headers', () => {
  const d = tmp();
  const a = kubeconfig(d, 'a', { current: 'one', contexts: [['one', 'c1']], clusters: [['c1', 'https://a.example']] });
  const c = resolveConnection({ as: 'jane', asGroup: ['devs', 'ops'] }, { KUBECONFIG: a, HOME: d });
  assert.deepEqual(c.headers, { 'Impersonate-User': 'jane', 'Impersonate-Group': ['devs', 'ops'] });
});

test('--request-timeout accepts kubectl forms', () => {
  assert.equal(parseRequestTimeout('0'), 0);
  assert.equal(parseRequestTimeout('5'), 5000);
  assert.equal(parseRequestTimeout('1m'), 60000);
  assert.equal(parseRequestTimeout('250ms'), 250);
  assert.throws(() => parseRequestTimeout('soon'), ClusterError);
});
