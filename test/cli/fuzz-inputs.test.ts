// Seeded fuzz of the two files the tool reads: snapshots and kubeconfigs. Corrupted copies
// (wrong types, nulls, huge values, removed keys, truncations, garbled bytes) go through the
// CLI entry in process; every run must end with a documented exit code other than 70 and
// without a stack trace. FUZZ_CASES overrides the number of cases (default 10,000 of each),
// FUZZ_SEED the seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { corrupt, damageText, pick, rng, type Rand } from '../support/fuzz.js';
import { EXAMPLE, runCli } from '../support/run-cli.js';

const CASES = Number(process.env.FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const DOCUMENTED = new Set([0, 1, 2, 3, 4, 5, 6]);

const dir = mkdtempSync(join(tmpdir(), 'kubectl-job-fuzz-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

interface Failure {
  n: number;
  args: string[];
  code: number;
  stderr: string;
  file: string;
}

function serialise(doc: unknown, r: Rand): string {
  const x = r();
  if (x < 0.45) return JSON.stringify(doc, null, r() < 0.5 ? 2 : undefined);
  try {
    return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
  } catch {
    return JSON.stringify(doc);
  }
}

function judge(failures: Failure[], n: number, args: string[], res: { code: number; stderr: string }, file: string) {
  const bad =
    !DOCUMENTED.has(res.code) ||
    /\n\s+at .+:\d+:\d+\)?\n/.test(res.stderr) ||
    /unexpected failure|internal error/.test(res.stderr);
  if (bad && failures.length < 10)
    failures.push({
      n,
      args,
      code: res.code,
      stderr: res.stderr.slice(0, 400),
      file: readFileSync(file, 'utf8').slice(0, 1500),
    });
  else if (bad) failures.push({ n, args, code: res.code, stderr: '', file: '' });
}

test(`${CASES} corrupted snapshots: no exit 70, no stack trace`, { timeout: 30 * 60_000 }, async () => {
  const base = parse(readFileSync(EXAMPLE, 'utf8')) as { items: Array<{ kind: string; metadata: { name: string } }> };
  const r = rng(SEED);
  const file = join(dir, 'snap');
  const failures: Failure[] = [];
  const codes = new Map<number, number>();
  for (let n = 0; n < CASES; n++) {
    const items = Array.from({ length: 1 + Math.floor(r() * 6) }, () => structuredClone(pick(r, base.items)));
    const name = items[0]!.metadata.name;
    const kind = items[0]!.kind.toLowerCase();
    let doc: unknown =
      r() < 0.8
        ? { apiVersion: 'v1', kind: 'List', capturedAt: '2026-11-23T08:00:00Z', serverVersion: 'v1.36.3', items }
        : items[0];
    doc = corrupt(doc, r, 1 + Math.floor(r() * 3));
    writeFileSync(file, damageText(serialise(doc, r), r));
    const args = pick(r, [
      ['why', `${kind}/${name}`],
      ['why', name],
      ['why', '--all'],
      ['why', '--all', '-o', 'json'],
      ['why', name, '-o', 'yaml'],
      ['misses', name],
      ['misses', name, '--since', '30d'],
      ['next', name],
      ['why', `${kind}/${name}`, '--now', '2026-11-23T09:00:00Z'],
    ]);
    const full = [...args, '--snapshot', file];
    const res = await runCli(full);
    codes.set(res.code, (codes.get(res.code) ?? 0) + 1);
    judge(failures, n, full, res, file);
  }
  console.log(
    `# snapshot fuzz: ${CASES} cases, seed ${SEED}, exit codes ${JSON.stringify(Object.fromEntries([...codes].sort()))}`,
  );
  for (const f of failures.slice(0, 3)) console.log('FAIL', JSON.stringify(f));
  assert.deepEqual(failures.slice(0, 3), [], `${failures.length} of ${CASES} runs failed`);
});

test(`${CASES} corrupted kubeconfigs: no exit 70, no stack trace`, { timeout: 30 * 60_000 }, async () => {
  // Port 1 on loopback refuses at once: a kubeconfig that resolves ends in a quick exit 3.
  const base = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'dev',
    clusters: [
      {
        name: 'dev',
        cluster: {
          server: 'https://127.0.0.1:1',
          'certificate-authority-data': Buffer.from('not a certificate').toString('base64'),
          'tls-server-name': 'kubernetes',
        },
      },
      {
        name: 'plain',
        cluster: { server: 'http://127.0.0.1:1', 'insecure-skip-tls-verify': true, 'proxy-url': 'http://127.0.0.1:1' },
      },
    ],
    users: [
      {
        name: 'dev',
        user: { token: 'SECRET-TOKEN-abc123', 'client-certificate-data': 'Zm9v', 'client-key-data': 'YmFy' },
      },
      {
        name: 'basic',
        user: {
          username: 'u',
          password: 'SECRET-PASSWORD',
          as: 'someone',
          'as-groups': ['g1'],
          'as-user-extra': { scopes: ['a'] },
        },
      },
    ],
    contexts: [
      { name: 'dev', context: { cluster: 'dev', user: 'dev', namespace: 'prod' } },
      { name: 'plain', context: { cluster: 'plain', user: 'basic' } },
    ],
  };
  const r = rng(SEED + 1);
  const file = join(dir, 'kubeconfig');
  const failures: Failure[] = [];
  const codes = new Map<number, number>();
  let leaked = 0;
  for (let n = 0; n < CASES; n++) {
    const doc = corrupt(structuredClone(base), r, 1 + Math.floor(r() * 3));
    writeFileSync(file, damageText(r() < 0.3 ? JSON.stringify(doc) : stringify(doc, { lineWidth: 0 }), r));
    const args = [
      ...pick(r, [['why', 'backup'], ['why', '--all'], ['misses', 'backup'], ['clean', '--succeeded'], ['snapshot']]),
      ...pick(r, [[], ['--context', 'plain'], ['--context', 'dev']]),
      '--kubeconfig',
      file,
      '--request-timeout',
      '2s',
    ];
    const res = await runCli(args);
    codes.set(res.code, (codes.get(res.code) ?? 0) + 1);
    if (/SECRET-/.test(res.stderr + res.stdout)) {
      leaked++;
      if (leaked < 3) console.log('LEAK', JSON.stringify(res.stderr), readFileSync(file, 'utf8').slice(0, 800));
    }
    judge(failures, n, args, res, file);
  }
  console.log(
    `# kubeconfig fuzz: ${CASES} cases, seed ${SEED + 1}, exit codes ${JSON.stringify(Object.fromEntries([...codes].sort()))}`,
  );
  assert.equal(leaked, 0, 'a credential appeared in the output');
  for (const f of failures.slice(0, 3)) console.log('FAIL', JSON.stringify(f));
  assert.deepEqual(failures.slice(0, 3), [], `${failures.length} of ${CASES} runs failed`);
});
