// Spinners and progress go to stderr, and only when stderr is an interactive terminal
// and the data format is for people. Otherwise they are silent no-ops.
import ora, { type Ora } from 'ora';

/** A minimal progress handle. */
export interface Progress {
  update(text: string): void;
  stop(): void;
}

const silent: Progress = { update() {}, stop() {} };

/** Starts a spinner on stderr when interactive (TTY, not CI, colour allowed); else a no-op. */
export function startProgress(text: string, interactive: boolean): Progress {
  if (!interactive) return silent;
  const spinner: Ora = ora({ text, stream: process.stderr, discardStdin: false }).start();
  return {
    update: (t) => {
      spinner.text = t;
    },
    stop: () => spinner.stop(),
  };
}

/** Whether stderr is a terminal worth drawing on. */
export function stderrInteractive(stderr: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    Boolean(stderr.isTTY) && !env.CI && env.TERM !== 'dumb' && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '')
  );
}
