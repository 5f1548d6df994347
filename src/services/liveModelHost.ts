// The extension's one LiveModel, built from the settings: the kubeconfig the user chose (or
// $KUBECONFIG, ~/.kube/config), plus the demo cluster's while it runs. In Restricted Mode a
// context whose user runs a credential plugin (exec, auth provider) does not connect; trusting
// the workspace, changing the kubeconfig setting, or starting or stopping the demo reloads it.
import * as vscode from 'vscode';
import { ClusterError } from '../cluster/clusterError';
import { ClusterManager } from '../cluster/clusterManager';
import type { Config } from '../host/config';
import type { Log } from '../host/log';
import { LiveModel } from '../live/liveModel';
import type { DemoClusterHost } from './demoClusterHost';

export class LiveModelHost implements vscode.Disposable {
  readonly model: LiveModel;
  private readonly reloaded = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];

  /** The kubeconfig was read again and every context closed: views start over. */
  readonly onDidReload = this.reloaded.event;

  constructor(config: Config, demo: DemoClusterHost, log: Log) {
    const manager = new ClusterManager({
      source: () => ({
        ...(config.kubeconfig !== undefined ? { path: config.kubeconfig } : {}),
        ...(demo.kubeconfigPath !== undefined ? { extraPaths: [demo.kubeconfigPath] } : {}),
      }),
      logger: log,
    });
    this.model = new LiveModel(manager, {
      // Reading a cluster starts no process unless the context's user runs a credential plugin:
      // only those contexts wait for trust, the rest stay readable in Restricted Mode.
      refuse: (context) =>
        vscode.workspace.isTrusted || context?.runsCredentialPlugin !== true
          ? undefined
          : new ClusterError(
              'untrusted',
              `Restricted Mode: context ${context.name} runs a credential plugin; trust this workspace to connect`,
            ),
      onListenerError: (error) => log.error('A live model listener failed:', errorText(error)),
      usage: { logger: log },
    });
    this.subscriptions.push(
      this.reloaded,
      demo.onDidChange(() => this.reload(log)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload(log)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('podscope.kubeconfig')) this.reload(log);
      }),
    );
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.model.dispose();
  }

  private reload(log: Log): void {
    this.model.reload().then(
      () => this.reloaded.fire(),
      (error: unknown) => {
        // A broken kubeconfig is shown where the contexts would be; the views read it again.
        log.warn('Reading the kubeconfig failed:', errorText(error));
        this.reloaded.fire();
      },
    );
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
