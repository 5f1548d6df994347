// The Podscope activity-bar container: the Clusters, Restarts and Findings views, the badge
// decorations, the view badge counting failing workloads, context keys for menus and welcome
// content, and the status bar. One object owns all of it and disposes it.
import * as vscode from 'vscode';
import type { Log } from '../host/log';
import type { LiveModelHost } from '../services/liveModelHost';
import { ContextStatusBar } from './contextStatusBar';
import { HealthDecorationProvider } from './healthDecorationProvider';
import { ClustersTreeModel } from './model/clustersTreeModel';
import { FindingsModel } from './model/findingsModel';
import { RestartsModel } from './model/restartsModel';
import type { TreeNode } from './model/treeNode';
import { NodeTreeDataProvider } from './nodeTreeDataProvider';

export class PodscopeViews implements vscode.Disposable {
  readonly clustersModel: ClustersTreeModel;
  readonly restartsModel: RestartsModel;
  readonly findingsModel: FindingsModel;
  readonly clusters: NodeTreeDataProvider;
  readonly restarts: NodeTreeDataProvider;
  readonly findings: NodeTreeDataProvider;
  readonly clustersView: vscode.TreeView<TreeNode>;
  readonly statusBar: ContextStatusBar;
  readonly decorations: HealthDecorationProvider;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(live: LiveModelHost, log: Log) {
    const onError = (message: string, error: unknown): void =>
      log.warn(`${message}:`, error instanceof Error ? error.message : String(error));
    this.clustersModel = new ClustersTreeModel(live.model, { onError });
    this.restartsModel = new RestartsModel(live.model);
    this.findingsModel = new FindingsModel(live.model);
    this.clusters = new NodeTreeDataProvider(this.clustersModel, log);
    this.restarts = new NodeTreeDataProvider(this.restartsModel, log);
    this.findings = new NodeTreeDataProvider(this.findingsModel, log);
    this.clustersView = vscode.window.createTreeView('podscope.clusters', {
      treeDataProvider: this.clusters,
      showCollapseAll: true,
    });
    const restartsView = vscode.window.createTreeView('podscope.restarts', {
      treeDataProvider: this.restarts,
    });
    // Until VS Code says the view shows, its rows are not re-aged (see RestartsModel.setShown).
    this.restartsModel.setShown(restartsView.visible);
    const findingsView = vscode.window.createTreeView('podscope.findings', {
      treeDataProvider: this.findings,
    });
    const decorations = new HealthDecorationProvider();
    this.decorations = decorations;
    this.statusBar = new ContextStatusBar(live.model, this.clustersModel, log);
    this.disposables.push(
      this.clustersModel,
      this.restartsModel,
      this.findingsModel,
      this.clusters,
      this.restarts,
      this.findings,
      this.clustersView,
      restartsView,
      findingsView,
      vscode.window.registerFileDecorationProvider(decorations),
      this.statusBar,
      live.onDidReload(() => {
        this.clustersModel.reset();
        this.statusBar.update();
      }),
      this.clustersModel.onDidChange(() => this.updateClustersView()),
      restartsView.onDidChangeVisibility((e) => this.restartsModel.setShown(e.visible)),
      this.restartsModel.onDidChange(() => {
        restartsView.description = this.restartsModel.size > 0 ? `${this.restartsModel.size}` : undefined;
      }),
    );
    void setContext('podscope:allNamespaces', false);
    void setContext('podscope:clustersFiltered', false);
  }

  /** Shows or hides the filter and namespace-mode menu entries to match the model. */
  updateContextKeys(): void {
    void setContext('podscope:allNamespaces', this.clustersModel.showingAllNamespaces);
    void setContext('podscope:clustersFiltered', this.clustersModel.filter !== undefined);
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }

  private updateClustersView(): void {
    const status = this.clustersModel.status;
    void setContext(
      'podscope:noKubeconfig',
      status?.status === 'error' && status.error.reason === 'noKubeconfig',
    );
    this.clustersView.message = this.clustersModel.message;
    const failing = this.clustersModel.failingCount();
    this.clustersView.badge =
      failing > 0
        ? { value: failing, tooltip: `${failing} failing workload${failing === 1 ? '' : 's'}` }
        : undefined;
  }
}

function setContext(key: string, value: unknown): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}
