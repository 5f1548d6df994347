// client-node is loaded on first use, not at module load: the extension's activation must not
// pay for evaluating client-node until a cluster is actually opened. esbuild turns this require()
// into a lazily initialized module of the CJS bundle, evaluated on first call, and still
// tree-shakes client-node down to the names clientNodeExports.ts lists. (A dynamic import() of a
// relative .ts file would bypass the tsx/cjs hook the unit tests run under.)
import type * as ClientNodeExports from './clientNodeExports';

export type ClientNode = typeof ClientNodeExports;

let loaded: ClientNode | undefined;

export function loadClientNode(): Promise<ClientNode> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy boundary, see above
    loaded ??= require('./clientNodeExports') as ClientNode;
    return Promise.resolve(loaded);
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}
