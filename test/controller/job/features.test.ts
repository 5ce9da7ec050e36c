// Feature stages per server version (pkg/features/kube_features.go) and what the model honours.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  enabledByDefault,
  featureStage,
  jobFeatures,
  type FeatureStage,
  type JobFeature,
} from '../../../src/controller/job/features.js';
import { v } from '../../support/job-builders.js';

const table: Array<[JobFeature, number, FeatureStage]> = [
  ['JobPodFailurePolicy', 24, 'absent'],
  ['JobPodFailurePolicy', 25, 'alpha'],
  ['JobPodFailurePolicy', 26, 'beta'],
  ['JobPodFailurePolicy', 31, 'ga'],
  ['JobBackoffLimitPerIndex', 27, 'absent'],
  ['JobBackoffLimitPerIndex', 28, 'alpha'],
  ['JobBackoffLimitPerIndex', 29, 'beta'],
  ['JobBackoffLimitPerIndex', 33, 'ga'],
  ['JobPodReplacementPolicy', 28, 'alpha'],
  ['JobPodReplacementPolicy', 29, 'beta'],
  ['JobPodReplacementPolicy', 34, 'ga'],
  ['JobSuccessPolicy', 29, 'absent'],
  ['JobSuccessPolicy', 30, 'alpha'],
  ['JobSuccessPolicy', 31, 'beta'],
  ['JobSuccessPolicy', 33, 'ga'],
  ['JobManagedBy', 30, 'alpha'],
  ['JobManagedBy', 31, 'alpha'],
  ['JobManagedBy', 32, 'beta'],
  ['JobManagedBy', 35, 'ga'],
  ['SuspendJob', 21, 'alpha'],
  ['SuspendJob', 22, 'beta'],
  ['SuspendJob', 24, 'ga'],
];

describe('featureStage', () => {
  for (const [f, minor, stage] of table)
    it(`${f} on v1.${minor} is ${stage}`, () => assert.equal(featureStage(f, v(1, minor)), stage));
  it('an unknown version counts as current (GA)', () => assert.equal(featureStage('JobManagedBy'), 'ga'));
  it('alpha is off by default, beta on', () => {
    assert.equal(enabledByDefault('JobManagedBy', v(1, 31)), false);
    assert.equal(enabledByDefault('JobManagedBy', v(1, 32)), true);
  });
});

describe('jobFeatures', () => {
  it('honours an alpha field only when it is present on the object', () => {
    assert.equal(jobFeatures(v(1, 30)).successPolicy, false);
    assert.equal(jobFeatures(v(1, 30), { JobSuccessPolicy: true }).successPolicy, true);
    assert.equal(jobFeatures(v(1, 29), { JobSuccessPolicy: true }).successPolicy, false);
  });
  it('delays terminal conditions from v1.31', () => {
    assert.equal(jobFeatures(v(1, 30)).delayTerminalCondition, false);
    assert.equal(jobFeatures(v(1, 31)).delayTerminalCondition, true);
    assert.equal(jobFeatures(undefined).delayTerminalCondition, true);
  });
});
