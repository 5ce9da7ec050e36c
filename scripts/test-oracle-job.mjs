#!/usr/bin/env node
// npm run test:oracle:job [-- --all-versions]: the Job model against the Job controller's own
// syncJob; the newest and the oldest supported minor by default, every minor with --all-versions.
import { spawnSync } from 'node:child_process';
const all = process.argv.includes('--all-versions');
const env = {
  ...process.env,
  KUBECTL_JOB_ORACLE: '1',
  JOB_ORACLE_VERSIONS: all ? 'all' : (process.env.JOB_ORACLE_VERSIONS ?? 'newest,oldest'),
};
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', 'test/controller/job/controller-differential.test.ts'],
  { stdio: 'inherit', env },
);
process.exit(res.status ?? 1);
