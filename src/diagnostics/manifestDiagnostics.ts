// Live findings as diagnostics on every open YAML document that holds Kubernetes objects. Each
// file is diagnosed against its own context (the `# podscope:` directive, else the folder's
// `podscope.context`, else the active context) and its own text. Typing re-parses only the
// changed document after a short debounce and never waits on the cluster; a cluster change
// re-diagnoses only the open files that define an object whose findings or state changed.
import * as vscode from 'vscode';
import { ClusterError } from '../cluster/clusterError';
import type { Disposable as PlainDisposable } from '../cluster/emitter';
import type { Config } from '../host/config';
import { DESCRIBE_SCHEME, liveDocumentUri } from '../host/liveDocumentUri';
import type { Log } from '../host/log';
import type { KindName } from '../kube/clusterView';
import { KIND_NAMES } from '../kube/clusterView';
import { refKey } from '../kube/objectRef';
import { changeTouches } from '../live/changeScope';
import { FileDiagnosis } from '../live/fileDiagnosis';
import type { LiveContext, LiveContextChange } from '../live/liveContext';
import type { ContextEvent } from '../live/liveModel';
import type { Placement } from '../live/placeFindings';
import { resolvePath } from '../manifest/fieldPath';
import { objectDocuments } from '../manifest/manifestDocument';
import type { ManifestFile, ObjectDocument } from '../manifest/manifestDocument';
import { effectiveIdentity } from '../manifest/objectIdentity';
import type { Range } from '../manifest/positions';
import { documentTarget } from '../services/documentTarget';
import type { LiveModelHost } from '../services/liveModelHost';

/** Long enough to skip most keystrokes of a word, short enough to feel live. */
const DEBOUNCE_MS = 150;

interface OpenManifest {
  document: vscode.TextDocument;
  diagnosis: FileDiagnosis;
  /** The context the file asks for ('' for the active one) and the one it resolved to. */
  wanted?: string;
  context?: string;
  namespaceOverride?: string;
  /** Why the file has no live diagnostics (shown as one Information diagnostic). */
  problem?: string;
  generation: number;
  namespace: string;
  placements: Placement[];
  keys?: Set<string>;
  diagnosedVersion: number;
  timer?: ReturnType<typeof setTimeout>;
  loggedSkip?: string;
}

/** What the hover, code action and code lens providers read of a file. */
export interface DiagnosedFile {
  manifest: ManifestFile;
  placements: readonly Placement[];
  live: LiveContext | undefined;
  namespace: string;
}

