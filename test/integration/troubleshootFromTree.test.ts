// What a user gets from the Clusters view's context menu on the demo cluster: VS Code passes the
// clicked row (a TreeNode) as the command's first argument, so each test takes the real row from
// the view's provider and runs the command with it. Troubleshoot on every workload kind opens a
// read-only report (never dirty, a readable tab title) with the workload's pods, rendered in the
// active column; Describe and Events stay open side by side as tabs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PodscopeApi } from '../../src/extension';
import type { TreeNode } from '../../src/tree/model/treeNode';
import { until as untilEvent } from './support/waits';
import { rowAt } from './support/views';

const EXTENSION_ID = 'podscope.podscope';
const CONTEXT = 'podscope-demo';

let api: PodscopeApi;

function until<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  return untilEvent(
    what,
    probe,
    [api.clusters.onDidChangeTreeData, vscode.window.tabGroups.onDidChangeTabs],
    timeoutMs,
  );
}

function at(path: readonly string[]): TreeNode | undefined {
  return rowAt(api.clusters, path);
}

function tabsOf(uri: vscode.Uri): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString());
}

describe('Clusters view menu: Troubleshoot, Describe and Events on the rows', function () {
  this.timeout(120_000);

  before(async () => {
    const extension = vscode.extensions.getExtension<PodscopeApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    assert.ok(await vscode.commands.executeCommand<string>('podscope.demo.start'));
    // node-exporter's namespace has no problem, so it is only listed with every namespace shown.
    await vscode.commands.executeCommand('podscope.clusters.showAllNamespaces');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('podscope.clusters.showProblemNamespaces');
    await vscode.commands.executeCommand('podscope.demo.stop');
  });

  const rows = [
    { namespace: 'demo', group: 'Deployments', kind: 'Deployment', name: 'apache' },
    { namespace: 'demo', group: 'Deployments', kind: 'Deployment', name: 'report-worker' },
    { namespace: 'shop', group: 'StatefulSets', kind: 'StatefulSet', name: 'redis' },
    { namespace: 'monitoring', group: 'DaemonSets', kind: 'DaemonSet', name: 'node-exporter' },
    { namespace: 'shop', group: 'Jobs', kind: 'Job', name: 'db-migrate' },
    // Its pods come only with a scheduled run, so the report may rightly list none.
    { namespace: 'shop', group: 'CronJobs', kind: 'CronJob', name: 'nightly-report' },
  ];

  for (const row of rows) {
    it(`Troubleshoot on the ${row.kind} row ${row.name} opens its report with its pods`, async () => {
      const path = [CONTEXT, row.namespace, row.group, row.name];
      const node = await until(
        `the ${path.join(' / ')} row${row.kind === 'CronJob' ? '' : ' with pods'}`,
        () => {
          const found = at(path);
          return found && (row.kind === 'CronJob' || api.clusters.getChildren(found).length > 0)
            ? found
            : undefined;
        },
      );
      // The menu item's when-clause: `viewItem =~ /^workload\b/`.
      assert.match(String(api.clusters.getTreeItem(node).contextValue), /^workload\b/);
      const document = await vscode.commands.executeCommand<vscode.TextDocument | undefined>(
        'podscope.workload.troubleshoot',
        node,
      );
      assert.ok(document, 'the command opened no report');
      assert.equal(document.uri.scheme, 'podscope-report');
      assert.equal(document.uri.path.split('/').pop(), `${row.name}.troubleshoot.md`);
      assert.equal(document.languageId, 'markdown');
      assert.equal(document.isUntitled, false);
      assert.equal(document.isDirty, false);
      // The report escapes Markdown (`-` as `\-`); unescaped, it names the object and lists the
      // pods the row shows. Until every kind of the context is listed it says "Loading…", and
      // both the row and the report follow pods that come and go, so both are read again on each
      // change until they agree.
      const heading = new RegExp(`^# Troubleshooting ${row.kind} ${row.namespace}/${row.name}$`, 'm');
      await untilEvent(
        'the report to list the pods of the row',
        () => {
          const text = document.getText().replace(/\\(.)/g, '$1');
          if (!heading.test(text)) throw new Error(`the document says: ${text.slice(0, 200)}`);
          const podsSection = text.slice(text.indexOf('## 1. Pods'), text.indexOf('## 2. Events'));
          const current = at(path);
          const pods = current ? api.clusters.getChildren(current).map((pod) => pod.pod) : [];
          const missing = pods.filter((pod) => !podsSection.includes(`| ${pod} |`));
          if (missing.length > 0) throw new Error(`${missing.join(', ')} not in:\n${podsSection}`);
          if (pods.length === 0 && !/No pods\.|\| NAME \|/.test(podsSection))
            throw new Error(`no pods section:\n${podsSection}`);
          return true;
        },
        [vscode.workspace.onDidChangeTextDocument, api.clusters.onDidChangeTreeData],
        30_000,
      );
    });
  }

  it('the report renders in the active column, its read-only source a tab behind it', async () => {
    const node = await until('the apache row', () => at([CONTEXT, 'demo', 'Deployments', 'apache']));
    const document = await vscode.commands.executeCommand<vscode.TextDocument>(
      'podscope.workload.troubleshoot',
      node,
    );
    const group = vscode.window.tabGroups.activeTabGroup;
    const preview = await until('the Markdown preview', () => {
      const tab = group.activeTab;
      return tab?.input instanceof vscode.TabInputWebview && /markdown/i.test(tab.input.viewType)
        ? tab
        : undefined;
    });
    assert.match(preview.label, /apache\.troubleshoot\.md/);
    const [source] = tabsOf(document.uri);
    assert.ok(source, 'the report’s source tab');
    assert.equal(source.group, group, 'the preview opens where the report is, not in a split');
    assert.equal(source.label, 'apache.troubleshoot.md');
    assert.equal(source.isDirty, false);
    assert.equal(vscode.window.tabGroups.all.length, 1, 'no side-by-side split');
  });

  it('Events opened after Describe on the same row leaves both tabs open', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const node = await until('the report-worker row', () =>
      at([CONTEXT, 'demo', 'Deployments', 'report-worker']),
    );
    const describe = await vscode.commands.executeCommand<vscode.TextEditor>('podscope.pod.describe', node);
    const events = await vscode.commands.executeCommand<vscode.TextEditor>('podscope.pod.events', node);
    assert.equal(describe.document.uri.scheme, 'podscope-describe');
    assert.equal(events.document.uri.scheme, 'podscope-events');
    for (const editor of [describe, events]) {
      const [tab] = tabsOf(editor.document.uri);
      assert.ok(tab, `${editor.document.uri.toString()} has no tab`);
      assert.equal(tab.isPreview, false);
    }
  });
});
