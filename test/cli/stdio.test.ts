import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fdWriter } from '../../src/cli/stdio.js';

test('writes every byte to the descriptor; a file is not a terminal', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'kj-stdio-')), 'out');
  const fd = openSync(file, 'w');
  const w = fdWriter(fd, () => assert.fail('no broken pipe on a file'));
  const big = 'é'.repeat(200_000);
  assert.equal(w.write('a\n'), true);
  w.write(big);
  closeSync(fd);
  assert.equal(readFileSync(file, 'utf8'), `a\n${big}`);
  assert.equal(w.isTTY, false);
});

test('a reader that went away ends the run quietly, once; a full non-blocking pipe is waited for', () => {
  // A child writes 1 MB through fdWriter into a pipe that `head -c 10` closes early: the
  // broken-pipe callback runs once and the process exits 0 without a stack trace.
  const script = `
    import { fdWriter } from ${JSON.stringify(new URL('../../src/cli/stdio.ts', import.meta.url).href)};
    let calls = 0;
    const w = fdWriter(1, () => { calls++; process.stderr.write('broken ' + calls + '\\n'); });
    for (let i = 0; i < 64 && w.write('x'.repeat(16384)); i++);
    w.write('more');
    process.stderr.write('done ' + calls + '\\n');
  `;
  const r = spawnSync(
    'bash',
    ['-c', `"${process.execPath}" --import tsx --input-type=module -e "$0" | head -c 10 >/dev/null`, script],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^broken 1\ndone 1\n$/);
  // Everything arrives when the reader is slow (the pipe fills and is waited for).
  const slow = spawnSync(
    'bash',
    [
      '-c',
      `"${process.execPath}" --import tsx --input-type=module -e "$0" | (sleep 0.3; wc -c)`,
      script.replace("'more'", "''"),
    ],
    { encoding: 'utf8' },
  );
  assert.equal(slow.stdout.trim(), String(64 * 16384), slow.stderr);
});
