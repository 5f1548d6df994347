// What a caller can add to the cluster's own objects: things analysis cannot read from the API
// objects alone (logs, metrics). Both are optional lookups so analysis stays pure and synchronous;
// the caller fetches ahead of time and answers from its cache.
import type { ObjectRef } from '../../kube/objectRef';

export interface AnalysisOptions {
  /**
   * The last lines a container wrote, oldest first: the previous instance when `previous` is true
   * (the one that crashed). Undefined when not fetched.
   */
  logs?: (pod: ObjectRef, container: string, previous: boolean) => readonly string[] | undefined;
  /** Observed memory working set of a container in bytes (e.g. from metrics-server), if known. */
  memoryUsage?: (pod: ObjectRef, container: string) => number | undefined;
  /** How many log lines a finding quotes. Default 10. */
  logLines?: number;
}

export const DEFAULT_LOG_LINES = 10;
