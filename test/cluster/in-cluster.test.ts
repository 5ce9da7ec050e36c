// In-cluster configuration (a pod with a service account and no kubeconfig), as client-go reads it:
// KUBERNETES_SERVICE_HOST/PORT, the mounted token, CA and namespace; and the token re-read as
// the kubelet rotates it. The real thing runs in test/e2e/fleet/in-cluster-audit.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { resolveConnection } from '../../src/cluster/kubeconfig.js';
import { apiRequest, closeConnection } from '../../src/cluster/http.js';
import { clearTokenCache, tokenFromFile, TOKEN_FILE_TTL_MS } from '../../src/cluster/token-file.js';
import { ClusterError } from '../../src/errors.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'kj-incluster-'));

/** A service account directory as the kubelet mounts it. */
function saDir(o: { token?: string; namespace?: string; ca?: string } = {}): string {
  const d = tmp();
  if (o.token !== undefined) fs.writeFileSync(path.join(d, 'token'), o.token);
  if (o.namespace !== undefined) fs.writeFileSync(path.join(d, 'namespace'), o.namespace);
  fs.writeFileSync(path.join(d, 'ca.crt'), o.ca ?? 'not a certificate');
  return d;
}

const podEnv = (home: string, host = '10.0.0.1', port = '443') => ({
  HOME: home,
  KUBERNETES_SERVICE_HOST: host,
  KUBERNETES_SERVICE_PORT: port,
});

describe('in-cluster configuration', () => {
  test('no kubeconfig, the service env and a token: the service address, the token, the CA file and the pod namespace', () => {
    clearTokenCache();
    const d = saDir({ token: 'sa-token\n', namespace: 'ops\n', ca: 'CA-BYTES' });
    const c = resolveConnection({}, podEnv(tmp()), d);
    assert.equal(c.contextName, 'in-cluster');
    assert.equal(c.server, 'https://10.0.0.1:443');
    assert.equal(c.namespace, 'ops');
    assert.equal(c.headers.Authorization, 'Bearer sa-token');
    assert.equal(c.tls.ca?.toString(), 'CA-BYTES');
    assert.equal(c.tls.rejectUnauthorized, true);
    assert.equal(c.tokenFile, path.join(d, 'token'));
  });

  test('an IPv6 service host is bracketed; -n and --token win over the mounted namespace and token', () => {
    clearTokenCache();
    const d = saDir({ token: 'sa-token', namespace: 'ops' });
    const c = resolveConnection({ namespace: 'prod', token: 'flag-token' }, podEnv(tmp(), 'fd00::1', '6443'), d);
    assert.equal(c.server, 'https://[fd00::1]:6443');
    assert.equal(c.namespace, 'prod');
    assert.equal(c.headers.Authorization, 'Bearer flag-token');
    assert.equal(c.tokenFile, undefined, 'a token given by flag is not re-read from the file');
  });

  test('no namespace file: "default"', () => {
    clearTokenCache();
    const c = resolveConnection({}, podEnv(tmp()), saDir({ token: 't' }));
    assert.equal(c.namespace, 'default');
  });

  test("a kubeconfig wins over the in-cluster configuration (kubectl's order)", () => {
    const home = tmp();
    fs.mkdirSync(path.join(home, '.kube'));
    fs.writeFileSync(
      path.join(home, '.kube', 'config'),
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: x',
        'clusters:',
        '- name: c',
        '  cluster:',
        '    server: https://kubeconfig.example:6443',
        '    insecure-skip-tls-verify: true',
        'users:',
        '- name: u',
        '  user:',
        '    token: kc-token',
        'contexts:',
        '- name: x',
        '  context:',
        '    cluster: c',
        '    user: u',
        '',
      ].join('\n'),
    );
    const c = resolveConnection({}, podEnv(home), saDir({ token: 'sa-token' }));
    assert.equal(c.server, 'https://kubeconfig.example:6443');
    assert.equal(c.headers.Authorization, 'Bearer kc-token');
  });

  test('KUBERNETES_SERVICE_PORT unset: not in-cluster (client-go needs both), the usual no-kubeconfig error', () => {
    assert.throws(
      () => resolveConnection({}, { HOME: tmp(), KUBERNETES_SERVICE_HOST: '10.0.0.1' }, saDir({ token: 't' })),
      (e: unknown) => e instanceof ClusterError && e.kind === 'Config' && /no kubeconfig found/.test(e.message),
    );
  });

  test('in a pod without a mounted token: a one-line error that says so and how to mount it', () => {
    assert.throws(
      () => resolveConnection({}, podEnv(tmp()), saDir()),
      (e: unknown) =>
        e instanceof ClusterError &&
        e.kind === 'Config' &&
        /no service account token at .*\/token/.test(e.message) &&
        /automountServiceAccountToken/.test(e.hint ?? ''),
    );
  });

  test('--insecure-skip-tls-verify drops the mounted CA; --certificate-authority replaces it', () => {
    clearTokenCache();
    const d = saDir({ token: 't', ca: 'MOUNTED' });
    const insecure = resolveConnection({ insecureSkipTlsVerify: true }, podEnv(tmp()), d);
    assert.equal(insecure.tls.rejectUnauthorized, false);
    assert.equal(insecure.tls.ca, undefined);
    const other = path.join(tmp(), 'other.crt');
    fs.writeFileSync(other, 'OTHER');
    assert.equal(resolveConnection({ certificateAuthority: other }, podEnv(tmp()), d).tls.ca?.toString(), 'OTHER');
  });
});

