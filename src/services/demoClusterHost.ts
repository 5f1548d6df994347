// The in-process demo cluster of "Podscope: Start Demo Cluster". Its kubeconfig (one context,
// podscope-demo) lives in the extension's own storage, so the user's ~/.kube/config is never
// touched.
import * as vscode from 'vscode';
import type { DemoCluster } from '../demo/demoCluster';
import type { Log } from '../host/log';

export const DEMO_CONTEXT = 'podscope-demo';

export class DemoClusterHost implements vscode.Disposable {
  private running: Promise<DemoCluster> | undefined;
  private readyKubeconfig: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();

  /** The demo started or stopped: its context comes or goes beside the user's. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly storageDir: vscode.Uri,
    private readonly log: Log,
  ) {}

  async start(speed: number): Promise<DemoCluster> {
    if (this.running) return this.running;
    this.running = this.launch(speed);
    try {
      const cluster = await this.running;
      this.readyKubeconfig = cluster.kubeconfigPath;
      await vscode.commands.executeCommand('setContext', 'podscope:demoRunning', true);
      this.changed.fire();
      return cluster;
    } catch (error) {
      this.running = undefined;
      throw error;
    }
  }

  async stop(): Promise<boolean> {
    const running = this.running;
    if (!running) return false;
    this.running = undefined;
    this.readyKubeconfig = undefined;
    this.changed.fire();
    await (await running).stop();
    await vscode.commands.executeCommand('setContext', 'podscope:demoRunning', false);
    this.log.info('Demo cluster stopped');
    return true;
  }

  /** The running demo's kubeconfig (one context, podscope-demo), or undefined. */
  get kubeconfigPath(): string | undefined {
    return this.readyKubeconfig;
  }

  dispose(): void {
    this.changed.dispose();
    void this.stop().catch((error: unknown) =>
      this.log.error('Stopping the demo cluster failed:', String(error)),
    );
  }

  private async launch(speed: number): Promise<DemoCluster> {
    await vscode.workspace.fs.createDirectory(this.storageDir);
    // Loaded on demand: the simulator is not part of what activation evaluates.
    const { startDemoCluster } = await import('../demo/demoCluster');
    const kubeconfigOut = vscode.Uri.joinPath(this.storageDir, 'demo-kubeconfig').fsPath;
    const cluster = await startDemoCluster({
      speed,
      kubeconfigOut,
      logger: (level, message) => {
        if (level === 'error' || level === 'warn') this.log[level](`demo: ${message}`);
      },
    });
    this.log.info(
      `Demo cluster ready at ${cluster.url} (context ${DEMO_CONTEXT}, kubeconfig ${cluster.kubeconfigPath})`,
    );
    return cluster;
  }
}
