// The kubeconfig fast path must never disagree with the yaml library: on every document it
// answers, its value equals parse(text, { version: '1.1' }); it must answer the usual
// kubeconfig shapes (or it would be dead code); and it declines what it does not handle.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { parseSimpleYaml } from '../../src/cluster/simple-yaml.js';

function library(text: string): { value?: unknown; error?: true } {
  try {
    return { value: parse(text, { version: '1.1' }) };
  } catch {
    return { error: true };
  }
}

/** Asserts the fast path agrees with the library; returns whether it answered. */
function agrees(text: string): boolean {
  const fast = parseSimpleYaml(text);
  if (fast === undefined) return false;
  const lib = library(text);
  assert.ok(!lib.error, `the fast path answered a document the library rejects:\n${text}`);
  assert.deepEqual(fast, lib.value, `fast path and library differ on:\n${text}`);
  return true;
}

const KUBECTL_STYLE = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJkekNDQVIyZ0F3SUJBZ0lCQURBS0JnZ3Foa2pPUFFRREFqQWpNU0V3SHdZRFZRUUREQmhyTTNNdGMyVnkK
    server: https://127.0.0.1:6443
  name: kind-dev
- cluster:
    insecure-skip-tls-verify: true
    server: https://10.0.0.1:443
    tls-server-name: kubernetes.default
  name: other
contexts:
- context:
    cluster: kind-dev
    namespace: team-a
    user: kind-dev
  name: kind-dev
current-context: kind-dev
kind: Config
preferences: {}
users:
- name: kind-dev
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
    client-key-data: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t
- name: gke
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args: null
      command: gke-gcloud-auth-plugin
      env: null
      installHint: Install gke-gcloud-auth-plugin for use with kubectl by following
        https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin
      interactiveMode: IfAvailable
      provideClusterInfo: true
`;

test('kubectl-written kubeconfigs are answered, and answered as the library does', () => {
  // The exec user's installHint continues on a second line: the whole file goes to the library.
  assert.equal(parseSimpleYaml(KUBECTL_STYLE), undefined);
  const oneLineHint = KUBECTL_STYLE.replace(/installHint: .*\n.*\n/, 'installHint: see the docs\n');
  assert.ok(agrees(oneLineHint));
  assert.ok(
    agrees(`# written by hand
apiVersion: v1
kind: Config
current-context: "dev"   # quoted
clusters:
  - name: 'it''s'
    cluster:
      server: https://a.example:6443 # trailing comment
      insecure-skip-tls-verify: yes
users:
  - name: u
    user:
      token: abc.def-ghi_jkl
      as-groups:
        - devs
        - ops
      as-user-extra: {}
contexts: []
`),
  );
});

test('what the fast path declines, the library decides', () => {
  const declined = [
    'a: [x, y]',
    'a: {b: c}',
    'a: &x b\nc: *x',
    'a: !!str 1',
    'a: |\n  x',
    'a: >\n  x',
    'a: 1',
    'a: 0755',
    'a: -1',
    'a: .5',
    'a: 2001-12-14',
    'a: "x\\ny"',
    'a: x\n  continued',
    '"a": b',
    'a: b: c',
    'y: 1',
    'on: x',
    'a: b\na: c',
    '- - x',
    'a:\tb',
    'a: café',
    '--- a\n--- b',
    'a: @x',
    'a: `x`',
    'x',
    'a: b,c',
  ];
  for (const text of declined) assert.equal(parseSimpleYaml(text), undefined, JSON.stringify(text));
});

test('differential: 20,000 generated documents agree with the library wherever the fast path answers', () => {
  let seed = 20261129;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const scalars = [
    'abc',
    'https://127.0.0.1:6443',
    'LS0tLS1CRUdJTg==',
    'y',
    'n',
    'yes',
    'No',
    'on',
    'OFF',
    'true',
    'False',
    '~',
    'null',
    '',
    ' lead',
    'trail ',
    'a: b',
    'a #b',
    '#c',
    "it's",
    'say "hi"',
    'x:y',
    '1',
    '0755',
    '1e3',
    '.inf',
    '2001-12-14',
    '-',
    '- x',
    '?',
    '@',
    'a\tb',
    'ü',
    'kind-dev',
    'system:masters',
    'a,b',
    '[x]',
    '{}',
    '=',
    '<<',
    'tokenFile',
    '0x1F',
    '+1',
    '12:30',
    'C:\\path',
    '%x',
  ] as const;
  const keys = [
    'name',
    'server',
    'user',
    'cluster',
    'as-groups',
    'tokenFile',
    'current-context',
    'a.b/c',
    'y',
    'on',
    'x y',
    '1',
    'ü',
  ] as const;
  const value = (depth: number): unknown => {
    const r = rnd();
    if (depth > 3 || r < 0.45)
      return r < 0.05 ? null : r < 0.1 ? rnd() < 0.5 : r < 0.12 ? Math.floor(rnd() * 100) : pick(scalars);
    if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, () => [pick(keys), value(depth + 1)]));
  };
  let answered = 0;
  const N = 20_000;
  for (let i = 0; i < N; i++) {
    const doc = Object.fromEntries(Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => [pick(keys), value(0)]));
    let text = stringify(doc, {
      version: '1.1',
      indentSeq: rnd() < 0.5,
      indent: pick([2, 2, 4]),
      defaultStringType: pick(['PLAIN', 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'] as const),
      defaultKeyType: 'PLAIN',
      lineWidth: 0,
    });
    if (rnd() < 0.2) text = text.replace(/\n/g, ' # note\n');
    if (rnd() < 0.1) text = `---\n${text}`;
    if (agrees(text)) answered++;
  }
  assert.ok(answered > N / 10, `the fast path answered only ${answered} of ${N} documents`);
});
