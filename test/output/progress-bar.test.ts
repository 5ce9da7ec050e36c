import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderBar, startProgressBar } from '../../src/output/progress-bar.js';

test('the bar shows done/total, percent and the counters', () => {
  assert.equal(
    renderBar('deleting', 120, 2000, 'deleted 118  skipped 2', 10),
    'deleting [#.........] 120/2000   6%  deleted 118  skipped 2',
  );
  assert.equal(renderBar('deleting', 2000, 2000, '', 4), 'deleting [####] 2000/2000 100%  ');
  assert.equal(renderBar('deleting', 0, 0, '', 4), 'deleting [####] 0/0 100%  ');
});

test('nothing is drawn when not interactive', () => {
  const writes: string[] = [];
  const stream = { write: (s: string) => writes.push(s), columns: 80 } as unknown as NodeJS.WriteStream;
  const bar = startProgressBar('x', false, stream);
  bar.update(1, 2, '');
  bar.stop();
  assert.deepEqual(writes, []);
});

test('an interactive bar redraws one line and clears it at the end', () => {
  const writes: string[] = [];
  const stream = { write: (s: string) => writes.push(s), columns: 80 } as unknown as NodeJS.WriteStream;
  const bar = startProgressBar('deleting', true, stream);
  bar.update(1, 2, 'a');
  bar.update(2, 2, 'b');
  bar.stop();
  assert.ok(writes.every((w) => w.startsWith('\r\x1b[2K')));
  assert.match(writes[writes.length - 2]!, /2\/2 100% {2}b$/);
  assert.equal(writes[writes.length - 1], '\r\x1b[2K');
});
