// Completion-index sets in the API's compressed form ("1,3-5,7"), and successPolicy matching.
// Semantics follow kubernetes/kubernetes pkg/controller/job/indexed_job_utils.go
// (parseIndexesFromString: bad pieces skipped, indexes >= completions dropped; String: a pair of
// neighbours is written "3,4", longer runs "3-5") and success_policy.go (matchSuccessPolicy,
// message "Matched rules at index N").
import type { SuccessPolicyRule } from '../../api/types.js';

/** A closed interval of indexes. */
export interface Interval {
  first: number;
  last: number;
}

/** Parses "1,3-5" into ordered, merged intervals below `completions`. */
export function parseIndexes(text: string | undefined, completions: number): Interval[] {
  if (!text) return [];
  const out: Interval[] = [];
  for (const piece of text.split(',')) {
    const [a, b] = piece.split('-');
    if (a === undefined || !/^\d+$/.test(a.trim())) continue;
    const first = Number(a);
    if (first >= completions) break;
    let last = first;
    if (b !== undefined) {
      if (!/^\d+$/.test(b.trim())) continue;
      last = Math.min(Number(b), completions - 1);
    }
    out.push({ first, last });
  }
  return union(out, []);
}

/** Merges two interval lists (either may be unordered) into ordered, non-touching intervals. */
export function union(a: Interval[], b: Interval[]): Interval[] {
  const all = [...a, ...b].sort((x, y) => x.first - y.first);
  const out: Interval[] = [];
  for (const iv of all) {
    const prev = out[out.length - 1];
    if (prev && iv.first <= prev.last + 1) prev.last = Math.max(prev.last, iv.last);
    else out.push({ ...iv });
  }
  return out;
}

/** Intervals from single indexes. */
export function fromIndexes(indexes: Iterable<number>): Interval[] {
  return union(
    [...indexes].map((i) => ({ first: i, last: i })),
    [],
  );
}

/** Number of indexes covered. */
export function total(ivs: Interval[]): number {
  return ivs.reduce((n, iv) => n + iv.last - iv.first + 1, 0);
}

/** Whether the index is covered. */
export function has(ivs: Interval[], ix: number): boolean {
  return ivs.some((iv) => iv.first <= ix && ix <= iv.last);
}

/** The API string form of the intervals. */
export function formatIndexes(ivs: Interval[]): string {
  return ivs
    .map((iv) =>
      iv.last === iv.first
        ? `${iv.first}`
        : iv.last === iv.first + 1
          ? `${iv.first},${iv.last}`
          : `${iv.first}-${iv.last}`,
    )
    .join(',');
}

function overlap(rule: Interval[], succeeded: Interval[]): number {
  let n = 0;
  for (const r of rule)
    for (const s of succeeded) n += Math.max(0, Math.min(r.last, s.last) - Math.max(r.first, s.first) + 1);
  return n;
}

/** Which successPolicy rule (if any) the succeeded indexes satisfy, with the controller's message. */
export function matchSuccessPolicy(
  rules: SuccessPolicyRule[] | undefined,
  completions: number,
  succeeded: Interval[],
): { ruleIndex: number; message: string } | null {
  if (!rules || succeeded.length === 0) return null;
  for (const [index, rule] of rules.entries()) {
    if (rule.succeededIndexes !== undefined) {
      const required = parseIndexes(rule.succeededIndexes, completions);
      if (required.length === 0) continue;
      const got = overlap(required, succeeded);
      if (got === total(required) || (rule.succeededCount !== undefined && got >= rule.succeededCount)) {
        return { ruleIndex: index, message: `Matched rules at index ${index}` };
      }
    } else if (rule.succeededCount !== undefined && total(succeeded) >= rule.succeededCount) {
      return { ruleIndex: index, message: `Matched rules at index ${index}` };
    }
  }
  return null;
}
