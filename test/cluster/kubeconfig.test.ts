import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseRequestTimeout, resolveConnection } from '../../src/cluster/kubeconfig.js';
import { ClusterError, UsageError } from '../../src/errors.js';

function kubeconfig(
  dir: string,
  file: string,
  o: { current?: string; contexts: Array<[string, string, string?]>; clusters: Array<[string, string]> },
): string {
  const p = path.join(dir, file);
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    `current-context: "${o.current ?? ''}"`,
    'clusters:',
    ...o.clusters.map(([n, s]) => `- name: ${n}\n  cluster:\n    server: ${s}\n    insecure-skip-tls-verify: true`),
    'users:',
    ...o.contexts.map(([, ,]) => '').filter(Boolean),
    '- name: u\n  user:\n    token: abc',
    'contexts:',
    ...o.contexts.map(
      ([n, c, ns]) => `- name: ${n}\n  context:\n    cluster: ${c}\n    user: u${ns ? `\n    namespace: ${ns}` : ''}`,
    ),
  ];
  fs.writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'kj-kc-'));

test('KUBECONFIG list: the first file to set current-context and to define a name wins, as in kubectl', () => {
  const d = tmp();
  const a = kubeconfig(d, 'a', {
    current: 'one',
    contexts: [['one', 'c1', 'team-a']],
    clusters: [
      ['c1', 'https://a.example:6443'],
      ['shared', 'https://first.example'],
    ],
  });
  const b = kubeconfig(d, 'b', {
    current: 'two',
    contexts: [['two', 'shared']],
    clusters: [
      ['shared', 'https://second.example'],
      ['c2', 'https://b.example'],
    ],
  });
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
  const a = kubeconfig(d, 'a', {
    current: 'one',
    contexts: [['one', 'c1', 'team-a']],
    clusters: [['c1', 'https://a.example']],
  });
  const b = kubeconfig(d, 'b', { current: 'two', contexts: [['two', 'c2']], clusters: [['c2', 'https://b.example']] });
  const c = resolveConnection({ kubeconfig: b, namespace: 'prod' }, { KUBECONFIG: a, HOME: d });
  assert.equal(c.contextName, 'two');
  assert.equal(c.namespace, 'prod');
});

test('an unknown --context is a clear error', () => {
  const d = tmp();
  const a = kubeconfig(d, 'a', { current: 'one', contexts: [['one', 'c1']], clusters: [['c1', 'https://a.example']] });
  assert.throws(
    () => resolveConnection({ context: 'nope' }, { KUBECONFIG: a, HOME: d }),
    (e: unknown) => e instanceof ClusterError && e.kind === 'Config' && e.message === 'context "nope" does not exist',
  );
});

test('no kubeconfig anywhere is a clear error that points at --snapshot', () => {
  const d = tmp();
  assert.throws(
    () => resolveConnection({}, { HOME: d }),
    (e: unknown) =>
      e instanceof ClusterError && /no kubeconfig found/.test(e.message) && /--snapshot/.test(e.hint ?? ''),
  );
});

test('--server and --token override the current context', () => {
  const d = tmp();
  const a = kubeconfig(d, 'a', {
    current: 'one',
    contexts: [['one', 'c1', 'ns1']],
    clusters: [['c1', 'https://a.example']],
  });
  const c = resolveConnection({ server: 'https://other.example:8443', token: 't0k' }, { KUBECONFIG: a, HOME: d });
  assert.equal(c.server, 'https://other.example:8443');
  assert.equal(c.headers.Authorization, 'Bearer t0k');
  assert.equal(c.namespace, 'ns1');
});

test('--as and --as-group become impersonation headers', () => {
  const d = tmp();
  const a = kubeconfig(d, 'a', { current: 'one', contexts: [['one', 'c1']], clusters: [['c1', 'https://a.example']] });
  const c = resolveConnection({ as: 'jane', asGroup: ['devs', 'ops'] }, { KUBECONFIG: a, HOME: d });
  assert.deepEqual(c.headers, {
    Authorization: 'Bearer abc',
    'Impersonate-User': 'jane',
    'Impersonate-Group': ['devs', 'ops'],
  });
});

