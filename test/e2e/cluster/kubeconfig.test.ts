// The tool reads kubeconfigs without the client library (src/cluster/kubeconfig.ts). Here each
// way of writing a kubeconfig, and each connection flag, is checked against the real kubectl on
// the real API server: both ask the server who they are (a SelfSubjectReview, `kubectl auth
// whoami`) and must be told the same user, groups and extra, or fail alike. The tool's side
// runs under Node, or under Bun when the suite checks the executable (see RUNTIME).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { createServer as createSocks5Server } from '@pondwader/socks5-server';
import { createProxy } from 'proxy';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { fileURLToPath } from 'node:url';
import type { ConnectionFlags } from '../../../src/cluster/kubeconfig.js';
import { e2eSkipReason, kubectl, kubectlPath, useControlPlane } from '../harness/index.js';

const WHOAMI = fileURLToPath(new URL('./whoami.ts', import.meta.url));
/**
 * The runtime of the tool's side: Bun (the executable's runtime, fetch transport) when the suite
 * checks the executable (KUBECTL_JOB_EXE), else this Node (node:https transport).
 */
const RUNTIME = process.env.KUBECTL_JOB_EXE
  ? { cmd: fileURLToPath(new URL('../../../node_modules/bun/bin/bun.exe', import.meta.url)), args: [] as string[] }
  : { cmd: process.execPath, args: ['--import', 'tsx'] };

interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}
interface Review {
  status?: { userInfo?: UserInfo };
}

/** kubectl's flags for the same ConnectionFlags. */
function kubectlFlags(f: ConnectionFlags): string[] {
  const out: string[] = [];
  if (f.kubeconfig) out.push('--kubeconfig', f.kubeconfig);
  if (f.context) out.push('--context', f.context);
  if (f.cluster) out.push('--cluster', f.cluster);
  if (f.user) out.push('--user', f.user);
  if (f.server) out.push('--server', f.server);
  if (f.token) out.push('--token', f.token);
  if (f.insecureSkipTlsVerify) out.push('--insecure-skip-tls-verify');
  if (f.as) out.push('--as', f.as);
  for (const g of f.asGroup ?? []) out.push('--as-group', g);
  if (f.asUid) out.push('--as-uid', f.asUid);
  if (f.certificateAuthority) out.push('--certificate-authority', f.certificateAuthority);
  if (f.clientCertificate) out.push('--client-certificate', f.clientCertificate);
  if (f.clientKey) out.push('--client-key', f.clientKey);
  if (f.tlsServerName) out.push('--tls-server-name', f.tlsServerName);
  if (f.username) out.push('--username', f.username);
  if (f.password) out.push('--password', f.password);
  if (f.requestTimeout) out.push('--request-timeout', f.requestTimeout);
  return out;
}

/** Who kubectl is, or its error (first line). */
function kubectlWhoami(f: ConnectionFlags, env: NodeJS.ProcessEnv): Promise<UserInfo | { error: true }> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlPath()!, ['auth', 'whoami', '-o', 'json', ...kubectlFlags(f)], {
      env: { ...env, PATH: process.env.PATH },
      timeout: 30_000,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (process.env.E2E_DEBUG) process.stderr.write(`kubectl: ${err}\n`);
      resolve(code === 0 ? normal((JSON.parse(out) as Review).status?.userInfo) : { error: true });
    });
  });
}

/** Who the tool is, through its own kubeconfig resolution and transport (whoami.ts), or its error. */
function toolWhoami(f: ConnectionFlags, env: NodeJS.ProcessEnv): Promise<UserInfo | { error: true }> {
  return new Promise((resolve, reject) => {
    const child = spawn(RUNTIME.cmd, [...RUNTIME.args, WHOAMI, JSON.stringify(f)], {
      env: { ...env, PATH: process.env.PATH },
      timeout: 30_000,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`whoami.ts exited ${code}: ${err}`));
      const r = JSON.parse(out) as UserInfo & { error?: string };
      if (process.env.E2E_DEBUG && r.error) process.stderr.write(`tool: ${r.error}\n`);
      resolve(r.error !== undefined ? { error: true } : normal(r));
    });
  });
}

function normal(u: UserInfo | undefined): UserInfo {
  return { username: u?.username, uid: u?.uid ?? '', groups: [...(u?.groups ?? [])].sort(), extra: u?.extra ?? {} };
}

