// One place decides whether text is coloured: --color, NO_COLOR, FORCE_COLOR, TERM=dumb and isTTY.
// chalk itself ignores NO_COLOR, so the level is set here explicitly.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Tone } from '../explain/types.js';

/** --color values, as in kubectl/stern. */
export type ColorMode = 'auto' | 'always' | 'never';

/** Colour helpers for one output stream. */
export interface Style {
  readonly enabled: boolean;
  tone(t: Tone | undefined, s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

/** Whether colour should be used on a stream under the given mode and environment. */
export function colorEnabled(
  stream: { isTTY?: boolean },
  mode: ColorMode = 'auto',
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}

const same = (s: string) => s;
const PLAIN: Style = { enabled: false, tone: (_t, s) => s, bold: same, dim: same };

/** Builds the style for a stream. */
export function makeStyle(
  stream: { isTTY?: boolean },
  mode: ColorMode = 'auto',
  env: NodeJS.ProcessEnv = process.env,
): Style {
  const enabled = colorEnabled(stream, mode, env);
  // Plain text needs no chalk at all (the bundle then never evaluates it).
  if (!enabled) return PLAIN;
  const c: ChalkInstance = new Chalk({ level: 1 });
  const tones: Record<Tone, (s: string) => string> = {
    ok: c.green,
    warn: c.yellow,
    bad: c.red,
    info: c.cyan,
    muted: c.gray,
  };
  return {
    enabled,
    tone: (t, s) => (t ? tones[t](s) : s),
    bold: (s) => c.bold(s),
    dim: (s) => c.dim(s),
  };
}
