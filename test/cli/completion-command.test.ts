// `kubectl job completion` (src/cli/commands/completion.ts), in process: it prints the
// kubectl_complete-job script and nothing else. (test/packaging/completion.test.ts keeps the
// script equal to bin/kubectl_complete-job and covers the completion protocol itself.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMPLETION_SCRIPT, parseCompletion } from '../../src/cli/commands/completion.js';
import { runCli } from '../support/run-cli.js';

describe('completion', () => {
  it('prints the script on stdout, exit 0', async () => {
    const r = await runCli(['completion']);
    assert.deepEqual(r, { code: 0, stdout: COMPLETION_SCRIPT, stderr: '' });
  });

  it('accepts the global flags, as every command does, before or after its name', async () => {
    for (const args of [
      ['-n', 'prod', 'completion'],
      ['completion', '--context', 'dev'],
    ]) {
      const r = await runCli(args);
      assert.deepEqual(r, { code: 0, stdout: COMPLETION_SCRIPT, stderr: '' }, args.join(' '));
    }
  });

  it('an operand is a usage error (exit 2), and nothing is printed on stdout', async () => {
    const r = await runCli(['completion', 'bash']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: too many arguments for 'completion'\. Expected 0 arguments but got 1: bash\./);
  });

  it('parseCompletion (pure): no options', () => {
    assert.deepEqual(parseCompletion({ args: [], opts: {} as never }), {});
  });
});
