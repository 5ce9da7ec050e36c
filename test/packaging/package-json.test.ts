// package.json against the lockfile: what a fresh `npm ci` needs to build and test.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  engines: { node: string };
  allowScripts?: Record<string, boolean>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(read('package-lock.json')) as {
  packages: Record<string, { hasInstallScript?: boolean; version?: string }>;
};

test('allowScripts covers every locked package with an install script (npm 12 runs no others: bun would stay a placeholder)', () => {
  const withScripts = Object.entries(lock.packages)
    .filter(([path, p]) => path !== '' && p.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  assert.ok(
    withScripts.includes('bun') && withScripts.includes('esbuild'),
    `expected bun and esbuild among ${withScripts.join(', ')}`,
  );
  const allowed = pkg.allowScripts ?? {};
  for (const name of withScripts) {
    const entry = Object.entries(allowed).find(([key]) => key === name || key.startsWith(`${name}@`));
    assert.ok(entry && entry[1] === true, `allowScripts has no approval for ${name}`);
  }
});

test('the Node pinned for the tests satisfies engines', () => {
  const min = /^>=(\d+)\.(\d+)/.exec(pkg.engines.node);
  assert.ok(min, `engines.node is ${pkg.engines.node}`);
  const [major, minor] = pkg.devDependencies.node!.split('.').map(Number) as [number, number];
  assert.ok(
    major > Number(min[1]) || (major === Number(min[1]) && minor >= Number(min[2])),
    `node ${pkg.devDependencies.node} is below ${pkg.engines.node}`,
  );
});
