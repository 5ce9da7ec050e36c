// The flags every subcommand accepts, as kubectl plugins are expected to (krew best practice):
// connection flags, namespace, snapshot input, the clock, and colour.
import { Command as CommandCtor, type Command, type Option } from 'commander';
import type { SourceFlags } from '../cluster/open.js';
import type { ColorMode } from '../output/style.js';
import { flag, Values } from './flag-values.js';

const COLOR_MODES: readonly ColorMode[] = ['auto', 'always', 'never'];

/** Parsed global flags. */
export interface GlobalFlags extends SourceFlags {
  now?: string;
  color: ColorMode;
  controllerTimeZone: string;
  /** Every --context given, in order and without repeats (`context` holds the last, as kubectl takes it). */
  contexts?: string[];
}

/**
 * Adds the global flags to a command. Each subcommand carries them so they may follow it; given
 * before the subcommand (`kubectl job -n prod why backup`), main() moves them after it (see
 * hoistGlobalFlags).
 */
export function addGlobalFlags(cmd: Command): Command {
  const add = (option: Option) => cmd.addOption(option);
  add(flag('-n, --namespace <ns>', 'namespace (default: the context\'s namespace, or "default")', Values.namespaces));
  add(
    flag('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)', Values.files),
  );
  add(
    flag(
      '--context <name>',
      'the kubeconfig context to use (why --all takes it several times)',
      Values.contexts,
    ).argParser(collect),
  );
  add(flag('--cluster <name>', 'the kubeconfig cluster to use', Values.clusters));
  add(flag('--user <name>', 'the kubeconfig user to use', Values.users));
  add(flag('-s, --server <url>', 'the address of the Kubernetes API server', Values.none));
  add(flag('--token <token>', 'bearer token for authentication', Values.none));
  add(flag('--username <name>', 'username for basic authentication', Values.none));
  add(flag('--password <password>', 'password for basic authentication', Values.none));
  add(flag('--client-certificate <file>', 'path to a client certificate file for TLS', Values.files));
  add(flag('--client-key <file>', 'path to a client key file for TLS', Values.files));
  add(flag('--certificate-authority <file>', 'path to a CA certificate file to verify the server with', Values.files));
  add(
    flag(
      '--tls-server-name <name>',
      "server name to verify the server certificate against (default: the server's host)",
      Values.none,
    ),
  );
  add(flag('--insecure-skip-tls-verify', 'do not verify the server certificate'));
  add(flag('--as <user>', 'impersonate this user', Values.none));
  add(
    flag('--as-group <group>', 'impersonate this group (repeatable)', Values.none).argParser(
      (v: string, prev: string[] = []) => [...prev, v],
    ),
  );
  add(flag('--as-uid <uid>', 'impersonate this UID', Values.none));
  add(
    flag(
      '--request-timeout <duration>',
      'per-request timeout: seconds, or a Go duration such as 30s or 1m30s (0 = none)',
      Values.none,
    ).default('0'),
  );
  add(
    flag(
      '--snapshot <file>',
      'read objects from a file saved with `kubectl get cronjobs,jobs,pods,events -o yaml` (or `kubectl job snapshot`) instead of a cluster; - for stdin',
      Values.files,
    ),
  );
  add(
    flag(
      '--now <time>',
      "evaluate as if the time were this RFC 3339 instant (default: the snapshot's capture time, else the clock)",
      Values.none,
    ),
  );
  add(
    flag(
      '--controller-time-zone <zone>',
      'time zone of kube-controller-manager, used for CronJobs without .spec.timeZone',
      Values.none,
    ).default('UTC'),
  );
  add(flag('--color <when>', 'colour output', Values.oneOf(COLOR_MODES)).choices(COLOR_MODES).default('auto'));
  return cmd;
}

function collect(value: string, previous: unknown): string[] {
  return [...(Array.isArray(previous) ? previous : []), value];
}

/**
 * The repeatable --context as commander collected it: `context` is the last one (what a command
 * reading one cluster uses, as kubectl's last flag wins), `contexts` every distinct non-empty one in order.
 */
export function splitContexts(value: unknown): { context?: string; contexts: string[] } {
  const all = (Array.isArray(value) ? value : typeof value === 'string' ? [value] : []).filter(
    (v): v is string => typeof v === 'string',
  );
  return { context: all.at(-1), contexts: [...new Set(all.filter((v) => v !== ''))] };
}

/**
 * kubectl's plugins take global flags anywhere after the plugin name: moves the global flags that
 * come before the subcommand to just after it, where commander reads them (flags written after
 * the subcommand still win, being later). Anything else before the subcommand is left in place,
 * so an unknown flag is still reported as one.
 */
export function hoistGlobalFlags(args: string[], globals?: Command): string[] {
  // The usual run starts with the subcommand: nothing to move, and no flag table to build.
  if (!args[0]?.startsWith('-')) return args;
  globals ??= globalFlagSet();
  const leading: string[] = [];
  let i = 0;
  while (i < args.length) {
    const a = args[i]!;
    if (a === '--' || !a.startsWith('-') || a === '-') break;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') ? (eq > 0 ? a.slice(0, eq) : a) : a.slice(0, 2);
    const opt = globals.options.find((o) => o.long === name || o.short === name);
    if (!opt) return args;
    const inline = a.startsWith('--') ? eq > 0 : a.length > 2;
    if (opt.required && !inline) {
      if (i + 1 >= args.length) return args;
      leading.push(a, args[i + 1]!);
      i += 2;
    } else {
      leading.push(a);
      i += 1;
    }
  }
  if (leading.length === 0 || i >= args.length || args[i] === '--') return args;
  return [args[i]!, ...leading, ...args.slice(i + 1)];
}

let globalSet: Command | undefined;
/** A command holding only the global flags, to look them up by name. */
export function globalFlagSet(): Command {
  return (globalSet ??= addGlobalFlags(new CommandCtor()));
}
