// Shell completion through kubectl's plugin completion (kubectl >= 1.26). For `kubectl job a b c<TAB>`
// kubectl runs the executable `kubectl_complete-job` found on PATH with the words after the plugin
// name, the last one being the word to complete (empty for a new word), and reads stdout: one
// candidate per line (`value<TAB>description`), optionally followed by `:<n>`, a cobra
// ShellCompDirective. Its stderr goes to the terminal, so this stays silent.
// (kubernetes staging/src/k8s.io/kubectl/pkg/cmd/plugin/plugin_completion.go)
//
// bin/kubectl_complete-job runs `kubectl-job __complete WORD...`, which main() routes here.
// Subcommands and flags come from the commander program; names come from the cluster (or the
// --snapshot file) the typed flags point at, with short timeouts and no output on failure.
import type { Argument, Command, Option } from 'commander';
import type { SourceFlags } from '../cluster/open.js';
import { globalFlagSet } from './flags.js';
import { parseTarget } from './target.js';

/** cobra's ShellCompDirective bits. */
export const Directive = {
  Default: 0,
  Error: 1,
  NoSpace: 2,
  NoFileComp: 4,
  FilterFileExt: 8,
  FilterDirs: 16,
  KeepOrder: 32,
} as const;

/** What to print: candidates (`value` or `value\tdescription`) and a directive. */
export interface Completion {
  candidates: string[];
  directive: number;
}

type Kind = 'CronJob' | 'Job';

/** A named object offered for an object argument. */
export interface NamedObject {
  kind: Kind;
  name: string;
  /** Shown beside the name by shells that show descriptions. */
  detail?: string;
}

/** Where completion looks names up. Every method resolves to [] on any failure. */
export interface Lookup {
  objects(kinds: Kind[], flags: SourceFlags): Promise<NamedObject[]>;
  namespaces(flags: SourceFlags): Promise<string[]>;
  /** Context, cluster or user names of the kubeconfig the flags select. */
  kubeconfigNames(what: 'contexts' | 'clusters' | 'users', flags: SourceFlags): Promise<string[]>;
}

/** The whole budget for a cluster lookup: a shell waiting on TAB should not notice. */
export const LOOKUP_TIMEOUT_MS = 2000;

/** Answers kubectl's completion request: prints candidates and the directive; always exit code 0. */
export async function complete(program: Command, words: string[], out: { write(s: string): unknown } = process.stdout): Promise<number> {
  // stderr reaches the user's prompt: no process warnings while completing.
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  let result: Completion;
  try {
    result = await completions(program, words);
  } catch {
    result = { candidates: [], directive: Directive.NoFileComp };
  } finally {
    for (const l of listeners) process.on('warning', l);
  }
  out.write(formatCompletion(result));
  return 0;
}

/** The stdout kubectl expects. */
export function formatCompletion(c: Completion): string {
  return `${c.candidates.map((x) => `${x.replace(/\n/g, ' ')}\n`).join('')}:${c.directive}\n`;
}

interface Parsed {
  /** The subcommand, or the program itself when none has been typed yet. */
  cmd: Command;
  /** Option values typed so far, by attribute name (last one wins). */
  values: Record<string, string | true>;
  /** Positional arguments typed so far (after the subcommand). */
  positionals: string[];
  /** The option whose value is the word being completed (`-n <TAB>`). */
  pendingValue?: Option;
  /** True after `--`: everything is positional. */
  afterDashDash: boolean;
}

