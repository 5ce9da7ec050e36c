import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colorEnabled, makeStyle } from '../../src/output/style.js';

test('colour follows --color, NO_COLOR, FORCE_COLOR, TERM and the TTY', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  assert.equal(colorEnabled(tty, 'auto', {}), true);
  assert.equal(colorEnabled(pipe, 'auto', {}), false);
  assert.equal(
    colorEnabled(tty, 'auto', { NO_COLOR: '1' }),
    false,
    'NO_COLOR wins over a TTY (chalk alone ignores it)',
  );
  assert.equal(colorEnabled(tty, 'auto', { TERM: 'dumb' }), false);
  assert.equal(colorEnabled(pipe, 'auto', { FORCE_COLOR: '1' }), true);
  assert.equal(colorEnabled(tty, 'never', {}), false);
  assert.equal(colorEnabled(pipe, 'always', { NO_COLOR: '1' }), true);
});

test('tones map to fixed ANSI colours when enabled and to plain text when not', () => {
  const on = makeStyle({ isTTY: true }, 'always');
  assert.equal(on.tone('bad', 'x'), '\u001b[31mx\u001b[39m');
  assert.equal(on.tone('ok', 'x'), '\u001b[32mx\u001b[39m');
  assert.equal(on.tone('warn', 'x'), '\u001b[33mx\u001b[39m');
  const off = makeStyle({ isTTY: true }, 'never');
  assert.equal(off.tone('bad', 'x'), 'x');
  assert.equal(off.bold('x'), 'x');
});
