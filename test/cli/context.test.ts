// The evaluation instant of a run (RunContext.now): --now, else the snapshot's capture time (the
// source's public capturedAt), else the moment the run started.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeContext } from '../../src/cli/context.js';
import { memorySurroundings } from '../support/surroundings.js';
import type { GlobalFlags } from '../../src/cli/flags.js';
import { SnapshotSource } from '../../src/cluster/snapshot-file.js';
import type { ClusterSource } from '../../src/cluster/source.js';

const example = fileURLToPath(new URL('../../examples/snapshot.yaml', import.meta.url));
const flags = (extra: Partial<GlobalFlags> = {}): GlobalFlags =>
  ({ color: 'never', controllerTimeZone: 'UTC', ...extra }) as GlobalFlags;
const started = new Date('2030-01-02T03:04:05Z');
const clock = () => started;

test('a snapshot file says when it was captured, and that is the instant commands evaluate at', () => {
  const src = new SnapshotSource(example, 'default', false);
  assert.equal(src.capturedAt, '2026-11-23T08:00:00Z');
  assert.equal(makeContext(flags(), memorySurroundings({ clock })).now(src).toISOString(), '2026-11-23T08:00:00.000Z');
});

test('--now wins over the capture time', () => {
  const src = new SnapshotSource(example, 'default', false);
  assert.equal(
    makeContext(flags({ now: '2026-11-24T00:00:00Z' }), memorySurroundings({ clock }))
      .now(src)
      .toISOString(),
    '2026-11-24T00:00:00.000Z',
  );
});

test('without a capture time (a live cluster, no source yet) it is the moment the run started', () => {
  const live = { capturedAt: undefined } as unknown as ClusterSource;
  const ctx = makeContext(flags(), memorySurroundings({ clock }));
  assert.equal(ctx.now(live), started);
  assert.equal(ctx.now(), started);
});