describe('kubeconfig resolution agrees with kubectl on the real API server', { skip: e2eSkipReason() }, () => {
  const controlPlane = useControlPlane({ kubelet: false });

  test('files, merging, relative paths, tokens, impersonation, exec plugins and flags', {
    timeout: 180_000,
  }, async () => {
    const cp = controlPlane();
    // The harness's kubeconfigs carry inline data; their bytes are written out as files here.
    type Doc = { clusters: Array<{ cluster: Record<string, string> }>; users: Array<{ user: Record<string, string> }> };
    const admin = parse(readFileSync(cp.kubeconfigPath, 'utf8')) as Doc;
    const alice = parse(readFileSync(await cp.kubeconfigFor('alice', ['team-a']), 'utf8')) as Doc;

    // A service account token, as `kubectl create token` issues it.
    await kubectl(['create', 'serviceaccount', 'robot', '-n', 'default'], { kubeconfig: cp.kubeconfigPath });
    const token = (
      await kubectl(['create', 'token', 'robot', '-n', 'default'], { kubeconfig: cp.kubeconfigPath })
    ).stdout.trim();

    const dir = mkdtempSync(join(tmpdir(), 'kj-kubeconfig-e2e-'));
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const out = (name: string, base64: string | undefined) => {
      writeFileSync(join(sub, name), Buffer.from(base64 ?? '', 'base64'));
      return join(sub, name);
    };
    const caFile = out('ca.pem', admin.clusters[0]!.cluster['certificate-authority-data']);
    const adminCert = out('admin.crt', admin.users[0]!.user['client-certificate-data']);
    const adminKey = out('admin.key', admin.users[0]!.user['client-key-data']);
    const aliceCert = out('alice.crt', alice.users[0]!.user['client-certificate-data']);
    const aliceKey = out('alice.key', alice.users[0]!.user['client-key-data']);
    writeFileSync(join(sub, 'token'), `${token}\n`);
    // An exec credential plugin that prints the service account token.
    writeFileSync(
      join(sub, 'get-token.sh'),
      `#!/bin/sh\nprintf '%s' '${JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } })}'\n`,
    );
    chmodSync(join(sub, 'get-token.sh'), 0o755);
    const b64 = (file: string) => readFileSync(file).toString('base64');
    const adminUser = { 'client-certificate': adminCert, 'client-key': adminKey };

    const write = (path: string, doc: object) => {
      writeFileSync(path, stringify(doc));
      return path;
    };
    const cluster = { server: cp.server, 'certificate-authority': caFile };
    // File one: relative paths, every kind of user; file two: the same names, other values.
    const one = write(join(sub, 'one.yaml'), {
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'alice-rel',
      clusters: [
        { name: 'rel', cluster: { server: cp.server, 'certificate-authority': 'ca.pem' } },
        { name: 'data', cluster: { server: cp.server, 'certificate-authority-data': b64(caFile) } },
        {
          name: 'sni',
          cluster: { server: cp.server, 'certificate-authority': 'ca.pem', 'tls-server-name': 'kubernetes' },
        },
        {
          name: 'bad-sni',
          cluster: { server: cp.server, 'certificate-authority': 'ca.pem', 'tls-server-name': 'elsewhere.example' },
        },
        { name: 'wrong-ca', cluster: { server: cp.server, 'certificate-authority': 'alice.crt' } },
        { name: 'insecure', cluster: { server: cp.server, 'insecure-skip-tls-verify': true } },
        { name: 'no-ca', cluster: { server: cp.server } },
      ],
      users: [
        { name: 'alice-rel', user: { 'client-certificate': 'alice.crt', 'client-key': './alice.key' } },
        { name: 'alice-data', user: { 'client-certificate-data': b64(aliceCert), 'client-key-data': b64(aliceKey) } },
        { name: 'admin', user: adminUser },
        { name: 'robot-inline', user: { token } },
        { name: 'robot-file', user: { tokenFile: 'token' } },
        { name: 'robot-file-wins', user: { token: 'not-a-valid-token', tokenFile: 'token' } },
        {
          name: 'robot-exec',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1',
              command: './get-token.sh',
              interactiveMode: 'Never',
            },
          },
        },
        {
          name: 'admin-as-bob',
          user: { ...adminUser, as: 'bob', 'as-groups': ['devs', 'ops'], 'as-user-extra': { reason: ['audit'] } },
        },
        { name: 'bad-token', user: { token: 'not-a-valid-token' } },
      ],
      contexts: [
        { name: 'alice-rel', context: { cluster: 'rel', user: 'alice-rel' } },
        { name: 'alice-data', context: { cluster: 'data', user: 'alice-data' } },
        { name: 'sni', context: { cluster: 'sni', user: 'alice-rel' } },
        { name: 'bad-sni', context: { cluster: 'bad-sni', user: 'alice-rel' } },
        { name: 'wrong-ca', context: { cluster: 'wrong-ca', user: 'alice-rel' } },
        { name: 'insecure', context: { cluster: 'insecure', user: 'robot-inline' } },
        { name: 'no-ca', context: { cluster: 'no-ca', user: 'alice-rel' } },
        { name: 'robot-inline', context: { cluster: 'data', user: 'robot-inline' } },
        { name: 'robot-file', context: { cluster: 'rel', user: 'robot-file' } },
        { name: 'robot-file-wins', context: { cluster: 'rel', user: 'robot-file-wins' } },
        { name: 'robot-exec', context: { cluster: 'rel', user: 'robot-exec' } },
        { name: 'admin-as-bob', context: { cluster: 'rel', user: 'admin-as-bob' } },
        { name: 'bad-token', context: { cluster: 'rel', user: 'bad-token' } },
      ],
    });
    const two = write(join(dir, 'two.yaml'), {
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'admin',
      clusters: [
        { name: 'rel', cluster },
        { name: 'plain', cluster },
      ],
      users: [
        { name: 'alice-rel', user: adminUser },
        { name: 'admin2', user: adminUser },
      ],
      contexts: [
        { name: 'admin', context: { cluster: 'plain', user: 'admin2' } },
        { name: 'alice-rel', context: { cluster: 'plain', user: 'admin2' } },
      ],
    });
    // kubectl refuses the whole file when a field has the wrong type (a quoted boolean).
    const quoted = join(dir, 'quoted.yaml');
    writeFileSync(
      quoted,
      readFileSync(one, 'utf8').replace('insecure-skip-tls-verify: true', 'insecure-skip-tls-verify: "true"'),
    );
    const home = { HOME: dir };
    /** A home directory whose ~/.kube holds a copy of `config` and the files it names. */
    const homeWith = (h: string, config: string, files: string[]) => {
      mkdirSync(join(h, '.kube'), { recursive: true });
      copyFileSync(config, join(h, '.kube', 'config'));
      for (const f of files) copyFileSync(join(sub, f), join(h, '.kube', f));
      return h;
    };
    const list = { HOME: dir, KUBECONFIG: [one, join(dir, 'missing.yaml'), two].join(delimiter) };
    const reversed = { HOME: dir, KUBECONFIG: [two, one].join(delimiter) };

    const cases: Array<[string, ConnectionFlags, NodeJS.ProcessEnv]> = [
      ['the harness admin kubeconfig', { kubeconfig: cp.kubeconfigPath }, home],
      ['relative certificate paths (current context)', { kubeconfig: one }, home],
      ['inline certificate data', { kubeconfig: one, context: 'alice-data' }, home],
      ['tls-server-name matching the serving certificate', { kubeconfig: one, context: 'sni' }, home],
      ['tls-server-name not matching it', { kubeconfig: one, context: 'bad-sni' }, home],
      ['a CA that did not sign the server', { kubeconfig: one, context: 'wrong-ca' }, home],
      [
        '--insecure-skip-tls-verify over that CA',
        { kubeconfig: one, context: 'wrong-ca', insecureSkipTlsVerify: true },
        home,
      ],
      ['insecure-skip-tls-verify in the kubeconfig', { kubeconfig: one, context: 'insecure' }, home],
      ['a file with a quoted boolean', { kubeconfig: quoted, context: 'insecure' }, home],
      ['no CA named: the system roots, which lack the test CA', { kubeconfig: one, context: 'no-ca' }, home],
      [
        'no CA named, SSL_CERT_FILE holding the test CA',
        { kubeconfig: one, context: 'no-ca' },
        { HOME: dir, SSL_CERT_FILE: caFile, SSL_CERT_DIR: join(dir, 'none') },
      ],
      [
        'no CA named, SSL_CERT_DIR holding the test CA',
        { kubeconfig: one, context: 'no-ca' },
        { HOME: dir, SSL_CERT_FILE: join(dir, 'none'), SSL_CERT_DIR: sub },
      ],
      ['an inline token', { kubeconfig: one, context: 'robot-inline' }, home],
      ['a relative token file', { kubeconfig: one, context: 'robot-file' }, home],
      ['a token file next to an invalid inline token', { kubeconfig: one, context: 'robot-file-wins' }, home],
      ['an exec credential plugin with a relative path', { kubeconfig: one, context: 'robot-exec' }, home],
      ['an invalid token', { kubeconfig: one, context: 'bad-token' }, home],
      ['--token over an invalid token', { kubeconfig: one, context: 'bad-token', token }, home],
      ['impersonation in the kubeconfig', { kubeconfig: one, context: 'admin-as-bob' }, home],
      ['--as and --as-group over it', { kubeconfig: one, context: 'admin-as-bob', as: 'carol', asGroup: ['qa'] }, home],
      ['--as from an admin', { kubeconfig: one, context: 'alice-rel', user: 'admin', as: 'dave' }, home],
      ['--user and --cluster', { kubeconfig: one, context: 'bad-token', user: 'alice-data', cluster: 'data' }, home],
      [
        '--server',
        { kubeconfig: one, context: 'alice-data', server: cp.server.replace('127.0.0.1', 'localhost') },
        home,
      ],
      // kubectl's connection flags over the kubeconfig (clientcmd's overrides and validation)
      [
        '--certificate-authority over a CA that did not sign the server',
        { kubeconfig: one, context: 'wrong-ca', certificateAuthority: caFile },
        home,
      ],
      [
        '--certificate-authority relative to the working directory, over CA data',
        { kubeconfig: one, context: 'alice-data', certificateAuthority: relative(process.cwd(), caFile) },
        home,
      ],
      [
        '--certificate-authority naming a CA that did not sign the server',
        { kubeconfig: one, certificateAuthority: aliceCert },
        home,
      ],
      [
        '--certificate-authority with --insecure-skip-tls-verify',
        { kubeconfig: one, certificateAuthority: caFile, insecureSkipTlsVerify: true },
        home,
      ],
      [
        '--insecure-skip-tls-verify over a kubeconfig CA',
        { kubeconfig: one, context: 'alice-data', insecureSkipTlsVerify: true },
        home,
      ],
      [
        "--client-certificate and --client-key over the user's files",
        { kubeconfig: one, context: 'alice-rel', user: 'admin', clientCertificate: aliceCert, clientKey: aliceKey },
        home,
      ],
      [
        '--client-certificate and --client-key over inline data',
        { kubeconfig: one, context: 'alice-data', clientCertificate: adminCert, clientKey: adminKey },
        home,
      ],
      [
        '--client-certificate without a key, on a token user',
        { kubeconfig: one, context: 'robot-inline', clientCertificate: adminCert },
        home,
      ],
      [
        '--tls-server-name over a wrong one',
        { kubeconfig: one, context: 'bad-sni', tlsServerName: 'kubernetes' },
        home,
      ],
      [
        '--tls-server-name not matching the certificate',
        { kubeconfig: one, context: 'sni', tlsServerName: 'elsewhere.example' },
        home,
      ],
      [
        "--server drops the kubeconfig's tls-server-name",
        { kubeconfig: one, context: 'bad-sni', server: cp.server },
        home,
      ],
      [
        '--as with --as-uid',
        { kubeconfig: one, context: 'alice-rel', user: 'admin', as: 'erin', asUid: 'uid-1234' },
        home,
      ],
      [
        "--as-uid over the kubeconfig's impersonation",
        { kubeconfig: one, context: 'admin-as-bob', asUid: 'uid-5678' },
        home,
      ],
      [
        '--as-uid without a user to impersonate',
        { kubeconfig: one, context: 'alice-rel', user: 'admin', asUid: 'uid-1234' },
        home,
      ],
      [
        '--as-group without a user to impersonate',
        { kubeconfig: one, context: 'alice-rel', user: 'admin', asGroup: ['qa'] },
        home,
      ],
      [
        '--username and --password on a token user',
        { kubeconfig: one, context: 'robot-inline', username: 'u', password: 'p' },
        home,
      ],
      [
        '--username and --password beside a client certificate',
        { kubeconfig: one, context: 'alice-rel', username: 'u', password: 'p' },
        home,
      ],
      ['--token beside a --username', { kubeconfig: one, context: 'alice-rel', token, username: 'u' }, home],
      ['--request-timeout 1m30s', { kubeconfig: one, context: 'alice-rel', requestTimeout: '1m30s' }, home],
      ['KUBECONFIG list: the first file wins each name and the current context', {}, list],
      ['KUBECONFIG list: a context from the second file', { context: 'admin' }, list],
      ['KUBECONFIG list reversed', { context: 'alice-rel' }, reversed],
      ['~/.kube/config', {}, { HOME: homeWith(join(dir, 'h'), one, ['ca.pem', 'alice.crt', 'alice.key']) }],
    ];
    const results: string[] = [];
    for (const [name, flags, env] of cases) {
      const [theirs, ours] = await Promise.all([kubectlWhoami(flags, env), toolWhoami(flags, env)]);
      results.push(`${name}: ${JSON.stringify(theirs)}`);
      assert.deepEqual(ours, theirs, `${name}: the tool is ${JSON.stringify(ours)}, kubectl ${JSON.stringify(theirs)}`);
    }
    if (process.env.E2E_DEBUG) process.stderr.write(`${results.join('\n')}\n`);
    // The cases must tell users apart, or they would prove nothing.
    const seen = new Set(results.map((r) => r.slice(r.indexOf(': ') + 2)));
    assert.ok(seen.size >= 6, `too few distinct outcomes:\n${results.join('\n')}`);
    assert.ok(
      results.some((r) => r.includes('{"error":true}')),
      'some cases must fail for both',
    );
  });
  test('proxies: proxy-url (http CONNECT, socks5) and HTTPS_PROXY/NO_PROXY, through real proxy servers', {
    timeout: 180_000,
  }, async () => {
    const cp = controlPlane();
    // An HTTP CONNECT proxy (the npm package `proxy`) and a SOCKS5 proxy (@pondwader/socks5-server)
    // on 127.0.0.1; each counts the tunnels it opens.
    let httpTunnels = 0;
    let socksTunnels = 0;
    const httpProxy = createProxy(http.createServer());
    httpProxy.on('connect', () => httpTunnels++);
    await new Promise<void>((r) => httpProxy.listen(0, '127.0.0.1', r));
    const freePort = () =>
      new Promise<number>((r) => {
        const s = createNetServer().listen(0, '127.0.0.1', () => {
          const { port } = s.address() as AddressInfo;
          s.close(() => r(port));
        });
      });
    const socksPort = await freePort();
    const socks = createSocks5Server();
    socks.setRulesetValidator(() => {
      socksTunnels++;
      return true;
    });
    await new Promise<void>((r) => socks.listen(socksPort, '127.0.0.1', r));
    const deadPort = await freePort();
    try {
      const httpUrl = `http://127.0.0.1:${(httpProxy.address() as AddressInfo).port}`;
      const socksUrl = `socks5://127.0.0.1:${socksPort}`;
      const dead = `http://127.0.0.1:${deadPort}`;
      const admin = parse(readFileSync(cp.kubeconfigPath, 'utf8')) as {
        clusters: Array<{ cluster: Record<string, string> }>;
        users: Array<{ user: Record<string, string> }>;
      };
      const ca = admin.clusters[0]!.cluster['certificate-authority-data'];
      const user = admin.users[0]!.user;
      // Go never sends a loopback address or "localhost" through HTTPS_PROXY; this machine's own
      // name, when it resolves to a loopback address, is neither, so it shows the environment's proxy.
      const host = hostname();
      const hostIsLoopback = (await lookup(host).catch(() => ({ address: '' }))).address.startsWith('127.');
      const byName = cp.server.replace('127.0.0.1', host);
      const dir = mkdtempSync(join(tmpdir(), 'kj-proxy-e2e-'));
      const file = join(dir, 'config');
      const entry = (name: string, server: string, extra: Record<string, string> = {}) => ({
        name,
        cluster: { server, 'certificate-authority-data': ca, 'tls-server-name': 'kubernetes', ...extra },
      });
      writeFileSync(
        file,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          'current-context': 'direct',
          clusters: [
            entry('direct', cp.server),
            entry('via-http', cp.server, { 'proxy-url': httpUrl }),
            entry('via-socks5', cp.server, { 'proxy-url': socksUrl }),
            entry('via-dead', cp.server, { 'proxy-url': dead }),
            entry('bad-scheme', cp.server, { 'proxy-url': 'ftp://127.0.0.1:1' }),
            entry('by-name', byName),
          ],
          users: [{ name: 'admin', user }],
          contexts: ['direct', 'via-http', 'via-socks5', 'via-dead', 'bad-scheme', 'by-name'].map((c) => ({
            name: c,
            context: { cluster: c, user: 'admin' },
          })),
        }),
      );
      const env = (extra: Record<string, string> = {}) => ({ HOME: dir, ...extra });
      // [name, flags, env, which proxy counter must grow (for kubectl and for the tool alike)]
      const cases: Array<[string, ConnectionFlags, NodeJS.ProcessEnv, 'http' | 'socks' | 'none']> = [
        ['proxy-url http://', { kubeconfig: file, context: 'via-http' }, env(), 'http'],
        ['proxy-url socks5://', { kubeconfig: file, context: 'via-socks5' }, env(), 'socks'],
        ['proxy-url to a closed port', { kubeconfig: file, context: 'via-dead' }, env(), 'none'],
        ['proxy-url with an unsupported scheme', { kubeconfig: file, context: 'bad-scheme' }, env(), 'none'],
        [
          'proxy-url wins over HTTPS_PROXY',
          { kubeconfig: file, context: 'via-socks5' },
          env({ HTTPS_PROXY: dead }),
          'socks',
        ],
        [
          'HTTPS_PROXY is not used for a loopback address',
          { kubeconfig: file, context: 'direct' },
          env({ HTTPS_PROXY: dead }),
          'none',
        ],
        [
          'HTTP_PROXY is not used for https',
          { kubeconfig: file, context: 'by-name' },
          env({ HTTP_PROXY: dead }),
          'none',
        ],
      ];
      if (hostIsLoopback) {
        cases.push(
          [
            `HTTPS_PROXY for a server named ${host}`,
            { kubeconfig: file, context: 'by-name' },
            env({ HTTPS_PROXY: httpUrl }),
            'http',
          ],
          [
            'https_proxy (lower case), socks5',
            { kubeconfig: file, context: 'by-name' },
            env({ https_proxy: socksUrl }),
            'socks',
          ],
          [
            'HTTPS_PROXY without a scheme',
            { kubeconfig: file, context: 'by-name' },
            env({ HTTPS_PROXY: httpUrl.replace('http://', '') }),
            'http',
          ],
          [
            'HTTPS_PROXY to a closed port',
            { kubeconfig: file, context: 'by-name' },
            env({ HTTPS_PROXY: dead }),
            'none',
          ],
          [
            'NO_PROXY naming the host',
            { kubeconfig: file, context: 'by-name' },
            env({ HTTPS_PROXY: dead, NO_PROXY: `other.example,${host}` }),
            'none',
          ],
          [
            'NO_PROXY naming another host',
            { kubeconfig: file, context: 'by-name' },
            env({ HTTPS_PROXY: httpUrl, NO_PROXY: 'other.example' }),
            'http',
          ],
          [
            'NO_PROXY with another port',
            { kubeconfig: file, context: 'by-name' },
            env({ HTTPS_PROXY: httpUrl, NO_PROXY: `${host}:1` }),
            'http',
          ],
          ['NO_PROXY=*', { kubeconfig: file, context: 'by-name' }, env({ HTTPS_PROXY: dead, NO_PROXY: '*' }), 'none'],
        );
      }
      const results: string[] = [];
      for (const [name, flags, e, via] of cases) {
        const before = { http: httpTunnels, socks: socksTunnels };
        const theirs = await kubectlWhoami(flags, e);
        const afterKubectl = { http: httpTunnels, socks: socksTunnels };
        const ours = await toolWhoami(flags, e);
        const afterTool = { http: httpTunnels, socks: socksTunnels };
        results.push(`${name}: ${JSON.stringify(theirs)}`);
        assert.deepEqual(
          ours,
          theirs,
          `${name}: the tool is ${JSON.stringify(ours)}, kubectl ${JSON.stringify(theirs)}`,
        );
        for (const k of ['http', 'socks'] as const) {
          const kubectlUsed = afterKubectl[k] > before[k];
          const toolUsed = afterTool[k] > afterKubectl[k];
          assert.equal(
            kubectlUsed,
            via === k,
            `${name}: kubectl ${kubectlUsed ? 'used' : 'did not use'} the ${k} proxy`,
          );
          assert.equal(toolUsed, via === k, `${name}: the tool ${toolUsed ? 'used' : 'did not use'} the ${k} proxy`);
        }
      }
      if (process.env.E2E_DEBUG) process.stderr.write(`${results.join('\n')}\n`);
      assert.ok(
        results.some((r) => r.includes('{"error":true}')) && results.some((r) => !r.includes('{"error":true}')),
        results.join('\n'),
      );
    } finally {
      httpProxy.closeAllConnections?.();
      httpProxy.close();
      socks.close();
    }
  });
});
