import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { systemRoots } from '../../src/cluster/system-roots.js';

const cert = (body: string) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(body).toString('base64')}\n-----END CERTIFICATE-----`;

test("Go's Linux roots: SSL_CERT_FILE, then every file of SSL_CERT_DIR but same-directory symlinks; CERTIFICATE blocks only", () => {
  const d = mkdtempSync(join(tmpdir(), 'kj-roots-'));
  const bundle = join(d, 'bundle.pem');
  writeFileSync(bundle, `${cert('one')}\n-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n${cert('two')}\n`);
  const dir = join(d, 'certs');
  mkdirSync(dir);
  writeFileSync(join(dir, 'extra.pem'), cert('three'));
  symlinkSync('extra.pem', join(dir, 'abcd1234.0')); // hashed name: skipped, as Go does
  writeFileSync(join(d, 'outside.pem'), cert('four'));
  symlinkSync(join(d, 'outside.pem'), join(dir, 'outside.pem')); // points elsewhere: read
  const pem = systemRoots({ SSL_CERT_FILE: bundle, SSL_CERT_DIR: `${join(d, 'missing')}:${dir}` }, 'linux')!.toString();
  assert.deepEqual(
    pem
      .split('\n')
      .filter((l) => !l.startsWith('-----'))
      .map((l) => Buffer.from(l, 'base64').toString())
      .sort(),
    ['four', 'one', 'three', 'two'],
  );
  assert.equal(
    systemRoots({ SSL_CERT_FILE: join(d, 'missing'), SSL_CERT_DIR: join(d, 'missing') }, 'linux'),
    undefined,
  );
  assert.equal(systemRoots({ SSL_CERT_FILE: bundle }, 'darwin'), undefined, "elsewhere the runtime's roots");
});
