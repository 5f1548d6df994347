// Typed access to Podscope's settings, read when asked so a changed setting applies at once.
import * as vscode from 'vscode';
import { DEBUG_PROFILES } from '../kube/kubectlArgs';
import type { DebugProfile } from '../kube/kubectlArgs';

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

  /** The shell `podscope.pod.exec` tries first; empty means bash, then sh. */
  get shell(): string | undefined {
    return this.section.get<string>('shell', '').trim() || undefined;
  }

  get debugImage(): string | undefined {
    return this.section.get<string>('debug.image', '').trim() || undefined;
  }

  /** Undefined: leave `--profile` out and get kubectl's default. */
  get debugProfile(): DebugProfile | undefined {
    const profile = this.section.get<string>('debug.profile', '');
    return DEBUG_PROFILES.find((p) => p === profile);
  }

  get demoSpeed(): number {
    const speed = this.section.get<number>('demo.speed', 10);
    return speed > 0 ? speed : 10;
  }

  /** Window-scoped, so a workspace can turn live diagnostics off for itself. */
  get diagnosticsEnabled(): boolean {
    return this.section.get<boolean>('diagnostics.enabled', true);
  }

  /** The context files of this folder are diagnosed against; empty means the active context. */
  contextFor(uri: vscode.Uri): string | undefined {
    return vscode.workspace.getConfiguration('podscope', uri).get<string>('context', '') || undefined;
  }

  /** The namespace of documents without one in this folder; empty means the context's. */
  namespaceFor(uri: vscode.Uri): string | undefined {
    return vscode.workspace.getConfiguration('podscope', uri).get<string>('namespace', '') || undefined;
  }
}
