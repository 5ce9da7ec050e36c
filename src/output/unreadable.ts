// The block under an answer that lists the reads the server forbade and what they weaken.
import type { Unreadable } from '../cluster/unreadable.js';
import { unreadableLines } from '../explain/unreadable.js';
import type { Style } from './style.js';

/** Text appended to a text answer ('' when everything was readable). */
export function renderUnreadable(list: Unreadable[], style: Style, where = ''): string {
  if (list.length === 0) return '';
  return `\n${style.tone('warn', `! Not readable with your permissions${where}`)}\n${unreadableLines(list)
    .map((l) => `    ${l}\n`)
    .join('')}`;
}