export class ManifestDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('podscope');
  private readonly files = new Map<string, OpenManifest>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly stateSubscriptions = new Map<string, PlainDisposable>();
  private readonly updated = new vscode.EventEmitter<vscode.Uri>();
  private readonly loggedProblems = new Set<string>();

  /** A file's diagnostics were published (for code lenses, and tests). */
  readonly onDidUpdate = this.updated.event;

  constructor(
    private readonly host: LiveModelHost,
    private readonly config: Config,
    private readonly log: Log,
  ) {
    const model = host.model;
    this.subscriptions.push(
      this.collection,
      this.updated,
      vscode.workspace.onDidOpenTextDocument((d) => this.track(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('podscope.diagnostics.enabled')) this.restart();
        else if (e.affectsConfiguration('podscope.context') || e.affectsConfiguration('podscope.namespace'))
          this.refreshAll(true);
      }),
      host.onDidReload(() => this.refreshAll(true)),
      toVscode(model.onDidChange((change) => this.onClusterChange(change))),
      toVscode(model.onDidChangeContexts((event) => this.onContextEvent(event))),
    );
    this.restart();
  }

  dispose(): void {
    for (const file of this.files.values()) clearTimeout(file.timer);
    for (const s of this.stateSubscriptions.values()) s.dispose();
    for (const s of this.subscriptions) s.dispose();
  }

  /** The file as last diagnosed, brought up to date with its text first (a pending edit is applied now). */
  current(document: vscode.TextDocument): DiagnosedFile | undefined {
    const file = this.files.get(document.uri.toString());
    if (!file) return undefined;
    if (file.timer !== undefined || file.diagnosedVersion !== document.version) this.update(file);
    const manifest = file.diagnosis.current;
    if (!manifest) return undefined;
    return {
      manifest,
      placements: file.placements,
      live: file.context ? this.host.model.get(file.context) : undefined,
      namespace: file.namespace,
    };
  }

  private restart(): void {
    for (const file of this.files.values()) clearTimeout(file.timer);
    this.files.clear();
    this.collection.clear();
    if (!this.config.diagnosticsEnabled) {
      this.log.info('Live diagnostics are off (podscope.diagnostics.enabled)');
      return;
    }
    for (const document of vscode.workspace.textDocuments) this.track(document);
  }

  private track(document: vscode.TextDocument): void {
    if (!this.config.diagnosticsEnabled || !isYaml(document)) return;
    const key = document.uri.toString();
    if (this.files.has(key)) return;
    const file: OpenManifest = {
      document,
      diagnosis: new FileDiagnosis(key, { fileName: document.fileName }),
      generation: 0,
      namespace: 'default',
      placements: [],
      diagnosedVersion: -1,
    };
    this.files.set(key, file);
    this.update(file);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const file = this.files.get(key);
    if (!file) return;
    clearTimeout(file.timer);
    this.files.delete(key);
    this.collection.delete(uri);
  }

  private schedule(document: vscode.TextDocument): void {
    const file = this.files.get(document.uri.toString());
    if (!file) return this.track(document);
    file.document = document;
    // A newer keystroke replaces the pending run: only the last text is diagnosed.
    clearTimeout(file.timer);
    file.timer = setTimeout(() => this.update(file), DEBOUNCE_MS);
  }

  /** Parses the current text (unchanged documents are reused) and publishes; resolves the context when it changed. */
  private update(file: OpenManifest): void {
    clearTimeout(file.timer);
    file.timer = undefined;
    const text = file.document.getText();
    const manifest = file.diagnosis.setText(text);
    file.keys = undefined;
    file.diagnosedVersion = file.document.version;
    if (manifest.skip || objectDocuments(manifest).length === 0) {
      this.publishSkipped(file, manifest);
      return;
    }
    const { context, namespace, directive } = documentTarget(this.config, file.document.uri, text);
    const wanted = context ?? '';
    file.namespaceOverride = namespace;
    if (directive && directive.ignored.length > 0)
      this.logOnce(
        `${file.document.uri.fsPath}: ignored in the # podscope: line: ${directive.ignored.join(' ')}`,
      );
    if (wanted !== file.wanted) this.resolve(file, wanted);
    this.publish(file);
  }

  /** Opens the file's context (never awaited by typing); publishes again when it is there. */
  private resolve(file: OpenManifest, wanted: string): void {
    file.wanted = wanted;
    const generation = ++file.generation;
    const model = this.host.model;
    void (async () => {
      try {
        const name = wanted || (await model.activeContext());
        if (!name) throw new ClusterError('badKubeconfig', 'the kubeconfig sets no current context');
        const live = await model.open(name);
        if (generation !== file.generation) return;
        file.context = live.name;
        file.problem = undefined;
        this.watchState(live);
      } catch (error) {
        if (generation !== file.generation) return;
        file.context = undefined;
        file.problem = problemText(error, wanted);
        this.logOnce(`Live diagnostics unavailable: ${file.problem ?? String(error)}`);
      }
      if (this.files.get(file.document.uri.toString()) === file) this.publish(file);
    })();
  }

  private publish(file: OpenManifest): void {
    const manifest = file.diagnosis.current;
    if (!manifest) return;
    const uri = file.document.uri;
    const live = file.context ? this.host.model.get(file.context) : undefined;
    if (!live) {
      file.placements = [];
      const first = objectDocuments(manifest)[0];
      this.collection.set(
        uri,
        file.problem && first
          ? [note(manifest, first, `Podscope: ${file.problem}. Live diagnostics are paused for this file.`)]
          : [],
      );
      this.updated.fire(uri);
      return;
    }
    file.namespace = file.namespaceOverride ?? live.context.namespace ?? 'default';
    file.placements = file.diagnosis.diagnose({
      view: live.source,
      findingsOf: (ref) => live.findingsOf(ref),
      defaultNamespace: file.namespace,
    });
    const diagnostics = file.placements.map((p) => {
      const diagnostic = toDiagnostic(uri, manifest, p, live.name);
      if (p.finding.code === 'live-drift') {
        const source = this.appliedFrom(file, refKey(p.object));
        if (source) diagnostic.relatedInformation = [source, ...(diagnostic.relatedInformation ?? [])];
      }
      return diagnostic;
    });
    const unreadable = unreadableNote(live, manifest);
    if (unreadable) diagnostics.push(unreadable);
    this.collection.set(uri, diagnostics);
    this.updated.fire(uri);
  }

  /** Another open file defining the same object without drift: the live object was most likely applied from it. */
  private appliedFrom(file: OpenManifest, key: string): vscode.DiagnosticRelatedInformation | undefined {
    for (const other of this.files.values()) {
      const manifest = other.diagnosis.current;
      if (other === file || other.context !== file.context || !manifest) continue;
      other.keys ??= other.diagnosis.objectKeys(other.namespace);
      if (!other.keys.has(key)) continue;
      if (other.placements.some((p) => p.finding.code === 'live-drift' && refKey(p.object) === key)) continue;
      const document = objectDocuments(manifest).find(
        (d) => refKey(effectiveIdentity(d.identity, other.namespace)) === key,
      );
      if (!document) continue;
      return new vscode.DiagnosticRelatedInformation(
        new vscode.Location(other.document.uri, toRange(manifest.lines.rangeOf(nameRange(document)))),
        'the live object matches this file (applied from it, most likely)',
      );
    }
    return undefined;
  }

  private publishSkipped(file: OpenManifest, manifest: ManifestFile): void {
    file.placements = [];
    const uri = file.document.uri;
    const skip = manifest.skip;
    const diagnostics: vscode.Diagnostic[] = [];
    if (skip && file.loggedSkip !== skip.code) {
      file.loggedSkip = skip.code;
      this.log.info(`Not diagnosed: ${uri.fsPath}: ${skip.reason}`);
    }
    // Only what looks like a manifest is worth a word in the file; other YAML gets nothing.
    if (skip?.code === 'tooLarge' && /^(apiVersion|kind):/m.test(manifest.text.slice(0, 4096)))
      diagnostics.push(
        new vscode.Diagnostic(
          new vscode.Range(0, 0, 0, 0),
          `Podscope does not diagnose this file: ${skip.reason}`,
          vscode.DiagnosticSeverity.Information,
        ),
      );
    for (const d of diagnostics) d.source = 'podscope';
    this.collection.set(uri, diagnostics);
    this.updated.fire(uri);
  }

  private onClusterChange(change: LiveContextChange): void {
    for (const file of this.files.values()) {
      if (file.context !== change.context || file.timer !== undefined) continue;
      if (change.initial || this.touches(file, change)) this.publish(file);
    }
  }

  private touches(file: OpenManifest, change: LiveContextChange): boolean {
    file.keys ??= file.diagnosis.objectKeys(file.namespace);
    const live = this.host.model.get(change.context);
    return live !== undefined && changeTouches(live.source, file.keys, change);
  }

  private onContextEvent(event: ContextEvent): void {
    if (event.type === 'switched') {
      for (const file of this.files.values()) if (file.wanted === '') this.resolve(file, '');
    } else if (event.type === 'closed') {
      this.stateSubscriptions.get(event.context)?.dispose();
      this.stateSubscriptions.delete(event.context);
      // Opened again on the next edit or reload; until then the file says nothing stale.
      for (const file of this.files.values())
        if (file.context === event.context) {
          file.context = undefined;
          file.wanted = undefined;
          this.publish(file);
        }
    }
  }

  /** Kinds becoming readable or forbidden change the notes; the first settled state names an unreachable cluster. */
  private watchState(live: LiveContext): void {
    if (this.stateSubscriptions.has(live.name)) return;
    this.stateSubscriptions.set(
      live.name,
      live.onDidChangeState(() => {
        for (const file of this.files.values())
          if (file.context === live.name && file.timer === undefined) this.publish(file);
      }),
    );
  }

  private refreshAll(resolve: boolean): void {
    for (const file of this.files.values()) {
      if (resolve) file.wanted = undefined;
      this.update(file);
    }
  }

  private logOnce(message: string): void {
    if (this.loggedProblems.has(message)) return;
    this.loggedProblems.add(message);
    this.log.warn(message);
  }
}

