// The scope flags of `why` and `misses` (which CronJobs, which contexts), the worst-exit rule of
// an audit of several clusters and the bounded pool, in process.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { splitContexts } from '../../src/cli/flags.js';
import {
  DEFAULT_MAX_CONCURRENCY,
  mapBounded,
  parseMaxConcurrency,
  parseMissesScope,
  parseWhyScope,
  worstExitCode,
  type WhyScopeInput,
} from '../../src/cli/scope.js';
import { UsageError } from '../../src/errors.js';

const base: WhyScopeInput = { contexts: [], format: 'text' };

describe('parseWhyScope', () => {
  const ok: Array<[string, Partial<WhyScopeInput>, ReturnType<typeof parseWhyScope>]> = [
    ['a name reads one object', { target: 'cronjob/backup' }, { kind: 'one', target: 'cronjob/backup' }],
    [
      'a name with one --context is still one object',
      { target: 'backup', contexts: ['eu'] },
      { kind: 'one', target: 'backup' },
    ],
    ['--all', { all: true }, { kind: 'fleet', selector: undefined, maxConcurrency: DEFAULT_MAX_CONCURRENCY }],
    ['-A implies --all', { allNamespaces: true }, { kind: 'fleet', selector: undefined, maxConcurrency: 4 }],
    ['-l implies --all', { selector: 'app=etl' }, { kind: 'fleet', selector: 'app=etl', maxConcurrency: 4 }],
    [
      "-l '' selects everything",
      { all: true, selector: '' },
      { kind: 'fleet', selector: undefined, maxConcurrency: 4 },
    ],
    [
      'set-based -l',
      { all: true, selector: 'tier in (batch,etl),!legacy' },
      { kind: 'fleet', selector: 'tier in (batch,etl),!legacy', maxConcurrency: 4 },
    ],
    [
      'one --context keeps the one-cluster output (no contexts)',
      { all: true, contexts: ['eu'] },
      { kind: 'fleet', selector: undefined, maxConcurrency: 4 },
    ],
    [
      'one --context with -o name is fine',
      { all: true, contexts: ['eu'], format: 'name' },
      { kind: 'fleet', selector: undefined, maxConcurrency: 4 },
    ],
    [
      'one --context with a snapshot is fine',
      { all: true, contexts: ['eu'], snapshot: 'f.yaml' },
      { kind: 'fleet', selector: undefined, maxConcurrency: 4 },
    ],
    [
      'two contexts, in the order given',
      { all: true, contexts: ['us', 'eu'] },
      { kind: 'fleet', selector: undefined, maxConcurrency: 4, contexts: ['us', 'eu'] },
    ],
    [
      '--all-contexts implies --all',
      { allContexts: true },
      { kind: 'fleet', selector: undefined, maxConcurrency: 4, contexts: 'all' },
    ],
    [
      '--max-concurrency',
      { all: true, contexts: ['a', 'b'], maxConcurrency: '2' },
      { kind: 'fleet', selector: undefined, maxConcurrency: 2, contexts: ['a', 'b'] },
    ],
    [
      '--max-concurrency with one cluster is accepted (nothing to bound)',
      { all: true, maxConcurrency: '9' },
      { kind: 'fleet', selector: undefined, maxConcurrency: 9 },
    ],
    [
      '-A, -l and contexts together',
      { allNamespaces: true, selector: 'app=x', contexts: ['a', 'b'] },
      { kind: 'fleet', selector: 'app=x', maxConcurrency: 4, contexts: ['a', 'b'] },
    ],
    [
      '--as applies to every context',
      { all: true, contexts: ['a', 'b'], flags: { as: 'alice', requestTimeout: '5s', namespace: 'prod' } },
      { kind: 'fleet', selector: undefined, maxConcurrency: 4, contexts: ['a', 'b'] },
    ],
  ];
  for (const [name, input, want] of ok) {
    test(name, () => assert.deepEqual(parseWhyScope({ ...base, ...input }), want));
  }

  const bad: Array<[string, Partial<WhyScopeInput>, RegExp]> = [
    ['nothing to read', {}, /name a CronJob or Job, or pass --all/],
    ['a name and --all', { target: 'backup', all: true }, /give a name or --all, not both/],
    [
      'a name and -l (kubectl: a name or a selector)',
      { target: 'backup', selector: 'app=x' },
      /not both: -l selects CronJobs by label/,
    ],
    ['a name and --all-contexts', { target: 'backup', allContexts: true }, /not both: --all-contexts/],
    [
      'two contexts without --all',
      { target: 'backup', contexts: ['a', 'b'] },
      /several contexts are audited with --all/,
    ],
    [
      '--context and --all-contexts',
      { all: true, contexts: ['a'], allContexts: true },
      /give --context or --all-contexts, not both/,
    ],
    [
      'a snapshot with two contexts',
      { all: true, contexts: ['a', 'b'], snapshot: 'f.yaml' },
      /--snapshot is one saved cluster/,
    ],
    [
      '-o name with two contexts',
      { all: true, contexts: ['a', 'b'], format: 'name' },
      /-o name cannot say which context/,
    ],
    [
      '--server with two contexts',
      { all: true, contexts: ['a', 'b'], flags: { server: 'https://x' } },
      /--server picks one cluster/,
    ],
    [
      '--token and --user with --all-contexts',
      { allContexts: true, flags: { token: 't', user: 'u' } },
      /--user, --token picks one cluster or user/,
    ],
    ['a malformed selector', { all: true, selector: 'a=(b' }, /invalid label selector for -l "a=\(b"/],
    ['a selector with a bad key', { selector: '-x=1' }, /is not a label key/],
    [
      '--max-concurrency 0',
      { all: true, maxConcurrency: '0' },
      /--max-concurrency takes a whole number of at least 1, not "0"/,
    ],
    ['--max-concurrency -1', { all: true, maxConcurrency: '-1' }, /at least 1/],
    ['--max-concurrency 1.5', { all: true, maxConcurrency: '1.5' }, /at least 1/],
    ['--max-concurrency four', { all: true, maxConcurrency: 'four' }, /at least 1/],
  ];
  for (const [name, input, message] of bad) {
    test(`usage error: ${name}`, () =>
      assert.throws(
        () => parseWhyScope({ ...base, ...input }),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
      ));
  }
});