/** Completions for `kubectl job WORDS...` where the last word is the one being completed. */
export async function completions(program: Command, words: string[], lookup: Lookup = clusterLookup): Promise<Completion> {
  const toComplete = words.length > 0 ? words[words.length - 1]! : '';
  const p = parseWords(program, words.slice(0, -1));
  const none: Completion = { candidates: [], directive: Directive.NoFileComp };
  if (!p) return none;

  if (p.pendingValue) return optionValues(p.pendingValue, toComplete, '', p, lookup);
  if (!p.afterDashDash && toComplete.startsWith('-')) {
    const eq = toComplete.indexOf('=');
    if (toComplete.startsWith('--') && eq > 0) {
      const opt = findOption(p.cmd === program ? globalFlagSet() : p.cmd, toComplete.slice(0, eq));
      return opt && !opt.isBoolean() ? optionValues(opt, toComplete.slice(eq + 1), toComplete.slice(0, eq + 1), p, lookup) : none;
    }
    // Before the subcommand: the global flags, then the program's own (--version).
    const flags = p.cmd === program ? [...flagCandidates(globalFlagSet(), toComplete, true), ...flagCandidates(program, toComplete, true, false)] : flagCandidates(p.cmd, toComplete);
    return { candidates: filter(flags, toComplete), directive: Directive.NoFileComp };
  }
  if (p.cmd === program) {
    const subs = visibleCommands(program).map((c) => withDescription(c.name(), c.summary() || c.description()));
    return { candidates: filter(subs, toComplete), directive: Directive.NoFileComp };
  }
  const args = p.cmd.registeredArguments;
  const last = args[args.length - 1];
  const arg = args[p.positionals.length] ?? (last?.variadic ? last : undefined);
  if (!arg) return none;
  const kinds = objectKinds(arg);
  if (kinds.length === 0) return none;
  return { candidates: objectCandidates(await lookup.objects(kinds, sourceFlags(p)), kinds, '', toComplete), directive: Directive.NoFileComp };
}

/** Walks the typed words: finds the subcommand, option values and positionals. Undefined if the subcommand is unknown. */
function parseWords(program: Command, words: string[]): Parsed | undefined {
  const p: Parsed = { cmd: program, values: {}, positionals: [], afterDashDash: false };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (p.afterDashDash) {
      p.positionals.push(w);
      continue;
    }
    if (w === '--') {
      p.afterDashDash = true;
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      const eq = w.indexOf('=');
      const name = w.startsWith('--') && eq > 0 ? w.slice(0, eq) : /^-[^-]./.test(w) ? w.slice(0, 2) : w;
      // Before the subcommand only the global flags are taken (main() moves them after it).
      const opt = findOption(p.cmd.parent === null ? globalFlagSet() : p.cmd, name);
      if (!opt) continue;
      if (opt.isBoolean() || opt.negate) {
        p.values[opt.attributeName()] = true;
      } else if (name !== w) {
        p.values[opt.attributeName()] = w.startsWith('--') ? w.slice(eq + 1) : w.slice(2);
      } else if (i + 1 < words.length) {
        // An optional value (`[v]`) is only taken when the next word is not a flag, as commander does.
        const next = words[i + 1]!;
        if (opt.required || !next.startsWith('-')) {
          p.values[opt.attributeName()] = next;
          i++;
        } else {
          p.values[opt.attributeName()] = true;
        }
      } else if (opt.required) {
        p.pendingValue = opt;
      }
      continue;
    }
    if (p.cmd.parent === null) {
      const sub = visibleCommands(p.cmd).find((c) => c.name() === w || c.aliases().includes(w));
      if (!sub) return undefined;
      p.cmd = sub;
      continue;
    }
    p.positionals.push(w);
  }
  return p;
}

function visibleCommands(program: Command): Command[] {
  return program.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
}

/** The command's visible options (commander keeps the help flag apart: see flagCandidates). */
function allOptions(cmd: Command): Option[] {
  return cmd.options.filter((o) => !o.hidden);
}

function findOption(cmd: Command, flag: string): Option | undefined {
  return allOptions(cmd).find((o) => o.long === flag || o.short === flag);
}

/** `--long` for every flag; short forms too when only `-` has been typed (as cobra does). */
function flagCandidates(cmd: Command, toComplete: string, topLevel = false, withHelp = true): string[] {
  const out: string[] = [];
  const help = { long: '--help', short: '-h', description: `help for ${topLevel || !cmd.parent ? 'kubectl job' : cmd.name()}` };
  for (const o of [...allOptions(cmd), ...(withHelp ? [help] : [])]) {
    const desc = firstLine(o.description);
    if (o.long) out.push(withDescription(o.long, desc));
    if (o.short && (toComplete === '-' || !o.long)) out.push(withDescription(o.short, desc));
  }
  return out;
}

