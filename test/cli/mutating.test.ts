// Shared flags of the commands that write: --dry-run values and the confirmation prompt.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { confirm, parseDryRun } from '../../src/cli/commands/mutating.js';
import { UsageError } from '../../src/errors.js';

describe('parseDryRun', () => {
  const cases: Array<[string | boolean | undefined, string]> = [
    [undefined, 'none'],
    [true, 'client'],
    ['client', 'client'],
    ['Server', 'server'],
    ['none', 'none'],
  ];
  for (const [v, want] of cases) it(`${JSON.stringify(v)} → ${want}`, () => assert.equal(parseDryRun(v), want));
  it('rejects anything else, saying how to write it', () => {
    assert.throws(
      () => parseDryRun('backup'),
      (e: unknown) =>
        e instanceof UsageError &&
        /must be "none", "client" or "server" \(write it as --dry-run=server\)/.test(e.message),
    );
  });
});

describe('confirm', () => {
  const ask = async (answer: string | null) => {
    const input = new PassThrough();
    const written: string[] = [];
    const p = confirm('Delete 3 finished Jobs?', { write: (s: string) => written.push(s) }, input);
    if (answer === null) input.end();
    else input.write(`${answer}\n`);
    return { ok: await p, written: written.join('') };
  };
  for (const [answer, want] of [
    ['y', true],
    ['yes', true],
    ['Y', true],
    ['n', false],
    ['', false],
    ['yep', false],
  ] as const) {
    it(`"${answer}" → ${want}`, async () => assert.equal((await ask(answer)).ok, want));
  }
  it('end of input is a no', async () => {
    const r = await ask(null);
    assert.equal(r.ok, false);
    assert.equal(r.written, 'Delete 3 finished Jobs? [y/N] \n');
  });
});
