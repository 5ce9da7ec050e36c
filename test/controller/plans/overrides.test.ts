// trigger's overrides: image, env (added or replaced), args, in the chosen container.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyOverrides, describeOverrides, type Overrides } from '../../../src/controller/plans/overrides.js';
import type { Job } from '../../../src/api/types.js';

const base = (): Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'x' },
  spec: {
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'main',
            image: 'app:1',
            command: ['/run'],
            args: ['--all'],
            env: [
              { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } },
              { name: 'KEEP', value: 'yes' },
            ],
          },
          { name: 'sidecar', image: 'proxy:2' },
        ],
      },
    },
  },
});

const cases: Array<[string, Overrides, (j: Job) => unknown, unknown]> = [
  [
    '--image goes to the first container by default',
    { image: 'app:2' },
    (j) => j.spec.template.spec.containers.map((c) => c.image),
    ['app:2', 'proxy:2'],
  ],
  [
    '--container picks another',
    { image: 'proxy:3', container: 'sidecar' },
    (j) => j.spec.template.spec.containers.map((c) => c.image),
    ['app:1', 'proxy:3'],
  ],
  [
    '-- args replace the args and keep the command',
    { args: ['--one', 'x'] },
    (j) => [j.spec.template.spec.containers[0]!.command, j.spec.template.spec.containers[0]!.args],
    [['/run'], ['--one', 'x']],
  ],
  ['-- with nothing after it clears the args', { args: [] }, (j) => j.spec.template.spec.containers[0]!.args, []],
  [
    '--env replaces a variable (its valueFrom too) and appends a new one; the later of two wins',
    {
      env: [
        ['MODE', 'dry'],
        ['NEW', '1'],
        ['NEW', '2'],
      ],
    },
    (j) => j.spec.template.spec.containers[0]!.env,
    [
      { name: 'MODE', value: 'dry' },
      { name: 'KEEP', value: 'yes' },
      { name: 'NEW', value: '2' },
    ],
  ],
  [
    '--env on a container without env',
    { env: [['A', '']], container: 'sidecar' },
    (j) => j.spec.template.spec.containers[1]!.env,
    [{ name: 'A', value: '' }],
  ],
];

describe('applyOverrides', () => {
  for (const [title, o, pick, want] of cases) {
    it(title, () => {
      const before = base();
      const r = applyOverrides(before, o);
      assert.ok(!('error' in r));
      assert.deepEqual(pick(r.job), want);
      assert.deepEqual(before, base(), 'the input is not changed');
    });
  }
  it('an unknown --container names the containers there are', () => {
    assert.deepEqual(applyOverrides(base(), { container: 'nope', image: 'x' }), {
      error: 'container "nope" not found in the Job template; its containers: main, sidecar',
    });
  });
  it('describeOverrides says what changed and where', () => {
    assert.equal(
      describeOverrides({ image: 'a:1', env: [['K', 'V']], args: ['echo', 'hi'] }, 'main'),
      'image a:1, env K=V, args ["echo","hi"] in container main',
    );
    assert.equal(describeOverrides({}, 'main'), '');
  });
});
