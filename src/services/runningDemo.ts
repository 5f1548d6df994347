// Finds a demo cluster started outside this window (`npm run demo`, `podscope demo`) by what the
// kubeconfig says and the server does: its current context is the demo's, and that server
// answers. A kubeconfig left behind by a demo that has stopped does not count. No VS Code here,
// so plain mocha can test it against a real demo cluster.
import { delimiter } from 'node:path';
import { ApiClient } from '../cluster/apiClient';
import { ClusterError } from '../cluster/clusterError';
import type { KubeconfigSource } from '../cluster/kubeconfig';
import { kubeConfigForContext, loadKubeconfig } from '../cluster/kubeconfig';
import { DEMO_CONTEXT } from '../demo/apiserver/kubeconfig';

export interface RunningDemo {
  /** The kubeconfig file(s) it was found through, as a KUBECONFIG value. */
  kubeconfig: string;
  server: string;
}

/** The running demo, or why there is none (for the log). */
export type DemoLookup = { running: RunningDemo } | { absent: string };

export async function findRunningDemo(source: KubeconfigSource, timeoutMs = 2000): Promise<DemoLookup> {
  try {
    const loaded = await loadKubeconfig(source);
    if (loaded.currentContext !== DEMO_CONTEXT)
      return { absent: `the kubeconfig's current context is ${loaded.currentContext ?? 'unset'}` };
    const { kubeConfig, context } = await kubeConfigForContext(loaded, DEMO_CONTEXT);
    await new ApiClient(kubeConfig).getJson('/version', {}, { timeoutMs });
    return { running: { kubeconfig: loaded.files.join(delimiter), server: context.server ?? '' } };
  } catch (error) {
    // No kubeconfig, a broken one, or a demo server that is gone: all mean "start one".
    if (error instanceof ClusterError) return { absent: `${error.reason}: ${error.detail}` };
    throw error;
  }
}