describe('parseMissesScope', () => {
  test('a name, -l, --all and -A', () => {
    assert.deepEqual(parseMissesScope({ target: 'backup' }), { kind: 'one', target: 'backup' });
    assert.deepEqual(parseMissesScope({ selector: 'app=x' }), {
      kind: 'fleet',
      selector: 'app=x',
      allNamespaces: false,
    });
    assert.deepEqual(parseMissesScope({ selector: 'app=x', allNamespaces: true }), {
      kind: 'fleet',
      selector: 'app=x',
      allNamespaces: true,
    });
    assert.deepEqual(parseMissesScope({ all: true }), { kind: 'fleet', selector: undefined, allNamespaces: false });
    assert.deepEqual(parseMissesScope({ allNamespaces: true }), {
      kind: 'fleet',
      selector: undefined,
      allNamespaces: true,
    });
  });
  test('usage errors: a name with a selector or --all, nothing, a bad selector', () => {
    const fails = (i: Parameters<typeof parseMissesScope>[0], re: RegExp) =>
      assert.throws(
        () => parseMissesScope(i),
        (e: unknown) => e instanceof UsageError && re.test(e.message),
      );
    fails({ target: 'backup', selector: 'app=x' }, /a name cannot be given with -l/);
    fails({ target: 'backup', all: true }, /give a name or --all, not both/);
    fails({}, /name a CronJob, or select some with -l or --all/);
    fails({ selector: 'app in (x' }, /unbalanced parentheses/);
  });
});

describe("worstExitCode: the README table's order, later rows worse", () => {
  const cases: Array<[number[], number]> = [
    [[], 0],
    [[0, 0], 0],
    [[0, 1], 1],
    [[1, 0, 1], 1],
    [[1, 3], 3], // an unreachable cluster outranks a problem found in another
    [[0, 5, 3], 5],
    [[4, 3], 4],
    [[1, 5], 5],
    [[2, 1], 2],
  ];
  for (const [codes, want] of cases)
    test(`[${codes.join(', ')}] → ${want}`, () => assert.equal(worstExitCode(codes), want));
});

describe('parseMaxConcurrency', () => {
  test('default and whole numbers', () => {
    assert.equal(parseMaxConcurrency(undefined), DEFAULT_MAX_CONCURRENCY);
    assert.equal(parseMaxConcurrency('1'), 1);
    assert.equal(parseMaxConcurrency('16'), 16);
  });
});

describe('mapBounded', () => {
  for (const limit of [1, 2, 4]) {
    test(`never more than ${limit} at once, results in input order`, async () => {
      let running = 0;
      let peak = 0;
      const items = [30, 5, 20, 1, 10, 15, 2, 8];
      const out = await mapBounded(items, limit, async (ms, i) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, ms));
        running--;
        return `${i}:${ms}`;
      });
      assert.deepEqual(
        out,
        items.map((ms, i) => `${i}:${ms}`),
      );
      assert.equal(peak, limit);
    });
  }
  test('an empty list', async () => assert.deepEqual(await mapBounded([], 4, async () => 1), []));
});

describe('splitContexts (the repeatable --context)', () => {
  test('last one wins for one-cluster commands; every distinct non-empty one in order', () => {
    assert.deepEqual(splitContexts(undefined), { context: undefined, contexts: [] });
    assert.deepEqual(splitContexts(['a']), { context: 'a', contexts: ['a'] });
    assert.deepEqual(splitContexts(['b', 'a', 'b']), { context: 'b', contexts: ['b', 'a'] });
    assert.deepEqual(splitContexts(['a', '']), { context: '', contexts: ['a'] });
  });
});