describe('a rotated token file', () => {
  test('is read again once the last read is a minute old; a failed re-read keeps the last token', () => {
    clearTokenCache();
    const f = path.join(tmp(), 'token');
    fs.writeFileSync(f, 'one\n');
    assert.equal(tokenFromFile(f, 1_000), 'one');
    fs.writeFileSync(f, 'two\n');
    assert.equal(tokenFromFile(f, 1_000 + TOKEN_FILE_TTL_MS - 1), 'one', 'within the minute: the cached token');
    assert.equal(tokenFromFile(f, 1_000 + TOKEN_FILE_TTL_MS), 'two', 'a minute later: the file again');
    fs.rmSync(f);
    assert.equal(
      tokenFromFile(f, 1_000 + 3 * TOKEN_FILE_TTL_MS),
      'two',
      'the file is gone for a moment (the kubelet swaps a symlink): the last token',
    );
    fs.writeFileSync(f, '');
    assert.equal(tokenFromFile(f, 1_000 + 5 * TOKEN_FILE_TTL_MS), 'two', 'an empty file is not a token');
    assert.throws(() => tokenFromFile(path.join(tmp(), 'never')), /ENOENT/);
  });

  describe('over HTTPS, each request carries the current token', () => {
    let server: https.Server;
    const seen: string[] = [];
    let dir: string;
    before(async () => {
      dir = tmp();
      const key = path.join(dir, 'key.pem');
      const cert = path.join(dir, 'cert.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-noenc',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=apiserver',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
        seen.push(String(req.headers.authorization));
        res.setHeader('Content-Type', 'application/json');
        res.end('{"major":"1","minor":"36"}');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    test('the kubelet rewrites the token: the next read of the file is sent, without a new connection setup', async () => {
      clearTokenCache();
      const sa = saDir({ token: 'first', namespace: 'ops', ca: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8') });
      const port = String((server.address() as AddressInfo).port);
      const conn = resolveConnection({}, podEnv(tmp(), '127.0.0.1', port), sa);
      const get = () =>
        apiRequest(conn, { method: 'GET', path: '/version', what: { verb: 'get', resource: 'version' } });
      await get();
      fs.writeFileSync(path.join(sa, 'token'), 'second');
      await get();
      assert.deepEqual(seen, ['Bearer first', 'Bearer first'], 'within a minute the cached token is sent');
      clearTokenCache(); // as if a minute had passed (the clock itself is tested above)
      await get();
      assert.equal(seen[2], 'Bearer second');
      await closeConnection(conn);
    });
  });
});
