import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorFromNetwork, errorFromStatus } from '../../src/cluster/errors.js';
import type { Connection } from '../../src/cluster/kubeconfig.js';

const conn = { contextName: 'dev', server: 'https://127.0.0.1:6443' } as Connection;
const status = (code: number, reason: string, message: string, details?: unknown) =>
  JSON.stringify({ kind: 'Status', code, reason, message, details });

test('404 on a named object says which object, where, and in which context', () => {
  const e = errorFromStatus(
    404,
    status(404, 'NotFound', 'cronjobs.batch "x" not found'),
    { verb: 'get', resource: 'cronjobs', namespace: 'prod', name: 'x' },
    conn,
  );
  assert.equal(e.kind, 'NotFound');
  assert.equal(e.message, 'cronjob "x" not found in namespace "prod" (context "dev")');
  assert.equal(e.exitCode, 4);
});

test('403 names the verb, the resource and the namespace, and suggests kubectl auth can-i', () => {
  const msg =
    'cronjobs.batch "x" is forbidden: User "jane" cannot patch resource "cronjobs" in API group "batch" in the namespace "prod"';
  const e = errorFromStatus(
    403,
    status(403, 'Forbidden', msg),
    { verb: 'patch', resource: 'cronjobs', namespace: 'prod', name: 'x' },
    conn,
  );
  assert.equal(e.kind, 'Forbidden');
  assert.match(
    e.message,
    /^forbidden: you cannot patch cronjobs in namespace "prod": cronjobs.batch "x" is forbidden: User "jane"/,
  );
  assert.equal(e.hint, 'check with: kubectl auth can-i patch cronjobs -n prod');
});

test('422 lists the field causes', () => {
  const e = errorFromStatus(
    422,
    status(422, 'Invalid', 'Job.batch "a" is invalid', {
      causes: [{ field: 'metadata.name', message: 'must be no more than 63 characters' }],
    }),
    { verb: 'create', resource: 'jobs', namespace: 'prod' },
    conn,
  );
  assert.equal(e.kind, 'Invalid');
  assert.match(e.message, /metadata.name: must be no more than 63 characters/);
});

test('409 AlreadyExists and Conflict are told apart', () => {
  assert.equal(
    errorFromStatus(
      409,
      status(409, 'AlreadyExists', 'jobs.batch "a" already exists'),
      { verb: 'create', resource: 'jobs' },
      conn,
    ).kind,
    'AlreadyExists',
  );
  assert.equal(
    errorFromStatus(
      409,
      status(409, 'Conflict', 'Operation cannot be fulfilled'),
      { verb: 'patch', resource: 'cronjobs' },
      conn,
    ).kind,
    'Conflict',
  );
});

test('a refused connection names the server URL', () => {
  const e = errorFromNetwork(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), conn, {
    verb: 'get',
    resource: 'cronjobs',
  });
  assert.equal(e.kind, 'Unreachable');
  assert.match(e.message, /https:\/\/127\.0\.0\.1:6443/);
});

test('a body that is not a Status still yields a readable message', () => {
  const e = errorFromStatus(500, '<html>bad gateway</html>', { verb: 'list', resource: 'jobs' }, conn);
  assert.match(e.message, /the server failed to list jobs in all namespaces: <html>bad gateway<\/html> \(HTTP 500\)/);
});
