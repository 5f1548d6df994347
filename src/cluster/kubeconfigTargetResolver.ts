// Scope for command targets: context, kubeconfig file and default
// namespace come from the kubeconfig kubectl would read. Pods and workloads are looked up in the
// live model by live/liveTargets.ts, which wraps this.
import type { KubeTarget, TargetResolver, Unscoped } from '../kube/kubeTarget';
import { kubeconfigPaths, loadKubeconfig } from './kubeconfig';
import type { KubeconfigSource } from './kubeconfig';

export class KubeconfigTargetResolver implements TargetResolver {
  /** `source` is read on every call, so a changed `podscope.kubeconfig` setting applies at once. */
  constructor(private readonly source: () => KubeconfigSource) {}

  async resolve<T extends KubeTarget>(target: Unscoped<T>): Promise<T> {
    const source = this.source();
    const extra = source.extraPaths ?? [];
    const user: KubeconfigSource = { ...source, extraPaths: [] };
    let kubeconfig = target.kubeconfig ?? source.path ?? singleFile(user);
    let context = target.context;
    let namespace = target.namespace;
    if (
      context === undefined ||
      namespace === undefined ||
      (target.kubeconfig === undefined && extra.length > 0)
    ) {
      const loaded = await loadKubeconfig(
        target.kubeconfig !== undefined ? { ...source, path: target.kubeconfig, extraPaths: [] } : source,
      );
      context ??= loaded.currentContext;
      const info = loaded.contexts.find((c) => c.name === context);
      namespace ??= info?.namespace ?? 'default';
      // A context from an extra file (the demo's) is self-contained, and neither the setting nor
      // the terminal's environment names that file: pass it.
      if (target.kubeconfig === undefined && info?.file !== undefined && extra.includes(info.file))
        kubeconfig = info.file;
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
