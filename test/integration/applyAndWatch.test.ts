// Apply and watch, end to end in a real VS Code against the in-process demo cluster, as a person
// does it from the lightbulb: the preferred oom-killed fix raises the memory limit in the open
// report-worker.yaml (left unsaved); the changed squiggle's "Apply … to check the change" dry-runs
// it, shows the diff, applies server-side and watches until oom-killed clears; and "Create
// ConfigMap … in podscope-demo" starts the missing-cm pod and clears configmap-missing.
// The demo loads its scenarios as `kubectl apply -f` does, so kubectl-client-side-apply owns the
// memory limit: applying the changed limit conflicts, as it would on a real cluster, and only a
// forced apply goes through, leaving podscope as the limit's manager.
// The test reads the cluster only to know the failures have happened before it acts; it waits on
// the API server's watch stream, never on a fixed sleep.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { diagnosticsWhen, ours } from './support/waits';

interface Kubeconfig {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { token: string } }[];
}

interface PodLike {
  metadata?: { name?: string };
  status?: {
    phase?: string;
    containerStatuses?: {
      state?: { waiting?: { reason?: string } };
      lastState?: { terminated?: { reason?: string } };
    }[];
  };
}

interface ApplyResult {
  outcome: string;
  message: string;
}

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  fieldsV1: Record<string, unknown>;
}

