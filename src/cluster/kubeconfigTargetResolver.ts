// The TargetResolver used until the live model is wired in: context, kubeconfig file and default
// namespace come from the kubeconfig kubectl would read. It does not look pods up, so a pod's
// containers are only those the caller gave (kubectl then picks its default container itself).
import type { KubeTarget, TargetResolver, Unscoped } from '../kube/kubeTarget';
import { kubeconfigPaths, loadKubeconfig } from './kubeconfig';
import type { KubeconfigSource } from './kubeconfig';

export class KubeconfigTargetResolver implements TargetResolver {
  /** `source` is read on every call, so a changed `podscope.kubeconfig` setting applies at once. */
  constructor(private readonly source: () => KubeconfigSource) {}

  async resolve<T extends KubeTarget>(target: Unscoped<T>): Promise<T> {
    const source = this.source();
    const explicit = target.kubeconfig ?? source.path;
    const kubeconfig = explicit ?? singleFile(source);
    let context = target.context;
    let namespace = target.namespace;
    if (context === undefined || namespace === undefined) {
      const loaded = await loadKubeconfig({ ...source, ...(explicit ? { path: explicit } : {}) });
      context ??= loaded.currentContext;
      namespace ??= loaded.contexts.find((c) => c.name === context)?.namespace ?? 'default';
    }
    return {
      ...target,
      namespace,
      ...(context !== undefined ? { context } : {}),
      ...(kubeconfig !== undefined ? { kubeconfig } : {}),
    } as T;
  }
}

/**
 * The one file to pass as `--kubeconfig`. A $KUBECONFIG list of several files has no single-file
 * equivalent; kubectl then reads the same list from the environment the terminal inherits.
 */
function singleFile(source: KubeconfigSource): string | undefined {
  const paths = kubeconfigPaths(source);
  return paths.length === 1 ? paths[0] : undefined;
}
