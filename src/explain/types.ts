// What the explain layer hands to the output layer: plain strings with a tone, no colour.
// The output layer decides how a tone looks (colour on a TTY, nothing in a pipe).

/** How a piece of text should be emphasised. */
export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'muted';

/** A small table inside an explanation (e.g. the attempts of a Job). */
export interface ExplanationTable {
  title: string;
  head: string[];
  rows: string[][];
  /** Optional tone per row (same length as rows). */
  tones?: Array<Tone | undefined>;
}

/** One cause, rendered as a titled block. */
export interface ExplanationCause {
  tone: Tone;
  /** Short code shown beside the title, e.g. the controller's event reason. */
  code: string;
  title: string;
  /** Evidence lines, one fact each. */
  evidence: string[];
  /** What to do: commands or spec changes, one per line. */
  fix: string[];
}

/** A rendered-ready explanation of a verdict, plan or report. */
export interface Explanation {
  /** e.g. `cronjob/backup in namespace prod`. */
  subject: string;
  headline: { tone: Tone; state: string; text: string };
  /** Key facts as label/value pairs (Schedule, Time zone, Last scheduled, Next run, ...). */
  facts: Array<[string, string]>;
  causes: ExplanationCause[];
  tables: ExplanationTable[];
  /** Closing remarks (e.g. what evidence is gone). */
  notes: string[];
}
