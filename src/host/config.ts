// Typed access to Podscope's settings, read when asked so a changed setting applies at once.
import * as vscode from 'vscode';

export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('podscope');
  }

  /** Machine-scoped: a workspace cannot point it at a binary of its choosing. */
  get kubectlPath(): string {
    return this.section.get<string>('kubectlPath', 'kubectl') || 'kubectl';
  }

  /** Machine-scoped. Empty: $KUBECONFIG, then ~/.kube/config. */
  get kubeconfig(): string | undefined {
    return this.section.get<string>('kubeconfig', '') || undefined;
  }

  get demoSpeed(): number {
    const speed = this.section.get<number>('demo.speed', 10);
    return speed > 0 ? speed : 10;
  }
}
