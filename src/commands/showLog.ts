import type { Log } from '../host/log';

export function showLog(log: Log): () => void {
  return () => log.show(true);
}
