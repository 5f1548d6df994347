// `limit` / `continue` paging. The token has the shape of kube-apiserver's (base64 JSON with the
// list's resourceVersion and the key to start after), so clients treat it as opaque exactly as
// they would a real one. Pages after the first are read from the current state, not from a
// snapshot at the first page's resourceVersion, which is the one way this differs from etcd.
import type { KubeObject } from '../../kube/types';
import { badRequest } from './errors';

interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
}

export const objectKeyOf = (o: KubeObject): string =>
  `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export function encodeContinue(resourceVersion: string, lastKey: string): string {
  const token: ContinueToken = {
    v: 'meta.k8s.io/v1',
    rv: Number(resourceVersion),
    start: `${lastKey}\u0000`,
  };
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64');
}

export function decodeContinue(text: string): { resourceVersion: string; startKey: string } {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Partial<ContinueToken>;
    if (token.v !== 'meta.k8s.io/v1' || typeof token.start !== 'string' || typeof token.rv !== 'number')
      throw new Error('bad token');
    return { resourceVersion: String(token.rv), startKey: token.start };
  } catch {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}

export interface Page {
  items: KubeObject[];
  continueToken?: string;
  remainingItemCount?: number;
}

/** One page of `sorted` (already filtered, in key order) starting after the continue token's key. */
export function paginate(
  sorted: KubeObject[],
  resourceVersion: string,
  limit: number | undefined,
  continueText: string | undefined,
): Page {
  let start = 0;
  let rv = resourceVersion;
  if (continueText) {
    const token = decodeContinue(continueText);
    rv = token.resourceVersion;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (objectKeyOf(sorted[mid] as KubeObject) < token.startKey) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  if (!limit || limit <= 0 || start + limit >= sorted.length)
    return { items: start === 0 ? sorted : sorted.slice(start) };
  const items = sorted.slice(start, start + limit);
  const last = items[items.length - 1] as KubeObject;
  return {
    items,
    continueToken: encodeContinue(rv, objectKeyOf(last)),
    remainingItemCount: sorted.length - start - limit,
  };
}
