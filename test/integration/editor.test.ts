// The editor against the in-process demo cluster, through VS Code's own API: diagnostics on the
// contract's fields for each demo scenario, hovers with the cluster's evidence, quick fixes that
// change the text as expected, squiggles that follow edits, and bad input that leaves the editor
// working. The scenario files are copies in a temp folder, so fixes never touch the repository.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parse, stringify } from 'yaml';
import { startDemoCluster } from '../../src/demo/demoCluster';
import type { DemoCluster } from '../../src/demo/demoCluster';
import { codeOf, diagnosticsWhen, ours } from './support/waits';
import { hoverText } from './support/views';

const EXTENSION_ID = 'podscope.podscope';

/** file → the contract code its scenario must produce, and the text of the line the squiggle starts on. */
const scenarios: { file: string; code: string; line: RegExp }[] = [
  { file: 'missing-cm.yaml', code: 'configmap-missing', line: /name: key-cm/ },
  { file: 'high-mem-request-deploy.yaml', code: 'insufficient-memory', line: /memory: "?64Gi/ },
  { file: 'apache.yaml', code: 'crash-loop', line: /- name: apache\b/ },
  { file: 'opscruise-loggw.yaml', code: 'crash-loop', line: /./ },
  { file: 'high-mem-no-priority.yaml', code: 'insufficient-memory', line: /memory:/ },
  { file: 'activator.yaml', code: 'readiness-probe-failed', line: /readinessProbe:/ },
  { file: 'liveness-exec.yaml', code: 'liveness-probe-failed', line: /livenessProbe:/ },
  { file: 'report-worker.yaml', code: 'oom-killed', line: /memory: "?128Mi/ },
  { file: 'web-frontend.yaml', code: 'image-not-found', line: /image: "?nginx:1\.27\.99/ },
  { file: 'db-migrate.yaml', code: 'job-backoff-exceeded', line: /backoffLimit: 2/ },
];
const healthy = ['frontend.yaml', 'node-exporter.yaml', 'shop.yaml'];

describe('Podscope in the editor, against the demo cluster', function () {
  this.timeout(180_000);
  const work = mkdtempSync(join(tmpdir(), 'podscope-editor-'));
  const uri = (file: string): vscode.Uri => vscode.Uri.file(join(work, file));
  const documents = new Map<string, vscode.TextDocument>();
  let second: DemoCluster | undefined;

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    const source = join(extension.extensionPath, 'demo', 'workspace');
    for (const file of readdirSync(source).filter((f) => f.endsWith('.yaml')))
      copyFileSync(join(source, file), join(work, file));
    const config = vscode.workspace.getConfiguration('podscope');
    await config.update('context', 'podscope-demo', vscode.ConfigurationTarget.Global);
    await config.update('demo.speed', 20, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('podscope.demo.start');
    for (const file of [...scenarios.map((s) => s.file), ...healthy])
      documents.set(file, await vscode.workspace.openTextDocument(uri(file)));
  });

  after(async () => {
    await second?.stop();
    const config = vscode.workspace.getConfiguration('podscope');
    for (const key of ['context', 'demo.speed', 'kubeconfig'])
      await config.update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('podscope.demo.stop');
  });

  for (const { file, code, line } of scenarios) {
    it(`${file}: ${code} on ${String(line)}`, async () => {
      const diagnostics = await diagnosticsWhen(
        uri(file),
        (d) => ours(d, code).length > 0,
        `a ${code} diagnostic`,
      );
      const [diagnostic] = ours(diagnostics, code);
      assert.ok(diagnostic);
      const text = documents.get(file)?.lineAt(diagnostic.range.start.line).text ?? '';
      assert.match(text, line);
      assert.ok(diagnostic.severity <= vscode.DiagnosticSeverity.Warning, diagnostic.message);
      assert.ok((diagnostic.relatedInformation ?? []).length > 0, 'evidence is linked');
    });
  }

  it('leaves healthy manifests without errors', () => {
    for (const file of healthy) {
      const errors = ours(vscode.languages.getDiagnostics(uri(file))).filter(
        (d) => d.severity === vscode.DiagnosticSeverity.Error,
      );
      assert.deepEqual(
        errors.map((d) => `${codeOf(d)}@${d.range.start.line}: ${d.message}`),
        [],
        file,
      );
    }
  });

  it('hovers a blamed field with the evidence, the exit code and, for a crash, the last log lines', async () => {
    const [oom] = ours(vscode.languages.getDiagnostics(uri('report-worker.yaml')), 'oom-killed');
    assert.ok(oom);
    const text = await hoverText(uri('report-worker.yaml'), oom.range.start);
    assert.match(text, /OOMKilled/);
    assert.match(text, /last terminated: reason OOMKilled, exit code 137/);
    assert.match(text, /\*\*Exit code 137 \\\(SIGKILL\\\):\*\* Killed by the kernel OOM killer/);
    assert.match(text, /Run phase/);
    assert.match(text, /\(command:podscope\.pod\.logsPrevious\?/);
    // The evidence under the squiggle (Problems view, hover) opens the pod's live describe.
    const [describe, ...more] = oom.relatedInformation ?? [];
    assert.deepEqual(more, []);
    assert.equal(describe?.location.uri.scheme, 'podscope-describe');
    assert.match(describe?.message ?? '', /last terminated: reason OOMKilled, exit code 137/);
    assert.match(
      (await vscode.workspace.openTextDocument(describe.location.uri)).getText(),
      /Reason:\s+OOMKilled/,
    );

    const [crash] = ours(
      await diagnosticsWhen(
        uri('apache.yaml'),
        (d) => ours(d, 'crash-loop').some((c) => c.relatedInformation?.length),
        'a crash-loop',
      ),
      'crash-loop',
    );
    assert.ok(crash);
    const crashText = await hoverText(uri('apache.yaml'), crash.range.start);
    assert.match(crashText, /Last log lines of/);
    assert.match(crashText, /Syntax error on line 178/);
  });

  it('hovers a document’s kind with the live pods as kubectl prints them', async () => {
    const document = documents.get('report-worker.yaml');
    assert.ok(document);
    const kindLine = document
      .getText()
      .split('\n')
      .findIndex((l) => l.startsWith('kind:'));
    const text = await hoverText(document.uri, new vscode.Position(kindLine, 2));
    assert.match(text, /\| NAME \| READY \| STATUS \| RESTARTS \| AGE \|/);
    assert.match(text, /report\\-worker\\-/);
    assert.match(text, /OOMKilled, exit code 137/);
  });

  it('offers the fixes, and the preferred one changes the text as expected', async () => {
    const file = uri('report-worker.yaml');
    const [oom] = ours(vscode.languages.getDiagnostics(file), 'oom-killed');
    assert.ok(oom);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      file,
      oom.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1, actions.map((a) => a.title).join('; '));
    assert.match(preferred[0]?.title ?? '', /^OOMKilled: Raise the memory limit to 256Mi/);
    const document = documents.get('report-worker.yaml');
    assert.ok(document && preferred[0]?.edit);
    const before = document.getText();
    assert.ok(await vscode.workspace.applyEdit(preferred[0].edit));
    assert.equal(document.getText(), before.replace('memory: 128Mi', 'memory: 256Mi'));
    // The blamed value changed: no longer an error on that line, but "changed since the failure".
    const after = await diagnosticsWhen(
      file,
      (d) => ours(d, 'oom-killed').some((x) => x.severity === vscode.DiagnosticSeverity.Information),
      'the OOM kill shown as changed since the failure',
    );
    const [changed] = ours(after, 'oom-killed');
    assert.match(
      changed?.message ?? '',
      /changed since the failure \(live: 128Mi, this file: 256Mi\); apply to check$/,
    );
    assert.equal(changed?.range.start.line, oom.range.start.line);
  });

  it('moves a squiggle with the text when lines are added above it', async () => {
    const file = uri('web-frontend.yaml');
    const [image] = ours(vscode.languages.getDiagnostics(file), 'image-not-found');
    assert.ok(image);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(file, new vscode.Position(0, 0), '# one\n# two\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const moved = await diagnosticsWhen(
      file,
      (d) => ours(d, 'image-not-found').some((x) => x.range.start.line === image.range.start.line + 2),
      'the image-not-found squiggle two lines lower',
    );
    const line = documents
      .get('web-frontend.yaml')
      ?.lineAt(ours(moved, 'image-not-found')[0]?.range.start.line ?? 0);
    assert.match(line?.text ?? '', /image: "?nginx:1\.27\.99/);
  });

  it('diagnoses a fixed copy of an object by its own text, and names the file the live object matches', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    copyFileSync(
      join(extension.extensionPath, 'demo', 'workspace', 'fixes', 'web-frontend.yaml'),
      join(work, 'web-frontend-fixed.yaml'),
    );
    const copy = uri('web-frontend-fixed.yaml');
    await vscode.workspace.openTextDocument(copy);
    const diagnostics = await diagnosticsWhen(
      copy,
      (d) => ours(d, 'live-drift').length > 0 && ours(d, 'image-not-found').length > 0,
      'drift and the image finding on the fixed copy',
    );
    const [drift] = ours(diagnostics, 'live-drift');
    assert.match(drift?.message ?? '', /this file says "nginx:1\.27\.2"/);
    const source = drift?.relatedInformation?.[0];
    assert.equal(source?.location.uri.toString(), uri('web-frontend.yaml').toString());
    assert.match(source?.message ?? '', /the live object matches this file/);
    const [image] = ours(diagnostics, 'image-not-found');
    assert.equal(image?.severity, vscode.DiagnosticSeverity.Information);
    assert.deepEqual(ours(vscode.languages.getDiagnostics(uri('web-frontend.yaml')), 'live-drift'), []);
  });

  it('stays working on bad input: a Helm template, malformed YAML, a 5 MB file', async () => {
    mkdirSync(join(work, 'templates'), { recursive: true });
    writeFileSync(
      join(work, 'templates', 'deployment.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "chart.fullname" . }}\n',
    );
    const worker = readFileSync(join(work, 'report-worker.yaml'), 'utf8');
    writeFileSync(
      join(work, 'malformed.yaml'),
      `apiVersion: v1\nkind: ConfigMap\ndata: [unclosed\n---\n${worker}`,
    );
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${'  k: "0123456789012345678901234567890123456789"\n'.repeat(120_000)}`;
    writeFileSync(join(work, 'big.yaml'), big);
    const helm = await vscode.workspace.openTextDocument(uri('templates/deployment.yaml'));
    await vscode.workspace.openTextDocument(uri('malformed.yaml'));
    await vscode.workspace.openTextDocument(uri('big.yaml'));
    await diagnosticsWhen(
      uri('big.yaml'),
      (d) => ours(d).some((x) => /does not diagnose this file: file is larger than 2 MB/.test(x.message)),
      'the size note',
    );
    const malformed = await diagnosticsWhen(
      uri('malformed.yaml'),
      (d) => ours(d, 'oom-killed').length > 0,
      'the OOM kill beside a malformed document',
    );
    assert.match(
      readFileSync(join(work, 'malformed.yaml'), 'utf8').split('\n')[
        ours(malformed, 'oom-killed')[0]?.range.start.line ?? 0
      ] ?? '',
      /memory: 128Mi/,
    );
    // Opened before the others, so diagnosed before them: a template gets nothing, and no hover.
    assert.deepEqual(ours(vscode.languages.getDiagnostics(helm.uri)), []);
    assert.equal(await hoverText(helm.uri, new vscode.Position(1, 2)), '');
  });

  it('says so in the file when its context is unreachable or hides a kind', async () => {
    second = await startDemoCluster({ speed: 10, kubeconfigOut: join(work, 'second.kubeconfig') });
    second.server.rbac.forbid({ resource: 'events' });
    const config = parse(readFileSync(second.kubeconfigPath, 'utf8')) as {
      contexts: { name: string }[];
      clusters: { name: string; cluster: Record<string, unknown> }[];
      users: { name: string }[];
      'current-context': string;
    };
    const [context] = config.contexts;
    assert.ok(context);
    context.name = 'restricted-demo';
    config['current-context'] = 'restricted-demo';
    config.clusters.push({
      name: 'nowhere',
      cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true },
    });
    config.contexts.push({
      name: 'unreachable',
      context: { cluster: 'nowhere', user: config.users[0]?.name },
    } as never);
    const kubeconfig = join(work, 'user.kubeconfig');
    writeFileSync(kubeconfig, stringify(config));
    await vscode.workspace
      .getConfiguration('podscope')
      .update('kubeconfig', kubeconfig, vscode.ConfigurationTarget.Global);

    const worker = readFileSync(join(work, 'report-worker.yaml'), 'utf8');
    writeFileSync(join(work, 'unreachable.yaml'), `# podscope: context=unreachable\n${worker}`);
    writeFileSync(join(work, 'restricted.yaml'), `# podscope: context=restricted-demo\n${worker}`);
    await vscode.workspace.openTextDocument(uri('unreachable.yaml'));
    await vscode.workspace.openTextDocument(uri('restricted.yaml'));
    await diagnosticsWhen(
      uri('unreachable.yaml'),
      (d) =>
        ours(d).some((x) =>
          /^Podscope: cannot read context unreachable: .*paused for this file\.$/.test(x.message),
        ),
      'the unreachable note',
    );
    await diagnosticsWhen(
      uri('restricted.yaml'),
      (d) =>
        ours(d).some((x) =>
          /^Podscope cannot read Event .* in context restricted-demo; findings that need them may be missing\.$/.test(
            x.message,
          ),
        ),
      'the forbidden-kind note',
    );
    // The demo's own files are still diagnosed.
    await diagnosticsWhen(
      uri('missing-cm.yaml'),
      (d) => ours(d, 'configmap-missing').length > 0,
      'configmap-missing',
    );
  });
});