function isYaml(document: vscode.TextDocument): boolean {
  if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return false;
  return document.languageId === 'yaml' || /\.ya?ml$/i.test(document.fileName);
}

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
} as const;

function toRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function toDiagnostic(
  uri: vscode.Uri,
  manifest: ManifestFile,
  placement: Placement,
  context?: string,
): vscode.Diagnostic {
  const { finding } = placement;
  const diagnostic = new vscode.Diagnostic(
    toRange(placement.range),
    finding.message,
    SEVERITY[finding.severity],
  );
  diagnostic.source = 'podscope';
  diagnostic.code = finding.code;
  diagnostic.relatedInformation = evidenceLinks(uri, manifest, placement, context);
  return diagnostic;
}

/**
 * The first evidence line, linked to the live object it was read from: its describe view (status,
 * last state and events, as kubectl describe prints them). In the Problems view and under the
 * squiggle's message it opens that document; without a context it points at the object in this file.
 * One line only: VS Code repeats every related line in the squiggle's hover, above ours.
 */
function evidenceLinks(
  uri: vscode.Uri,
  manifest: ManifestFile,
  placement: Placement,
  context: string | undefined,
): vscode.DiagnosticRelatedInformation[] {
  const { finding } = placement;
  const [first] = finding.evidence;
  if (first === undefined) return [];
  const { kind, name, namespace = '' } = finding.subject;
  const location =
    context && (KIND_NAMES as readonly string[]).includes(kind)
      ? new vscode.Location(
          liveDocumentUri(DESCRIBE_SCHEME, { context, namespace, kind: kind as KindName, name }),
          new vscode.Range(0, 0, 0, 0),
        )
      : new vscode.Location(uri, toRange(manifest.lines.rangeOf(nameRange(placement.document))));
  return [new vscode.DiagnosticRelatedInformation(location, firstLine(first))];
}

