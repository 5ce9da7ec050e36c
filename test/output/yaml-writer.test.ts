// The snapshot writer's YAML reads back as the same data, under YAML 1.2 and 1.1 (kubectl's Go reader).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { writeYaml } from '../../src/output/yaml-writer.js';
import { oddValue, pick, rng, type Rand } from '../support/fuzz.js';

const WORDS = [
  '',
  ' ',
  'a',
  'yes',
  'no',
  'on',
  'y',
  'N',
  '~',
  'null',
  'true',
  '0',
  '007',
  '0x1f',
  '1e3',
  '1_000',
  '.5',
  '-1',
  '+1',
  '12:30',
  '2026-11-23',
  '2026-11-23T08:00:00Z',
  'a: b',
  'a #b',
  '#a',
  '- a',
  '? a',
  '[a]',
  '{a}',
  'a,b',
  '*a',
  '&a',
  '!a',
  '|',
  '>',
  '%a',
  '@a',
  '`a',
  "'a'",
  '"a"',
  'a\nb',
  'a\tb',
  '\u007f',
  '\u0085',
  '\u2028',
  '\ufeff',
  'é',
  '日本',
  '😀',
  'f:spec',
  'k8s.io/name',
  '/bin/sh',
  'a b',
  'a  b',
  'a ',
  ' a',
  '.',
  '..',
  '-',
  '.inf',
  '.NaN',
  'x=y',
  '(a)',
];

function value(r: Rand, depth: number): unknown {
  const x = r();
  if (depth > 4 || x < 0.5) return r() < 0.5 ? pick(r, WORDS) : oddValue(r);
  if (x < 0.75) return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1));
  return Object.fromEntries(Array.from({ length: Math.floor(r() * 4) }, () => [pick(r, WORDS), value(r, depth + 1)]));
}

test('random JSON data round-trips through writeYaml (3,000 documents)', () => {
  const r = rng(42);
  for (let i = 0; i < 3000; i++) {
    const data = JSON.parse(JSON.stringify({ items: [value(r, 0), value(r, 0)], top: value(r, 0) }));
    const text = writeYaml(data);
    assert.deepEqual(parse(text), data, text);
    assert.deepEqual(parse(text, { version: '1.1' }), data, text);
  }
});

test('kubectl-like layout', () => {
  assert.equal(
    writeYaml({
      kind: 'List',
      items: [{ metadata: { name: 'a', labels: {} }, spec: { containers: [{ name: 'main', args: ['x', 'y'] }] } }],
      count: 3,
      t: '2026-11-23T08:00:00Z',
    }),
    'kind: List\nitems:\n  - metadata:\n      name: a\n      labels: {}\n    spec:\n      containers:\n        - name: main\n          args:\n            - x\n            - "y"\ncount: 3\nt: "2026-11-23T08:00:00Z"\n',
  );
});
