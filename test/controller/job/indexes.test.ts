// Index-set parsing/formatting as the API writes it, and successPolicy matching.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatIndexes,
  fromIndexes,
  matchSuccessPolicy,
  parseIndexes,
  total,
} from '../../../src/controller/job/indexes.js';

describe('parseIndexes / formatIndexes', () => {
  const table: Array<[string, string, number, string, number]> = [
    ['empty', '', 10, '', 0],
    ['single and range', '1,3-5', 10, '1,3-5', 4],
    ['neighbours merge and pairs print with a comma', '1,2', 10, '1,2', 2],
    ['touching ranges merge', '0-2,3-4', 10, '0-4', 5],
    ['indexes at or above completions are dropped', '2,8-12,20', 10, '2,8,9', 3],
    ['bad pieces are skipped', 'x,4', 10, '4', 1],
  ];
  for (const [name, text, n, want, count] of table) {
    it(name, () => {
      const ivs = parseIndexes(text, n);
      assert.equal(formatIndexes(ivs), want);
      assert.equal(total(ivs), count);
    });
  }
  it('fromIndexes builds intervals from loose indexes', () =>
    assert.equal(formatIndexes(fromIndexes([5, 1, 2, 3, 9])), '1-3,5,9'));
});

describe('matchSuccessPolicy', () => {
  const s = (t: string) => parseIndexes(t, 10);
  it('succeededIndexes: all listed indexes succeeded', () =>
    assert.deepEqual(matchSuccessPolicy([{ succeededIndexes: '0-2' }], 10, s('0-3')), {
      ruleIndex: 0,
      message: 'Matched rules at index 0',
    }));
  it('succeededIndexes: not all succeeded', () =>
    assert.equal(matchSuccessPolicy([{ succeededIndexes: '0-2' }], 10, s('0,1')), null));
  it('succeededIndexes + succeededCount: enough of them', () =>
    assert.equal(matchSuccessPolicy([{ succeededIndexes: '0-4', succeededCount: 2 }], 10, s('3,4,7'))?.ruleIndex, 0));
  it('succeededCount alone', () =>
    assert.equal(
      matchSuccessPolicy([{ succeededIndexes: '9' }, { succeededCount: 3 }], 10, s('1,4,7'))?.message,
      'Matched rules at index 1',
    ));
  it('nothing succeeded: never matches', () => assert.equal(matchSuccessPolicy([{ succeededCount: 0 }], 10, []), null));
});