function nameRange(document: ObjectDocument): { start: number; end: number } {
  return resolvePath(document, 'metadata.name')?.range ?? { start: document.start, end: document.start };
}

function note(manifest: ManifestFile, document: ObjectDocument, message: string): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(
    toRange(manifest.lines.rangeOf(nameRange(document))),
    message,
    vscode.DiagnosticSeverity.Information,
  );
  diagnostic.source = 'podscope';
  return diagnostic;
}

/** One note on the first object when the cluster cannot be read at all, or when kinds this file needs are hidden. */
function unreadableNote(live: LiveContext, manifest: ManifestFile): vscode.Diagnostic | undefined {
  const first = objectDocuments(manifest)[0];
  if (!first) return undefined;
  const states = live.source.states();
  if (states.some((s) => s.status === 'syncing')) return undefined;
  const failed = states.filter((s) => s.status === 'error' || s.status === 'forbidden');
  if (failed.length === 0) return undefined;
  if (states.every((s) => s.status !== 'synced')) {
    const detail = failed[0]?.error?.detail ?? failed[0]?.note ?? 'no resource could be read';
    return note(
      manifest,
      first,
      `Podscope: cannot read context ${live.name}: ${detail}. Live diagnostics are paused for this file.`,
    );
  }
  const needed = new Set([
    'Pod',
    'Event',
    'ReplicaSet',
    ...objectDocuments(manifest).map((d) => d.identity.kind),
  ]);
  const relevant = failed.filter((s) => needed.has(s.kind));
  if (relevant.length === 0) return undefined;
  const kinds = relevant.map((s) => `${s.kind} (${s.note ?? s.error?.detail ?? s.status})`).join(', ');
  return note(
    manifest,
    first,
    `Podscope cannot read ${kinds} in context ${live.name}; findings that need them may be missing.`,
  );
}

function problemText(error: unknown, wanted: string): string | undefined {
  if (error instanceof ClusterError) {
    // Restricted Mode and a machine without any kubeconfig are states, not problems of this file.
    if (error.reason === 'untrusted' || error.reason === 'noKubeconfig') return undefined;
    return `${wanted ? `context ${wanted}: ` : ''}${error.detail}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? text;
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function toVscode(disposable: PlainDisposable): vscode.Disposable {
  return new vscode.Disposable(() => disposable.dispose());
}
