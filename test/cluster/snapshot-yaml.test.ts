// The snapshot YAML fast path (src/cluster/snapshot-yaml.ts) must never disagree with the yaml
// library: on every text it answers, its documents equal readYamlDocuments' (the library path);
// it must answer what the tool and kubectl write (or it would be dead code); and it declines
// what it does not model (anchors, block scalars, tags, multi-line and flow scalars, ...).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { readSnapshotYaml } from '../../src/cluster/snapshot-yaml.js';
import { readYamlDocuments } from '../../src/cluster/yaml-read.js';
import { writeYaml } from '../../src/output/yaml-writer.js';
import { oddValue, pick, rng, type Rand } from '../support/fuzz.js';

const root = new URL('../../', import.meta.url).pathname;

function library(text: string): { docs?: unknown[]; error?: true } {
  try {
    return { docs: readYamlDocuments(text) };
  } catch {
    return { error: true };
  }
}

/** Asserts the fast path agrees with the library; returns whether it answered. */
function agrees(text: string): boolean {
  const fast = readSnapshotYaml(text);
  if (fast === undefined) return false;
  const lib = library(text);
  assert.ok(!lib.error, `the fast path answered a text the library rejects:\n${text}`);
  assert.deepStrictEqual(fast, lib.docs, `fast path and library differ on:\n${text}`);
  return true;
}

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
  'Null',
  'true',
  'False',
  '0',
  '-0',
  '007',
  '0x1f',
  '0o17',
  '1e3',
  '1E+3',
  '1_000',
  '.5',
  '5.',
  '-1',
  '+1',
  '1.50',
  '12345678901234567890',
  '12:30',
  '2026-11-23',
  '2026-11-23T08:00:00Z',
  'a: b',
  'a:b',
  'a #b',
  'a#b',
  '#a',
  '- a',
  '-a',
  '--a',
  '? a',
  '?a',
  ':a',
  '[a]',
  '{a}',
  '{}',
  '[]',
  'a,b',
  '*a',
  '&a',
  '!a',
  '!!str a',
  '|',
  '>',
  '%a',
  '@a',
  '`a',
  "'a'",
  '"a"',
  "it's",
  'say "hi"',
  'a\nb',
  'a\n',
  '\n',
  'a\tb',
  'a\\b',
  '\\',
  '\u007f',
  '\u0085',
  '\u2028',
  '\ufeff',
  'é',
  '日本',
  '😀',
  'f:spec',
  'k:{"type":"Complete"}',
  '.',
  '..',
  '...',
  '---',
  '-',
  '<<',
  'k8s.io/name',
  '/bin/sh',
  'a b',
  'a  b',
  'a ',
  ' a',
  '.inf',
  '-.inf',
  '.NaN',
  'x=y',
  '(a)',
  '__proto__',
  'constructor',
  'toString',
];

function value(r: Rand, depth: number): unknown {
  const x = r();
  if (depth > 4 || x < 0.5) return r() < 0.5 ? pick(r, WORDS) : oddValue(r);
  if (x < 0.75) return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1));
  return Object.fromEntries(Array.from({ length: Math.floor(r() * 4) }, () => [pick(r, WORDS), value(r, depth + 1)]));
}

/** A Job shaped like the API's, with managedFields (the keys kubectl writes plain: f:..., k:{...}, .). */
function job(r: Rand, i: number, words: readonly string[] = WORDS) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `cron-${i}-2900${i}`,
      namespace: `team-${i % 3}`,
      uid: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
      resourceVersion: String(1000 + i),
      creationTimestamp: '2026-11-23T07:00:00Z',
      labels: { app: `cron-${i}`, 'batch.kubernetes.io/job-name': `cron-${i}` },
      annotations: {
        'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-11-23T07:00:00Z',
        'batch.kubernetes.io/job-tracking': '',
        note: pick(r, words),
      },
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: `cron-${i}`,
          uid: 'u',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: [
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          time: '2026-11-23T07:02:00Z',
          fieldsType: 'FieldsV1',
          subresource: 'status',
          fieldsV1: {
            'f:status': {
              'f:conditions': { '.': {}, 'k:{"type":"Complete"}': { '.': {}, 'f:status': {} } },
              'f:succeeded': {},
            },
          },
        },
      ],
    },
    spec: {
      parallelism: 1,
      backoffLimit: 6,
      suspend: false,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', pick(r, words)] }],
        },
      },
    },
    status: {
      succeeded: 1,
      conditions: [
        { type: 'Complete', status: 'True', lastTransitionTime: '2026-11-23T07:02:00Z', message: pick(r, words) },
      ],
    },
  };
}

