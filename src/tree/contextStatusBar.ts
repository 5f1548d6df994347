// The active context and namespace in the status bar; a click switches context. It reads the
// kubeconfig through the live model (never connects), so it works in Restricted Mode too.
import * as vscode from 'vscode';
import type { Log } from '../host/log';
import type { LiveModel } from '../live/liveModel';
import type { ClustersTreeModel } from './model/clustersTreeModel';

export class ContextStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'podscope.context',
    vscode.StatusBarAlignment.Left,
    10,
  );
  private readonly subscriptions: { dispose(): void }[] = [];
  private updating: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly live: LiveModel,
    private readonly tree: ClustersTreeModel,
    private readonly log: Log,
  ) {
    this.item.name = 'Podscope Context';
    this.item.command = 'podscope.context.switch';
    this.subscriptions.push(
      live.onDidChangeContexts((e) => {
        if (e.type === 'switched') this.update();
      }),
      // Namespace switches and kubeconfig reloads refresh the whole tree.
      tree.onDidChange((nodes) => {
        if (!nodes) this.update();
      }),
    );
    this.update();
  }

  /** The text shown, for tests. */
  get text(): string {
    return this.item.text;
  }

  update(): void {
    if (this.updating) {
      this.again = true;
      return;
    }
    this.updating = this.render()
      .catch((error: unknown) => {
        this.log.warn('Status bar:', error instanceof Error ? error.message : String(error));
        this.item.hide();
      })
      .finally(() => {
        this.updating = undefined;
        if (this.again) {
          this.again = false;
          this.update();
        }
      });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }

  private async render(): Promise<void> {
    const [infos, active] = await Promise.all([this.live.contextInfos(), this.live.activeContext()]);
    const info = infos.find((c) => c.name === active);
    if (!info) {
      this.item.text = '$(vm-outline) Podscope: no context';
      this.item.tooltip = 'Choose a Kubernetes context';
      this.item.show();
      return;
    }
    const namespace = this.tree.homeNamespace(info.name, info);
    this.item.text = `$(vm-active) ${info.name} · ${namespace}`;
    this.item.tooltip = new vscode.MarkdownString(
      `Kubernetes context **${escape(info.name)}**, namespace **${escape(namespace)}**${info.server ? `  \nServer: ${escape(info.server)}` : ''}  \nClick to switch context.`,
    );
    this.item.show();
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&$]/g, (c) => `\\${c}`);
}
