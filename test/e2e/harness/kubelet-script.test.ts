// Unit tests of the kubelet stand-in's script parsing (no cluster needed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration, parseScript, script, stepFor } from './kubelet-script.js';

test('durations', () => {
  assert.equal(parseDuration('500ms', 0), 500);
  assert.equal(parseDuration('1.5s', 0), 1500);
  assert.equal(parseDuration('2m', 0), 120_000);
  assert.equal(parseDuration(250, 0), 250);
  assert.equal(parseDuration(undefined, 200), 200);
  assert.throws(() => parseDuration('soon', 0), /bad duration/);
});

test('no annotation means one default step', () => {
  assert.deepEqual(stepFor(parseScript(undefined), 5), {});
});

test('steps are used in order and the last one repeats', () => {
  const s = parseScript(script([{ exit: 1, log: 'a' }, { exit: 0 }]));
  assert.equal(stepFor(s, 0).exit, 1);
  assert.equal(stepFor(s, 1).exit, 0);
  assert.equal(stepFor(s, 7).exit, 0);
});

test('byIndex overrides steps for one completion index', () => {
  const s = parseScript(script({ steps: [{ exit: 0 }], byIndex: { 2: [{ exit: 9 }] } }));
  assert.equal(stepFor(s, 0, '2').exit, 9);
  assert.equal(stepFor(s, 0, '1').exit, 0);
  assert.equal(stepFor(s, 0).exit, 0);
});

test('mistakes are reported', () => {
  assert.throws(() => parseScript('{'), /not JSON/);
  assert.throws(() => parseScript('[{"exitCode":1}]'), /unknown key "exitCode"/);
  assert.throws(() => parseScript('[{"exit":300}]'), /exit must be an integer/);
  assert.throws(() => parseScript('[{"after":"later"}]'), /bad duration/);
  assert.throws(() => parseScript('[{"condition":{}}]'), /condition needs a type/);
  assert.throws(() => parseScript('{"step":[]}'), /unknown key "step"/);
});
