// How tests start kubectl-job as a process. By default the TypeScript sources on this Node (what
// `bin/kubectl-job` runs in a checkout); with KUBECTL_JOB_EXE set, that executable instead, so
// the same tests check the shipped single executable (scripts/test.sh runs the end-to-end suite
// both ways).
import { fileURLToPath } from 'node:url';

const RUN_TS = fileURLToPath(new URL('../../src/cli/run.ts', import.meta.url));

/** The program and leading arguments that run `kubectl-job`. */
export function cliCommand(): { cmd: string; args: string[] } {
  const exe = process.env.KUBECTL_JOB_EXE;
  return exe ? { cmd: exe, args: [] } : { cmd: process.execPath, args: ['--import', 'tsx', RUN_TS] };
}