/** Values of one option: its choices, names from the cluster or kubeconfig, or file names. */
async function optionValues(opt: Option, toComplete: string, prefix: string, p: Parsed, lookup: Lookup): Promise<Completion> {
  const offer = (values: string[]): Completion => ({
    candidates: filter(values.map((v) => prefix + v), prefix + toComplete),
    directive: Directive.NoFileComp,
  });
  const choices = opt.argChoices ?? choicesInDescription(opt.description);
  if (choices) return offer(choices);
  const flags = sourceFlags(p);
  switch (opt.long) {
    case '--namespace':
      return offer(await lookup.namespaces(flags));
    case '--context':
      return offer(await lookup.kubeconfigNames('contexts', flags));
    case '--cluster':
      return offer(await lookup.kubeconfigNames('clusters', flags));
    case '--user':
      return offer(await lookup.kubeconfigNames('users', flags));
  }
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(opt.flags)?.[1] ?? '';
  // `<file>` / `<path>` / `<dir>` values: let the shell complete file names.
  if (/^(file|path|dir)/i.test(placeholder)) return { candidates: [], directive: Directive.Default };
  // `--from <cronjob>`: an object, like an object argument.
  const kinds = kindsIn(placeholder);
  if (kinds.length > 0) {
    const objects = await lookup.objects(kinds, flags);
    return { candidates: objectCandidates(objects, kinds, prefix, toComplete), directive: Directive.NoFileComp };
  }
  return { candidates: [], directive: Directive.NoFileComp };
}

/** `output format: json|yaml` style lists in a flag's description. */
function choicesInDescription(description: string): string[] | undefined {
  const m = /:\s*([a-z][\w.-]*(?:=[\w.-]*)?(?:\|[a-z][\w.-]*(?:=[\w.-]*)?)+)/i.exec(description);
  return m ? m[1]!.split('|') : undefined;
}

/**
 * Which kinds an object argument names, read from its definition: `[cronjob]` described as
 * "cronjob/NAME or NAME" takes CronJobs; "cronjob/NAME or job/NAME" takes both.
 */
export function objectKinds(arg: Argument): Kind[] {
  return kindsIn(`${arg.name()} ${arg.description}`);
}

function kindsIn(text: string): Kind[] {
  const words = text.toLowerCase().split(/[^a-z/]+/);
  const kinds: Kind[] = [];
  if (words.some((w) => w.startsWith('cronjob') || w.startsWith('cj/'))) kinds.push('CronJob');
  if (words.some((w) => w === 'job' || w === 'jobs' || w.startsWith('job/'))) kinds.push('Job');
  return kinds;
}

/**
 * Candidates for an object argument. With a `TYPE/` prefix typed, names of that kind keep it;
 * for a single kind bare names; for both kinds `cronjob/NAME` and `job/NAME` (a bare name is
 * ambiguous), plus bare names once something has been typed.
 */
function objectCandidates(objects: NamedObject[], kinds: Kind[], prefix: string, toComplete: string): string[] {
  const offer = (names: string[]) => filter(names.map((n) => prefix + n), prefix + toComplete);
  const slash = toComplete.indexOf('/');
  if (slash >= 0) {
    const type = toComplete.slice(0, slash);
    let kind: Kind | undefined;
    try {
      kind = parseTarget(`${type}/x`, kinds).kind;
    } catch {
      return [];
    }
    return offer(objects.filter((o) => o.kind === kind).map((o) => withDescription(`${type}/${o.name}`, o.detail)));
  }
  const bare = objects.map((o) => withDescription(o.name, o.detail));
  if (kinds.length === 1) return offer(bare);
  const typed = objects.map((o) => withDescription(`${o.kind.toLowerCase()}/${o.name}`, o.detail));
  return dedupe(offer(toComplete ? [...bare, ...typed] : typed));
}