test('--request-timeout accepts kubectl forms', () => {
  assert.equal(parseRequestTimeout('0'), 0);
  assert.equal(parseRequestTimeout('5'), 5000);
  assert.equal(parseRequestTimeout('1m'), 60000);
  assert.equal(parseRequestTimeout('250ms'), 250);
  // Go durations, through the one parser (src/controller/duration.ts)
  assert.equal(parseRequestTimeout('1m30s'), 90_000);
  assert.equal(parseRequestTimeout('1.5h'), 5_400_000);
  assert.equal(parseRequestTimeout('+5'), 5000);
  assert.equal(parseRequestTimeout('2h45m0.5s'), 9_900_500);
  for (const bad of ['soon', '-1s', '-5', '5d', '1m 30s', '.s'])
    assert.throws(() => parseRequestTimeout(bad), UsageError, bad);
  assert.throws(() => parseRequestTimeout('soon'), UsageError); // exit 2, like every bad flag
});

function write(dir: string, file: string, text: string): string {
  const p = path.join(dir, file);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

test('paths are relative to the kubeconfig that names them; files and inline data give the same bytes', () => {
  const d = tmp();
  write(d, 'sub/ca.pem', 'CA-FROM-FILE');
  write(d, 'sub/c.pem', 'CERT');
  write(d, 'sub/k.pem', 'KEY');
  const a = write(
    d,
    'a',
    `
current-context: one
clusters: [{name: c1, cluster: {server: "https://a.example", certificate-authority-data: ${Buffer.from('CA-DATA').toString('base64')}}}]
users: [{name: u1, user: {client-certificate-data: ${Buffer.from('CERT').toString('base64')}, client-key-data: ${Buffer.from('KEY').toString('base64')}}}]
contexts: [{name: one, context: {cluster: c1, user: u1}}]
`,
  );
  const b = write(
    d,
    'sub/b',
    `
current-context: two
clusters: [{name: c2, cluster: {server: "https://b.example", certificate-authority: ca.pem, tls-server-name: api.internal}}]
users: [{name: u2, user: {client-certificate: c.pem, client-key: ./k.pem}}]
contexts: [{name: two, context: {cluster: c2, user: u2}}]
`,
  );
  const env = { KUBECONFIG: [a, path.join(d, 'missing'), b].join(path.delimiter), HOME: d };
  const one = resolveConnection({}, env);
  assert.equal(one.tls.ca?.toString(), 'CA-DATA');
  const two = resolveConnection({ context: 'two' }, env);
  assert.equal(two.tls.ca?.toString(), 'CA-FROM-FILE');
  assert.equal(two.tls.servername, 'api.internal');
  assert.equal(two.tls.cert?.toString(), 'CERT');
  assert.equal(two.tls.key?.toString(), 'KEY');
  assert.deepEqual(one.tls.cert, two.tls.cert);
  assert.equal(two.tls.rejectUnauthorized, true);
  assert.equal(two.headers.Authorization, undefined);
  // --server drops the kubeconfig's tls-server-name; --insecure-skip-tls-verify drops its CA.
  const moved = resolveConnection({ context: 'two', server: 'https://10.0.0.1', insecureSkipTlsVerify: true }, env);
  assert.equal(moved.tls.servername, undefined);
  assert.equal(moved.tls.ca, undefined);
  assert.equal(moved.tls.rejectUnauthorized, false);
  // --user and --cluster pick other entries (from any file).
  const mixed = resolveConnection({ context: 'two', user: 'u1', cluster: 'c1' }, env);
  assert.equal(mixed.server, 'https://a.example');
  assert.equal(mixed.tls.ca?.toString(), 'CA-DATA');
  assert.throws(() => resolveConnection({ user: 'nobody' }, env), /user "nobody" does not exist/);
});

test('a readable token file wins over an inline token (as in client-go); basic auth; nothing over plain http', () => {
  const d = tmp();
  write(d, 'tok', '  from-file\n');
  const file = write(
    d,
    'config',
    `
current-context: t
clusters: [{name: s, cluster: {server: "https://s.example"}}, {name: plain, cluster: {server: "http://127.0.0.1:8001"}}]
users:
- {name: both, user: {token: inline, tokenFile: tok}}
- {name: gone, user: {token: inline, tokenFile: no-such-file}}
- {name: basic, user: {username: admin, password: "s3cret"}}
contexts:
- {name: t, context: {cluster: s, user: both}}
- {name: g, context: {cluster: s, user: gone}}
- {name: b, context: {cluster: s, user: basic}}
- {name: p, context: {cluster: plain, user: both}}
`,
  );
  const env = { HOME: d };
  assert.equal(resolveConnection({ kubeconfig: file }, env).headers.Authorization, 'Bearer from-file');
  assert.equal(resolveConnection({ kubeconfig: file, context: 'g' }, env).headers.Authorization, 'Bearer inline');
  assert.equal(
    resolveConnection({ kubeconfig: file, context: 'b' }, env).headers.Authorization,
    `Basic ${Buffer.from('admin:s3cret').toString('base64')}`,
  );
  assert.equal(resolveConnection({ kubeconfig: file, context: 'p' }, env).headers.Authorization, undefined);
});

test('impersonation from the kubeconfig user, overridden by --as / --as-group', () => {
  const d = tmp();
  const file = write(
    d,
    'config',
    `
current-context: x
clusters: [{name: s, cluster: {server: "https://s.example", insecure-skip-tls-verify: yes}}]
users: [{name: u, user: {token: t, as: jane, as-groups: [devs], as-uid: "42", as-user-extra: {scopes: [a, b]}}}]
contexts: [{name: x, context: {cluster: s, user: u}}]
`,
  );
  const c = resolveConnection({ kubeconfig: file }, { HOME: d });
  assert.equal(c.tls.rejectUnauthorized, false, 'YAML 1.1 "yes" is true, as in Go');
  assert.deepEqual(c.headers, {
    Authorization: 'Bearer t',
    'Impersonate-User': 'jane',
    'Impersonate-Group': ['devs'],
    'Impersonate-Uid': '42',
    'Impersonate-Extra-scopes': ['a', 'b'],
  });
  const o = resolveConnection({ kubeconfig: file, as: 'bob', asGroup: ['ops'] }, { HOME: d });
  assert.equal(o.headers['Impersonate-User'], 'bob');
  assert.deepEqual(o.headers['Impersonate-Group'], ['ops']);
});

test('exec and auth-provider users are handed over with absolute paths; static users need no plugin', () => {
  const d = tmp();
  const file = write(
    d,
    'config',
    `
current-context: x
clusters: [{name: s, cluster: {server: "https://s.example"}}]
users:
- {name: rel, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/get-token, args: [x]}}}
- {name: onpath, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: gke-gcloud-auth-plugin}}}
- {name: static, user: {token: t}}
contexts:
- {name: x, context: {cluster: s, user: rel}}
- {name: on-path, context: {cluster: s, user: onpath}}
- {name: static, context: {cluster: s, user: static}}
`,
  );
  const rel = resolveConnection({ kubeconfig: file }, { HOME: d });
  assert.equal((rel.plugin?.user.exec as { command: string } | undefined)?.command, path.join(d, 'bin', 'get-token'));
  const onPath = resolveConnection({ kubeconfig: file, context: 'on-path' }, { HOME: d });
  assert.equal((onPath.plugin?.user.exec as { command: string } | undefined)?.command, 'gke-gcloud-auth-plugin');
  assert.equal(resolveConnection({ kubeconfig: file, context: 'static' }, { HOME: d }).plugin, undefined);
});

test('a field of the wrong type makes the file unreadable, as in kubectl (YAML 1.1 scalars)', () => {
  const d = tmp();
  const good = 'current-context: x\ncontexts: [{name: x, context: {cluster: s}}]\n';
  const cases: Array<[string, RegExp]> = [
    [
      'clusters: [{name: s, cluster: {server: "https://s", insecure-skip-tls-verify: "true"}}]',
      /"insecure-skip-tls-verify" of cluster "s" must be a boolean/,
    ],
    [
      'clusters: [{name: s, cluster: {server: "https://s", tls-server-name: 0755}}]',
      /"tls-server-name" of cluster "s" must be a string/,
    ],
    ['clusters: [{name: y, cluster: {server: "https://s"}}]', /"name" of an entry of "clusters" must be a string/],
  ];
  for (const [clusters, message] of cases) {
    const file = write(d, 'config', `${good + clusters}\n`);
    assert.throws(
      () => resolveConnection({ kubeconfig: file }, { HOME: d }),
      (e: unknown) => e instanceof ClusterError && e.kind === 'Config' && message.test(e.message),
      clusters,
    );
  }
  const file = write(
    d,
    'config',
    `${good}clusters: [{name: s, cluster: {server: "https://s", insecure-skip-tls-verify: on}}]\n`,
  );
  assert.equal(
    resolveConnection({ kubeconfig: file }, { HOME: d }).tls.rejectUnauthorized,
    false,
    'YAML 1.1 "on" is true',
  );
});

test('a kubeconfig that is not YAML is a clear error', () => {
  const d = tmp();
  const file = write(d, 'config', 'clusters: [unclosed\n');
  assert.throws(
    () => resolveConnection({ kubeconfig: file }, { HOME: d }),
    (e: unknown) =>
      e instanceof ClusterError && e.kind === 'Config' && e.message.startsWith(`cannot read kubeconfig ${file}`),
  );
});