describe('snapshot YAML fast path', () => {
  it('answers what the tool writes, equal to the library: 2,000 random documents', () => {
    const r = rng(7);
    let answered = 0;
    for (let i = 0; i < 2000; i++) {
      const data = JSON.parse(JSON.stringify({ items: [value(r, 0), value(r, 0)], top: value(r, 0) }));
      if (agrees(writeYaml(data))) answered++;
    }
    // Every text the writer produces is in the fast path's grammar.
    assert.equal(answered, 2000);
  });

  it('answers generated snapshots (tool-written and kubectl-style layouts), equal to the library', () => {
    const r = rng(8);
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      capturedAt: '2026-11-23T08:00:00Z',
      serverVersion: 'v1.36.3',
      metadata: { resourceVersion: '' },
      items: Array.from({ length: 60 }, (_, i) => job(r, i)),
    };
    assert.ok(agrees(writeYaml(list)), 'the tool-written snapshot');
    // The yaml library's own layout (sequences under a key not indented, single quotes) as kubectl
    // writes it; without the strings it writes as block scalars or with raw tabs (declined: see below).
    const tame = WORDS.filter((w) => !/[\n\t\ufeff\u007f\u2028]/.test(w) && w !== ' ' && w !== '<<');
    const kubectlish = { ...list, items: Array.from({ length: 60 }, (_, i) => job(r, i, tame)) };
    assert.ok(
      agrees(stringify(kubectlish, { indentSeq: false, singleQuote: true, lineWidth: 0 })),
      'kubectl-style layout',
    );
    assert.ok(agrees(`---\n${writeYaml(list.items[0])}---\n${writeYaml(list.items[1])}`), 'several documents');
  });

  it('answers the bundled example and the recorded real-node snapshots, equal to the library', () => {
    const files = [
      join(root, 'examples/snapshot.yaml'),
      ...readdirSync(join(root, 'test/fixtures/after-the-fact'))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => join(root, 'test/fixtures/after-the-fact', f)),
    ];
    for (const f of files) assert.ok(agrees(readFileSync(f, 'utf8')), f);
  });

  it('tricky scalars: each is answered equal to the library, or declined', () => {
    const texts = [
      ...WORDS.map((w) => `a: ${w}`),
      ...WORDS.map((w) => `- ${w}`),
      ...WORDS.map((w) => `${w}: 1`),
      'a: "x\\ty"',
      'a: "\\u00e9\\ud83d\\ude00"',
      'a: "\\x41"',
      'a: "\\e"',
      'a: "\\N"',
      'a: "a\\/b"',
      'a: "unterminated',
      "a: 'it''s'",
      "a: 'x",
      'a: "x" # note',
      'a: x # note',
      'a: "x" y',
      "'k': v",
      '"k" : v',
      '"k":v',
      'a:  spaced',
      'a: b  ',
      'a:\n  b: 1\n  c:\n  - 2\n  - 3',
      'a:\n- 1\n- 2',
      '- - 1\n  - 2\n- 3',
      '-\n  a: 1',
      '- a: 1\n  b: 2\n-   c: 3\n    d: 4',
      'a: 1\na: 2',
      '__proto__: 1',
      'a: &x 1\nb: *x',
      'a: !!str 1',
      'a: |\n  text\n',
      'a: >\n  folded\n',
      'a: multi\n  line',
      'a: "multi\n  line"',
      'a: [1, 2]',
      'a: {b: 1}',
      'a: { }',
      'a: [ ]',
      '? complex\n: key',
      '<<: {}',
      'a:\tb',
      'a: b\r\nc: d',
      '\ufeffa: b',
      '%YAML 1.2\n---\na: 1',
      '--- a',
      'a: 1\n...',
      '---\n---\na: 1',
      'a: 1\n---',
      '---\na: 1\n---\nb: 2',
      '# only a comment',
      '',
      '\n\n',
      '  a: 1\n  b: 2',
      '  a: 1\nb: 2',
      'a: 1\n  # indented comment\nb: 2',
      'a:\n  # comment\n  b: 1',
      'a: # comment\n  b: 1',
    ];
    let answered = 0;
    for (const t of texts) if (agrees(t)) answered++;
    for (const t of [
      'a: &x 1\nb: *x',
      'a: !!str 1',
      'a: |\n  text\n',
      'a: >\n  folded\n',
      'a: multi\n  line',
      'a: [1, 2]',
      'a: {b: 1}',
      'a: 1\na: 2',
      'a: "\\x41"',
      '<<: {}',
      'a:\tb',
    ]) {
      assert.equal(readSnapshotYaml(t), undefined, `must decline:\n${t}`);
    }
    assert.ok(answered > texts.length / 2, `answered ${answered} of ${texts.length}`);
  });

  it('corrupted snapshots (5,000 seeded mutations): never an answer the library would not give', () => {
    const r = rng(9);
    const base = writeYaml({
      apiVersion: 'v1',
      kind: 'List',
      items: Array.from({ length: 3 }, (_, i) => job(r, i)),
    }).split('\n');
    const kubectlish = stringify(
      { apiVersion: 'v1', kind: 'List', items: [job(r, 7)] },
      { indentSeq: false, singleQuote: true },
    ).split('\n');
    const junk = [
      ' ',
      '  ',
      '-',
      '- ',
      ':',
      ': ',
      '#',
      ' #',
      '"',
      "'",
      '&a ',
      '*a',
      '!',
      '|',
      '>',
      '{',
      '}',
      '[',
      ']',
      ',',
      '?',
      '%',
      '@',
      '\\',
      '\t',
      'x',
      '0',
      '.',
      '---',
      '...',
    ];
    let answered = 0;
    for (let c = 0; c < 5000; c++) {
      const lines = [...(r() < 0.5 ? base : kubectlish)];
      for (let m = 0, n = 1 + Math.floor(r() * 3); m < n; m++) {
        const i = Math.floor(r() * lines.length);
        const line = lines[i]!;
        const at = Math.floor(r() * (line.length + 1));
        switch (Math.floor(r() * 5)) {
          case 0:
            lines[i] = line.slice(0, at) + pick(r, junk) + line.slice(at);
            break;
          case 1:
            lines[i] = line.slice(0, at) + line.slice(at + 1);
            break;
          case 2:
            lines.splice(i, 0, line);
            break;
          case 3:
            lines.splice(i, 1);
            break;
          default:
            lines[i] = (r() < 0.5 ? ' ' : '') + line.replace(/^ /, '');
        }
      }
      if (agrees(lines.join('\n'))) answered++;
    }
    assert.ok(answered > 500, `answered ${answered} of 5000 corrupted texts`);
  });
});
