// A snapshot of a container's last log lines, for crash-loop evidence. Nothing is stripped
// here: analysis sanitizes what it shows.
import type { ApiClient } from './apiClient';

export interface ReadLogsOptions {
  /** The previous (crashed) instance of the container, as `kubectl logs --previous`. */
  previous?: boolean;
  tailLines?: number;
  /** Caps the transfer for very chatty containers. Default 256 KiB. */
  limitBytes?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export function readPodLogs(
  client: ApiClient,
  namespace: string,
  pod: string,
  container: string,
  options: ReadLogsOptions = {},
): Promise<string> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
  return client.getText(
    path,
    {
      container,
      previous: options.previous ? true : undefined,
      tailLines: options.tailLines,
      limitBytes: options.limitBytes ?? 256 * 1024,
    },
    { ...(options.signal ? { signal: options.signal } : {}), timeoutMs: options.timeoutMs ?? 15_000 },
  );
}
