// Renders an Explanation for people: headline, key facts, causes with evidence and fixes, tables.
import type { Explanation, Tone } from '../explain/types.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';

const MARK: Record<Tone, string> = { ok: '✓', warn: '!', bad: '✗', info: 'i', muted: '·' };

/** The text form of an explanation (ends with a newline). */
export function renderExplanation(x: Explanation, style: Style): string {
  const out: string[] = [];
  out.push(`${style.bold(x.subject)}`);
  out.push(
    `${style.tone(x.headline.tone, `${MARK[x.headline.tone]} ${x.headline.state.toUpperCase()}`)}  ${x.headline.text}`,
  );
  if (x.facts.length) {
    out.push('');
    const width = Math.max(...x.facts.map(([k]) => k.length));
    for (const [k, v] of x.facts) out.push(`  ${style.dim(k.padEnd(width))}  ${v}`);
  }
  for (const c of x.causes) {
    out.push('');
    out.push(`${style.tone(c.tone, `${MARK[c.tone]} ${c.title}`)}  ${style.dim(`(${c.code})`)}`);
    for (const e of c.evidence) out.push(`    ${e}`);
    for (const f of c.fix) out.push(`  ${style.bold('fix:')} ${f}`);
  }
  for (const t of x.tables) {
    out.push('');
    out.push(style.bold(t.title));
    out.push(renderTable(t.head, t.rows, style, t.tones, '  ').replace(/\n$/, ''));
  }
  if (x.notes.length) {
    out.push('');
    for (const n of x.notes) out.push(style.dim(`note: ${n}`));
  }
  return `${out.join('\n')}\n`;
}
