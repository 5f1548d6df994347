// The active context and namespace in the status bar; a click switches context. It reads the
// kubeconfig through the live model (never connects), so it works in Restricted Mode too.
import * as vscode from 'vscode';
import type { Log } from '../host/log';
import { escapeMarkdown } from '../kube/sanitize';
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

  /** What a screen reader announces, for tests. */
  get accessibilityLabel(): string | undefined {
    return this.item.accessibilityInformation?.label;
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
      this.item.accessibilityInformation = { label: 'Podscope: no Kubernetes context. Choose one.' };
      this.item.show();
      return;
    }
    const namespace = this.tree.homeNamespace(info.name, info);
    this.item.text = `$(vm-active) ${info.name} · ${namespace}`;
    this.item.tooltip = new vscode.MarkdownString(
      `Kubernetes context **${escapeMarkdown(info.name)}**, namespace **${escapeMarkdown(namespace)}**${info.server ? `  \nServer: ${escapeMarkdown(info.server)}` : ''}  \nClick to switch context.`,
    );
    // A screen reader reads this, not the tooltip's Markdown source.
    this.item.accessibilityInformation = {
      label: `Kubernetes context ${info.name}, namespace ${namespace}. Switch context.`,
    };
    this.item.show();
  }
}
