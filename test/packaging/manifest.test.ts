// plugins/job.yaml, LICENSE and the version: what krew-index review and `krew install` check,
// and that the three places naming the version agree. (The archive's sha256 is checked against
// a fresh build by test/e2e/packaging/krew.test.ts.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { VERSION } from '../../src/cli/version.js';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json')) as { version: string; license: string; bin: Record<string, string> };

interface Platform {
  selector: { matchLabels: { os: string; arch: string } };
  uri: string;
  sha256: string;
  files: Array<{ from: string; to: string }>;
  bin: string;
}
const manifest = parse(read('plugins/job.yaml')) as {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { version: string; homepage: string; shortDescription: string; description: string; platforms: Platform[] };
};

test('the version is the same in package.json, src/cli/version.ts and plugins/job.yaml', () => {
  assert.equal(VERSION, pkg.version);
  assert.equal(manifest.spec.version, `v${pkg.version}`);
});

test('krew plugin manifest: kind, name, texts', () => {
  assert.equal(manifest.apiVersion, 'krew.googlecontainertools.github.com/v1alpha2');
  assert.equal(manifest.kind, 'Plugin');
  assert.equal(manifest.metadata.name, 'job');
  assert.match(manifest.spec.homepage, /^https:\/\//);
  assert.ok(manifest.spec.shortDescription.length > 0 && manifest.spec.shortDescription.length <= 60);
  assert.ok(
    !/(^|\s)--?[a-z]/.test(manifest.spec.description),
    'the description lists no flags (krew asks for -h instead)',
  );
});

test('one platform per release archive: linux and darwin on amd64 and arm64, windows on amd64', () => {
  const platforms = manifest.spec.platforms.map((p) => `${p.selector.matchLabels.os}/${p.selector.matchLabels.arch}`);
  assert.deepEqual(platforms, ['linux/amd64', 'linux/arm64', 'darwin/amd64', 'darwin/arm64', 'windows/amd64']);
  const base = manifest.spec.homepage.replace(/\/$/, '');
  for (const p of manifest.spec.platforms) {
    const { os, arch } = p.selector.matchLabels;
    const exe = os === 'windows' ? 'kubectl-job.exe' : 'kubectl-job';
    assert.equal(p.uri, `${base}/releases/download/v${pkg.version}/kubectl-job_${os}_${arch}.tar.gz`);
    assert.match(p.sha256, /^[0-9a-f]{64}$/, `${os}/${arch} sha256 is a string of 64 hex digits (quoted in the YAML)`);
    assert.equal(p.bin, exe);
    const from = p.files.map((f) => f.from);
    assert.deepEqual(from, os === 'windows' ? [exe, 'LICENSE'] : [exe, 'kubectl_complete-job', 'LICENSE']);
    assert.ok(p.files.every((f) => f.to === '.'));
  }
});

test("LICENSE is the Apache License 2.0 text with the project's copyright", () => {
  const license = read('LICENSE');
  assert.equal(pkg.license, 'Apache-2.0');
  assert.match(license, /^\s+Apache License\n\s+Version 2\.0, January 2004\n/);
  assert.match(license, /END OF TERMS AND CONDITIONS/);
  assert.match(license, /Copyright 2026 The kubectl-job authors/);
  assert.ok(license.length > 11_000);
});

test('package.json installs the completion executable beside the plugin', () => {
  assert.deepEqual(pkg.bin, { 'kubectl-job': 'bin/kubectl-job', 'kubectl_complete-job': 'bin/kubectl_complete-job' });
});
