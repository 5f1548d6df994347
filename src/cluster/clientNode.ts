// client-node is loaded on first use, not at module load: the extension's activation must not
// pay for evaluating ~1.5 MB of generated API code until a cluster is actually opened. In the
// CJS bundle esbuild turns import() into a lazily initialized module, evaluated on first call.
import type * as ClientNodeModule from '@kubernetes/client-node';

export type ClientNode = typeof ClientNodeModule;

let loading: Promise<ClientNode> | undefined;

export function loadClientNode(): Promise<ClientNode> {
  loading ??= import('@kubernetes/client-node');
  return loading;
}
