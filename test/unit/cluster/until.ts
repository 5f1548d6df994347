// Waits on a condition, re-checked whenever the session reports a change or a state change
// (and on a short poll for conditions only the fake server can see). Never a fixed sleep.
import type { ClusterSession } from '../../../src/cluster/clusterSession';

export function until(
  session: ClusterSession | undefined,
  condition: () => boolean,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const subscriptions = session ? [session.onDidChange(check), session.onDidChangeState(check)] : [];
    const poll = setInterval(check, 20);
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`));
    }, timeoutMs);
    function check(): void {
      if (!condition()) return;
      cleanup();
      resolve();
    }
    function cleanup(): void {
      clearInterval(poll);
      clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
    }
  });
}

/** A logger that keeps every line, so tests can assert what was (not) logged. */
export function recordingLogger(): {
  lines: string[];
  info: (m: string, ...a: unknown[]) => void;
  warn: (m: string, ...a: unknown[]) => void;
  error: (m: string, ...a: unknown[]) => void;
  debug: (m: string, ...a: unknown[]) => void;
} {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (message: string, ...args: unknown[]) => {
      lines.push(
        `${level} ${message} ${args.map((a) => (a instanceof Error ? `${a.name} ${a.message} ${a.stack ?? ''}` : JSON.stringify(a))).join(' ')}`,
      );
    };
  return {
    lines,
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    debug: record('debug'),
  };
}