/** GETs `path` from the demo's API server. */
function getJson<T>(kubeconfig: Kubeconfig, path: string): Promise<T> {
  const cluster = kubeconfig.clusters[0]!.cluster;
  return new Promise((resolve, reject) => {
    const req = request(
      `${cluster.server}${path}`,
      {
        ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
        headers: { authorization: `Bearer ${kubeconfig.users[0]!.user.token}` },
        timeout: 10_000,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(JSON.parse(body) as T));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.end();
  });
}

/** Whether a managedFields entry owns the worker container's memory limit. */
function ownsMemoryLimit(entry: ManagedFieldsEntry | undefined): boolean {
  const at = (node: unknown, ...elements: string[]): unknown =>
    elements.reduce<unknown>((n, e) => (n as Record<string, unknown> | undefined)?.[e], node);
  return (
    at(
      entry?.fieldsV1,
      'f:spec',
      'f:template',
      'f:spec',
      'f:containers',
      'k:{"name":"worker"}',
      'f:resources',
      'f:limits',
      'f:memory',
    ) !== undefined
  );
}

/** Streams a watch of `path` until some object satisfies `done`, or rejects after `timeoutMs`. */
function watchUntil(
  kubeconfig: Kubeconfig,
  path: string,
  done: (object: PodLike) => boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const cluster = kubeconfig.clusters[0]!.cluster;
  return new Promise((resolve, reject) => {
    let buffer = '';
    const req = request(
      `${cluster.server}${path}${path.includes('?') ? '&' : '?'}watch=true`,
      {
        ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
        headers: { authorization: `Bearer ${kubeconfig.users[0]!.user.token}` },
      },
      (res) => {
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          let newline: number;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + 1);
            const event = JSON.parse(line) as { object?: PodLike };
            if (event.object && done(event.object)) finish();
          }
        });
      },
    );
    const timer = setTimeout(
      () => finish(new Error(`no match for ${path} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    function finish(error?: Error): void {
      clearTimeout(timer);
      req.destroy();
      if (error) reject(error);
      else resolve();
    }
    req.on('error', (error) => finish(error));
    req.end();
  });
}

const EXTENSION_ID = 'podscope.podscope';
function isError(diagnostic: vscode.Diagnostic | undefined): boolean {
  return diagnostic?.severity === vscode.DiagnosticSeverity.Error;
}

/** The file's podscope diagnostics with `code`, once `accept` holds for them. */
async function whenOurs(
  uri: vscode.Uri,
  code: string,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<vscode.Diagnostic[]> {
  return ours(await diagnosticsWhen(uri, (d) => accept(ours(d, code)), what), code);
}

function quickFixes(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Thenable<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    uri,
    diagnostic.range,
    vscode.CodeActionKind.QuickFix.value,
  );
}

describe('Apply and watch against the demo cluster', function () {
  this.timeout(180_000);
  let kubeconfig: Kubeconfig;
  let edited: vscode.TextDocument | undefined;

  before(async () => {
    // VS Code for the Web saves after a delay by default; the claim here is that applying never
    // saves, so the editor must not save on its own either.
    await vscode.workspace
      .getConfiguration('files')
      .update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    const path = await vscode.commands.executeCommand<string>('podscope.demo.start');
    kubeconfig = parse(readFileSync(path, 'utf8')) as Kubeconfig;
  });
  after(async () => {
    if (edited) {
      await vscode.window.showTextDocument(edited);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('podscope.demo.stop');
  });

  it('oom-killed: the lightbulb fix, left unsaved, then its apply-to-check action: declined on the field conflict, then forced: dry-run, diffed, applied, rolled out, cleared, podscope owns the limit', async () => {
    await watchUntil(kubeconfig, '/api/v1/namespaces/demo/pods?labelSelector=app%3Dreport-worker', (pod) =>
      (pod.status?.containerStatuses ?? []).some(
        (s) =>
          s.lastState?.terminated?.reason === 'OOMKilled' || s.state?.waiting?.reason === 'CrashLoopBackOff',
      ),
    );
    const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
    const uri = vscode.Uri.joinPath(root, 'demo', 'workspace', 'report-worker.yaml');
    const onDisk = readFileSync(uri.fsPath, 'utf8');
    const document = await vscode.workspace.openTextDocument(uri);
    edited = document;
    await vscode.window.showTextDocument(document);

    const [oom] = await whenOurs(uri, 'oom-killed', (d) => isError(d[0]), 'the OOM kill');
    const fixes = await quickFixes(uri, oom!);
    const preferred = fixes.find((a) => a.isPreferred);
    assert.match(preferred?.title ?? '', /^OOMKilled: Raise the memory limit to 256Mi/);
    assert.ok(preferred?.edit && (await vscode.workspace.applyEdit(preferred.edit)));
    assert.equal(document.isDirty, true);

    // The field changed since the failure: the squiggle says so, and its lightbulb applies the file.
    const [changed] = await whenOurs(
      uri,
      'oom-killed',
      (d) => d[0]?.severity === vscode.DiagnosticSeverity.Information,
      'the OOM kill shown as changed since the failure',
    );
    const apply = (await quickFixes(uri, changed!)).find(
      (a) => a.command?.command === 'podscope.manifest.apply',
    );
    assert.equal(
      apply?.title,
      'OOMKilled: Apply Deployment report-worker to podscope-demo to check the change',
    );
    const [args] = (apply?.command?.arguments ?? []) as object[];
    const limit = '.spec.template.spec.containers[name="worker"].resources.limits.memory';
    // confirm: false stands for the person's "Apply" in the modal; without force a conflict declines.
    const declined = await vscode.commands.executeCommand<ApplyResult>('podscope.manifest.apply', {
      ...args,
      confirm: false,
    });
    assert.deepEqual(declined, {
      outcome: 'declined',
      message: `Deployment demo/report-worker: not applied. Fields it sets are managed by "kubectl-client-side-apply" using apps/v1: ${limit}; apply with force to take them over.`,
    });
    type Deployment = { metadata: { resourceVersion: string; managedFields: ManagedFieldsEntry[] } };
    const path = '/apis/apps/v1/namespaces/demo/deployments/report-worker';
    const untouched = await getJson<Deployment>(kubeconfig, path);
    assert.ok(
      ownsMemoryLimit(
        untouched.metadata.managedFields.find((e) => e.manager === 'kubectl-client-side-apply'),
      ),
    );
    assert.ok(!untouched.metadata.managedFields.some((e) => e.manager === 'podscope'));

    // force: true stands for the person's "Force Apply": the dry run and diff still come first.
    const result = await vscode.commands.executeCommand<ApplyResult>('podscope.manifest.apply', {
      ...args,
      confirm: false,
      force: true,
    });

    assert.equal(result.outcome, 'cleared', result.message);
    assert.equal(
      result.message,
      `Deployment demo/report-worker: rolled out; oom-killed cleared. Took over from "kubectl-client-side-apply" using apps/v1: ${limit}.`,
    );
    const owned = (await getJson<Deployment>(kubeconfig, path)).metadata.managedFields;
    const podscope = owned.find((e) => e.manager === 'podscope');
    assert.equal(podscope?.operation, 'Apply');
    assert.ok(ownsMemoryLimit(podscope), 'podscope does not own the memory limit');
    assert.ok(!ownsMemoryLimit(owned.find((e) => e.manager === 'kubectl-client-side-apply')));
    // The dry run was shown as a diff: live (128Mi) against what the apply stores (256Mi).
    const diff = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .map((t) => t.input)
      .find(
        (i): i is vscode.TabInputTextDiff =>
          i instanceof vscode.TabInputTextDiff && i.modified.scheme === 'podscope-apply',
      );
    assert.ok(diff, 'no dry-run diff was opened');
    const [left, right] = await Promise.all([
      vscode.workspace.openTextDocument(diff.original),
      vscode.workspace.openTextDocument(diff.modified),
    ]);
    assert.match(left.getText(), /memory: 128Mi/);
    assert.match(right.getText(), /memory: 256Mi/);
    assert.ok(!/managedFields|resourceVersion/.test(right.getText()));
    // The editor's unsaved edit is still there, and the file on disk was not touched.
    assert.equal(document.isDirty, true);
    assert.match(document.getText(), /memory: 256Mi/);
    assert.equal(readFileSync(uri.fsPath, 'utf8'), onDisk);
    // The new pods run, and the file has no OOM kill left on it.
    await watchUntil(
      kubeconfig,
      '/api/v1/namespaces/demo/pods?labelSelector=app%3Dreport-worker',
      (pod) => pod.status?.phase === 'Running',
    );
    await whenOurs(uri, 'oom-killed', (d) => d.length === 0, 'the OOM kill gone from the file');
  });

  it('configmap-missing: the lightbulb creates the ConfigMap in the cluster, the pod starts, the squiggle goes', async () => {
    await watchUntil(
      kubeconfig,
      '/api/v1/namespaces/demo/pods?fieldSelector=metadata.name%3Dmissing-cm',
      (pod) =>
        (pod.status?.containerStatuses ?? []).some(
          (s) => s.state?.waiting?.reason === 'CreateContainerConfigError',
        ),
    );
    const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
    const uri = vscode.Uri.joinPath(root, 'demo', 'workspace', 'missing-cm.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const [missing] = await whenOurs(uri, 'configmap-missing', (d) => d.length > 0, 'configmap-missing');
    const actions = await quickFixes(uri, missing!);
    const create = actions.find((a) => a.command?.command === 'podscope.configMap.create');
    assert.equal(
      create?.title,
      'ConfigMap missing: Create ConfigMap demo/key-cm in the cluster podscope-demo (asks first)',
    );
    // Its neighbour in the menu writes the manifest instead, and says so.
    assert.ok(
      actions.some(
        (a) =>
          a.title ===
          'ConfigMap missing: Create ConfigMap demo/key-cm with keys MY_KEY1, MY_KEY2, as a new document in this file',
      ),
      actions.map((a) => a.title).join('; '),
    );
    const [args] = (create?.command?.arguments ?? []) as object[];
    assert.deepEqual(args, {
      context: 'podscope-demo',
      namespace: 'demo',
      name: 'key-cm',
      keys: ['MY_KEY1', 'MY_KEY2'],
    });
    // confirm: false stands for the person's "Create" in the modal.
    const result = await vscode.commands.executeCommand<ApplyResult>('podscope.configMap.create', {
      ...args,
      confirm: false,
    });
    assert.equal(result.outcome, 'cleared', result.message);
    assert.equal(result.message, 'Pod demo/missing-cm: rolled out; configmap-missing cleared.');
    await watchUntil(
      kubeconfig,
      '/api/v1/namespaces/demo/pods?fieldSelector=metadata.name%3Dmissing-cm',
      (pod) => pod.status?.phase === 'Running',
    );
    await whenOurs(uri, 'configmap-missing', (d) => d.length === 0, 'configmap-missing gone from the file');
  });
});
