// The three kinds of failure the tool reports. Only src/cli/main.ts turns them into exit codes.

/** Exit codes: 0 ok/healthy, 1 a problem was found (why) or an operation partly failed, 2+ errors. */
export const ExitCode = {
  Ok: 0,
  ProblemFound: 1,
  Usage: 2,
  Cluster: 3,
  NotFound: 4,
  Forbidden: 5,
  Conflict: 6,
  Internal: 70,
} as const;

/** The user asked for something that cannot work (bad flag, bad schedule, unknown zone...). */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Kinds of cluster failure, named after the API's Status reasons where one exists. */
export type ClusterErrorKind =
  | 'NotFound'
  | 'Forbidden'
  | 'Unauthorized'
  | 'Conflict'
  | 'AlreadyExists'
  | 'Invalid'
  | 'TooManyRequests'
  | 'Timeout'
  | 'Unreachable'
  | 'ServerError'
  | 'Config';

/** A failure talking to the cluster or reading its configuration, with a hint for the user. */
export class ClusterError extends Error {
  override name = 'ClusterError';
  constructor(
    readonly kind: ClusterErrorKind,
    message: string,
    readonly hint?: string,
    readonly status?: number,
  ) {
    super(message);
  }

  /** The server's field errors of an Invalid (422) answer. */
  causes?: Array<{ field: string; message: string }>;

  /** The request that failed (verb, resource, namespace), when the error came from one. */
  request?: { verb: string; resource: string; namespace?: string };

  /** The exit code the CLI uses for this error. */
  get exitCode(): number {
    switch (this.kind) {
      case 'NotFound':
        return ExitCode.NotFound;
      case 'Forbidden':
      case 'Unauthorized':
        return ExitCode.Forbidden;
      case 'Conflict':
      case 'AlreadyExists':
        return ExitCode.Conflict;
      default:
        return ExitCode.Cluster;
    }
  }
}

/** An invariant broke: a bug in this tool, not the user's fault. */
export class InternalError extends Error {
  override name = 'InternalError';
}
