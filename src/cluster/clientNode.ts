// client-node is loaded on first use, not at module load: the extension's activation must not
// pay for evaluating client-node until a cluster is actually opened. In the CJS bundle esbuild
// turns import() into a lazily initialized module, evaluated on first call.
import type * as ClientNodeExports from './clientNodeExports';

export type ClientNode = typeof ClientNodeExports;

let loading: Promise<ClientNode> | undefined;

export function loadClientNode(): Promise<ClientNode> {
  loading ??= import('./clientNodeExports');
  return loading;
}
