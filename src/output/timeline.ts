// The compact timeline picture of `misses`: one mark per schedule time, or, when there are more
// times than fit, one mark per bucket showing the worst fate in it. Marks differ by shape as well
// as colour, so the picture reads without colour too.
import type { SlotFate } from '../controller/cronjob/timeline.js';
import type { Tone } from '../explain/types.js';
import type { Style } from './style.js';

/** What the picture needs of a timeline: its length and each slot's fate (and whether its run failed). */
export interface TimelineSource {
  length: number;
  fate(i: number): SlotFate;
  failed(i: number): boolean;
}

type Mark = { ch: string; tone: Tone; rank: number; label: string };

const MARKS: Record<SlotFate | 'failed', Mark> = {
  missed: { ch: 'X', tone: 'bad', rank: 11, label: 'missed (never started)' },
  replaced: { ch: 'R', tone: 'bad', rank: 10, label: 'replaced (killed by the next run)' },
  'missed-deadline': { ch: 'x', tone: 'bad', rank: 9, label: 'missed deadline' },
  failed: { ch: 'F', tone: 'bad', rank: 8, label: 'ran, failed' },
  forbid: { ch: 'b', tone: 'warn', rank: 7, label: 'skipped (Forbid)' },
  suspended: { ch: 's', tone: 'warn', rank: 6, label: 'suspended' },
  due: { ch: '!', tone: 'info', rank: 5, label: 'due now' },
  unknown: { ch: '?', tone: 'muted', rank: 4, label: 'unknown (evidence gone)' },
  ran: { ch: '.', tone: 'ok', rank: 3, label: 'ran' },
  pruned: { ch: '-', tone: 'muted', rank: 2, label: 'ran, Job since removed (history limit)' },
  'before-creation': { ch: ' ', tone: 'muted', rank: 1, label: 'before creation' },
  future: { ch: ' ', tone: 'muted', rank: 0, label: 'upcoming' },
};

/** Renders the picture: at most `rows` lines of `width` marks, plus a legend of the marks used. */
export function renderTimeline(src: TimelineSource, style: Style, width = 60, rows = 6): string {
  if (src.length === 0) return '';
  const cells = Math.min(src.length, width * rows);
  const per = src.length / cells;
  const used = new Set<Mark>();
  const marks: Mark[] = [];
  for (let c = 0; c < cells; c++) {
    let worst: Mark | undefined;
    const end = Math.min(src.length, Math.floor((c + 1) * per));
    for (let i = Math.floor(c * per); i < end; i++) {
      const f = src.fate(i);
      const m = f === 'ran' && src.failed(i) ? MARKS.failed : MARKS[f];
      if (!worst || m.rank > worst.rank) worst = m;
    }
    marks.push(worst!);
    used.add(worst!);
  }
  const lines: string[] = [];
  for (let r = 0; r * width < marks.length; r++) {
    lines.push(
      `  ${marks
        .slice(r * width, (r + 1) * width)
        .map((m) => style.tone(m.tone, m.ch))
        .join('')}`,
    );
  }
  const scale =
    per > 1
      ? `one mark per ${per.toFixed(per < 10 ? 1 : 0)} schedule times (worst shown)`
      : 'one mark per schedule time';
  const legend = [...used]
    .filter((m) => m.ch !== ' ')
    .sort((a, b) => b.rank - a.rank)
    .map((m) => `${style.tone(m.tone, m.ch)} ${m.label}`);
  return `${lines.join('\n')}\n  ${style.dim(scale)}${legend.length ? `:  ${legend.join('   ')}` : ''}\n`;
}
