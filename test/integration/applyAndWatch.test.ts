// Apply and watch, end to end in a real VS Code against the in-process demo cluster: the fixed
// memory limit, typed into the open report-worker.yaml and left unsaved, is dry-run, shown as a
// diff, applied server-side and watched until oom-killed clears; and "Create ConfigMap in the
// cluster" (podscope.configMap.create) starts the missing-cm pod and clears configmap-missing.
// The test reads the cluster only to know the failures have happened before it acts; it waits on
// the API server's watch stream, never on a fixed sleep.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import * as vscode from 'vscode';
import { parse } from 'yaml';

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

  it('oom-killed: the unsaved fix in the editor is dry-run, diffed, applied, rolled out, and the finding clears', async () => {
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
    const editor = await vscode.window.showTextDocument(document);
    const at = document.getText().indexOf('memory: 128Mi');
    assert.ok(at > 0);
    const range = new vscode.Range(
      document.positionAt(at + 'memory: '.length),
      document.positionAt(at + 'memory: 128Mi'.length),
    );
    assert.ok(await editor.edit((edit) => edit.replace(range, '512Mi')));
    assert.equal(document.isDirty, true);

    const result = await vscode.commands.executeCommand<ApplyResult>('podscope.manifest.apply', {
      uri: uri.toString(),
      context: 'podscope-demo',
      confirm: false,
    });

    assert.equal(result.outcome, 'cleared', result.message);
    assert.equal(result.message, 'Deployment demo/report-worker: rolled out; oom-killed cleared.');
    // The dry run was shown as a diff: live (128Mi) against what the apply stores (512Mi).
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
    assert.match(right.getText(), /memory: 512Mi/);
    assert.ok(!/managedFields|resourceVersion/.test(right.getText()));
    // The editor's unsaved edit is still there, and the file on disk was not touched.
    assert.equal(document.isDirty, true);
    assert.match(document.getText(), /memory: 512Mi/);
    assert.equal(readFileSync(uri.fsPath, 'utf8'), onDisk);
    // The new pods run.
    await watchUntil(
      kubeconfig,
      '/api/v1/namespaces/demo/pods?labelSelector=app%3Dreport-worker',
      (pod) => pod.status?.phase === 'Running',
    );
  });

  it('configmap-missing: podscope.configMap.create makes the ConfigMap, the pod starts, the finding clears', async () => {
    await watchUntil(
      kubeconfig,
      '/api/v1/namespaces/demo/pods?fieldSelector=metadata.name%3Dmissing-cm',
      (pod) =>
        (pod.status?.containerStatuses ?? []).some(
          (s) => s.state?.waiting?.reason === 'CreateContainerConfigError',
        ),
    );
    const result = await vscode.commands.executeCommand<ApplyResult>('podscope.configMap.create', {
      context: 'podscope-demo',
      namespace: 'demo',
      name: 'key-cm',
      keys: ['MY_KEY1', 'MY_KEY2'],
      confirm: false,
    });
    assert.equal(result.outcome, 'cleared', result.message);
    assert.equal(result.message, 'Pod demo/missing-cm: rolled out; configmap-missing cleared.');
    await watchUntil(
      kubeconfig,
      '/api/v1/namespaces/demo/pods?fieldSelector=metadata.name%3Dmissing-cm',
      (pod) => pod.status?.phase === 'Running',
    );
  });
});