/** The connection and snapshot flags typed so far, with a short request timeout unless one was given. */
function sourceFlags(p: Parsed): SourceFlags {
  const v = p.values;
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const flags: SourceFlags = {
    namespace: str('namespace'),
    kubeconfig: str('kubeconfig'),
    context: str('context'),
    cluster: str('cluster'),
    user: str('user'),
    server: str('server'),
    token: str('token'),
    insecureSkipTlsVerify: v.insecureSkipTlsVerify === true ? true : undefined,
    as: str('as'),
    asUid: str('asUid'),
    certificateAuthority: str('certificateAuthority'),
    clientCertificate: str('clientCertificate'),
    clientKey: str('clientKey'),
    tlsServerName: str('tlsServerName'),
    username: str('username'),
    password: str('password'),
    requestTimeout: str('requestTimeout') ?? `${LOOKUP_TIMEOUT_MS}ms`,
    snapshot: str('snapshot'),
  };
  return flags;
}

function withDescription(value: string, description?: string): string {
  return description ? `${value}\t${firstLine(description)}` : value;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

function filter(candidates: string[], prefix: string): string[] {
  return candidates.filter((c) => c.startsWith(prefix));
}

function dedupe(candidates: string[]): string[] {
  return [...new Set(candidates)];
}

/** Resolves to `fallback` when `work` fails or takes longer than LOOKUP_TIMEOUT_MS. */
async function quietly<T>(work: () => Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), LOOKUP_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([work().catch(() => fallback), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The default lookup: the live cluster (as the typed flags select it) or the --snapshot file. */
export const clusterLookup: Lookup = {
  objects(kinds, flags) {
    return quietly(async () => {
      const { openSource } = await import('../cluster/open.js');
      const src = await openSource(flags);
      try {
        // A snapshot without -n holds whatever namespaces were captured: offer them all.
        const ns = flags.namespace ?? (flags.snapshot ? undefined : src.namespace);
        const [cronJobs, jobs] = await Promise.all([
          kinds.includes('CronJob') ? src.listCronJobs(ns) : [],
          kinds.includes('Job') ? src.listJobs(ns) : [],
        ]);
        const named: NamedObject[] = [];
        for (const c of cronJobs) {
          const detail = `schedule "${c.spec.schedule}"${c.spec.suspend ? ', suspended' : ''}`;
          if (c.metadata.name) named.push({ kind: 'CronJob', name: c.metadata.name, detail });
        }
        for (const j of jobs) if (j.metadata.name) named.push({ kind: 'Job', name: j.metadata.name });
        return named.sort((a, b) => a.name.localeCompare(b.name));
      } finally {
        await src.close();
      }
    }, []);
  },
  namespaces(flags) {
    return quietly(async () => {
      if (flags.snapshot) return [];
      const { openConnection } = await import('../cluster/open.js');
      const { apiRequest, closeConnection } = await import('../cluster/http.js');
      const conn = await openConnection(flags);
      try {
        const list = await apiRequest<{ items?: Array<{ metadata?: { name?: string } }> }>(conn, {
          method: 'GET',
          path: '/api/v1/namespaces',
          what: { verb: 'list', resource: 'namespaces' },
        });
        return (list.items ?? []).flatMap((n) => (n.metadata?.name ? [n.metadata.name] : []));
      } finally {
        await closeConnection(conn);
      }
    }, []);
  },
  kubeconfigNames(what, flags) {
    // Only the files are read (as kubectl picks them); the --context being typed is not applied.
    return quietly(async () => {
      const fs = await import('node:fs/promises');
      const path = await import('node:path');
      const os = await import('node:os');
      const { parse } = await import('yaml');
      const files = flags.kubeconfig
        ? [flags.kubeconfig]
        : process.env.KUBECONFIG
          ? process.env.KUBECONFIG.split(path.delimiter).filter(Boolean)
          : [path.join(process.env.HOME ?? os.homedir(), '.kube', 'config')];
      const names = new Set<string>();
      for (const file of files) {
        const doc = parse(await fs.readFile(file, 'utf8').catch(() => '')) as Record<string, unknown> | null;
        const items = doc?.[what];
        if (Array.isArray(items)) for (const i of items) if (typeof i?.name === 'string') names.add(i.name);
      }
      return [...names];
    }, []);
  },
};
