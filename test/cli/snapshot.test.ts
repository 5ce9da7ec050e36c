// `snapshot`'s flag rules, pure and in process (runs against an API server: unreadable.test.ts,
// test/e2e).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RawInput } from '../../src/cli/commands/define.js';
import { parseSnapshot, type SnapshotOptions } from '../../src/cli/commands/snapshot.js';
import { EXAMPLE, runCli } from '../support/run-cli.js';
import { assertUsageError } from '../support/usage-error.js';

describe('parseSnapshot (pure): what was typed -> options, or the exact usage error', () => {
  const raw = (opts: Record<string, unknown> = {}) => ({ args: [], opts }) as RawInput<any>;
  const ok: Array<[string, RawInput<any>, SnapshotOptions]> = [
    ['the defaults: one namespace, YAML', raw(), { allNamespaces: false, format: 'yaml' }],
    ['-A -o json', raw({ allNamespaces: true, output: 'json' }), { allNamespaces: true, format: 'json' }],
    ['-o YAML', raw({ output: 'YAML' }), { allNamespaces: false, format: 'yaml' }],
  ];
  for (const [name, input, want] of ok) test(name, () => assert.deepEqual(parseSnapshot(input), want));
  const bad: Array<[string, RawInput<any>, string]> = [
    [
      '-o wide',
      raw({ output: 'wide' }),
      'unable to match a printer suitable for the output format "wide", allowed formats are: json,yaml',
    ],
    ['--snapshot', raw({ snapshot: 'old.yaml' }), 'snapshot reads a live cluster; --snapshot cannot be used with it'],
  ];
  for (const [name, input, message] of bad) {
    test(`refused: ${name}`, () => assertUsageError(() => parseSnapshot(input), message));
  }
  test('a usage error exits 2 before any source is opened', async () => {
    let opened = 0;
    const r = await runCli(['snapshot', '--snapshot', EXAMPLE], {
      sources: {
        open: async () => {
          opened++;
          throw new Error('not to be opened');
        },
        contextNames: async () => [],
      },
    });
    assert.deepEqual([r.code, r.stdout, opened], [2, '', 0]);
    assert.equal(r.stderr.split('\n')[0], 'error: snapshot reads a live cluster; --snapshot cannot be used with it');
  });
});
