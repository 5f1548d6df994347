// Finding and reading kubeconfig files the way kubectl does, with client-node doing the parsing
// and authentication. client-node's loadFromDefault does merge $KUBECONFIG, but it throws on a
// name defined in two files and lets later files override current-context; kubectl instead
// lets the first file win for every name and for current-context. So each file is loaded with
// client-node's loadFromFile and merged here with kubectl's rules.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { loadClientNode } from './clientNode';
import { ClusterError, toClusterError } from './clusterError';

export interface KubeconfigSource {
  /** A path from the `podscope.kubeconfig` setting or the `--kubeconfig` flag; wins over $KUBECONFIG. */
  path?: string;
  /** Defaults to process.env; tests pass their own. */
  env?: NodeJS.ProcessEnv;
  /**
   * Files read after the user's, so they never override a name or the current context: the demo
   * cluster's kubeconfig, offered beside the user's contexts while it runs.
   */
  extraPaths?: readonly string[];
}

/** What the UI may show about a context: names only, never credentials. */
export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  /** The context's namespace, if it sets one. */
  namespace?: string;
  /** The cluster's server URL. */
  server?: string;
  /**
   * The kubeconfig file that defined the context (the first one, as kubectl merges), so a terminal
   * can pass `--kubeconfig` for a context that only an extra file (the demo's) defines.
   */
  file?: string;
  /**
   * The context's user runs a program to get credentials (an `exec` plugin, or an auth provider
   * such as gcp's `cmd-path`): opening it starts a process, which Restricted Mode must not allow.
   */
  runsCredentialPlugin?: boolean;
}

export interface LoadedKubeconfig {
  /** The files actually read, in precedence order. */
  files: readonly string[];
  contexts: readonly ContextInfo[];
  currentContext?: string;
  /** The merged configuration; pass to ClusterSession.open. */
  kubeConfig: KubeConfig;
}

/** The files kubectl would read for this source, existing or not. */
export function kubeconfigPaths(source: KubeconfigSource = {}): string[] {
  const extra = (source.extraPaths ?? []).filter((p) => p.length > 0);
  const paths = userKubeconfigPaths(source);
  return [...paths, ...extra.filter((p) => !paths.includes(p))];
}

function userKubeconfigPaths(source: KubeconfigSource): string[] {
  const env = source.env ?? process.env;
  if (source.path) return [expandHome(source.path, env)];
  const list = env['KUBECONFIG'];
  if (list)
    return list
      .split(path.delimiter)
      .filter((p) => p.length > 0)
      .map((p) => expandHome(p, env));
  return [path.join(homeDir(env), '.kube', 'config')];
}

export async function loadKubeconfig(source: KubeconfigSource = {}): Promise<LoadedKubeconfig> {
  const { KubeConfig } = await loadClientNode();
  const candidates = kubeconfigPaths(source);
  // kubectl skips missing entries of $KUBECONFIG but insists on a path it was given explicitly.
  const files = candidates.filter((file) => fs.existsSync(file));
  if (files.length === 0) {
    const where = source.path
      ? `the kubeconfig ${candidates[0]}`
      : candidates.length > 1
        ? `any of the ${candidates.length} files in $KUBECONFIG`
        : `${candidates[0]}`;
    throw new ClusterError('noKubeconfig', `no kubeconfig found: ${where} does not exist`);
  }

  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  const contextFiles = new Map<string, string>();
  let currentContext: string | undefined;
  const read: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      const err = toClusterError(e);
      throw new ClusterError(
        err.reason === 'noKubeconfig' ? 'noKubeconfig' : 'badKubeconfig',
        `cannot read ${file} (${err.detail})`,
      );
    }
    read.push(file);
    // kubectl treats an empty file as an empty config.
    if (text.trim() === '') continue;
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(file);
    } catch (e) {
      // js-yaml's message quotes the offending line, which may hold a token: report position only.
      const mark = (e as { mark?: { line?: number } }).mark;
      const where =
        mark?.line !== undefined
          ? ` (YAML error near line ${mark.line + 1})`
          : (e as { name?: string }).name === 'YAMLException'
            ? ' (invalid YAML)'
            : ' (missing or invalid entries)';
      throw new ClusterError('badKubeconfig', `${file} is not a valid kubeconfig${where}`);
    }
    if (kc.getClusters().length === 0 && kc.getUsers().length === 0 && kc.getContexts().length === 0) {
      throw new ClusterError('badKubeconfig', `${file} is not a kubeconfig (no clusters, users or contexts)`);
    }
    for (const c of kc.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts()) {
      if (contexts.has(c.name)) continue;
      contexts.set(c.name, c);
      contextFiles.set(c.name, file);
    }
    const current = kc.getCurrentContext();
    if (currentContext === undefined && current) currentContext = current;
  }

  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext: currentContext ?? '',
  });
  const infos = [...contexts.values()].map((c) =>
    contextInfo(c, clusters.get(c.cluster), contextFiles.get(c.name), users.get(c.user)),
  );
  if (infos.length === 0)
    throw new ClusterError('noKubeconfig', `the kubeconfig (${read.join(', ')}) defines no contexts`);
  return { files: read, contexts: infos, kubeConfig: merged, ...(currentContext ? { currentContext } : {}) };
}

/**
 * A KubeConfig whose current context is `contextName`, for one session. It shares the cluster
 * and user entries (so OIDC refreshes are seen by all), but has its own exec-credential cache.
 */
export async function kubeConfigForContext(
  loaded: LoadedKubeconfig,
  contextName: string,
): Promise<{ kubeConfig: KubeConfig; context: ContextInfo }> {
  const { KubeConfig } = await loadClientNode();
  const base = loaded.kubeConfig;
  const context = base.getContextObject(contextName);
  if (!context)
    throw new ClusterError('badKubeconfig', `the kubeconfig has no context named "${contextName}"`);
  const cluster = base.getCluster(context.cluster);
  if (!cluster)
    throw new ClusterError(
      'badKubeconfig',
      `context "${contextName}" names cluster "${context.cluster}", which the kubeconfig does not define`,
    );
  if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
    // client-node refuses plain HTTP unless the cluster opts out of TLS verification.
    throw new ClusterError(
      'badKubeconfig',
      `cluster "${cluster.name}" uses http:// without insecure-skip-tls-verify, which client-node refuses`,
    );
  }
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: base.getClusters(),
    users: base.getUsers(),
    contexts: base.getContexts(),
    currentContext: contextName,
  });
  const file = loaded.contexts.find((c) => c.name === contextName)?.file;
  return { kubeConfig, context: contextInfo(context, cluster, file, base.getUser(context.user)) };
}

function contextInfo(
  context: Context,
  cluster: Cluster | null | undefined,
  file: string | undefined,
  user: User | null | undefined,
): ContextInfo {
  const info: ContextInfo = { name: context.name, cluster: context.cluster, user: context.user };
  if (context.namespace) info.namespace = context.namespace;
  if (cluster?.server) info.server = cluster.server;
  if (file !== undefined) info.file = file;
  if (user?.exec || user?.authProvider) info.runsCredentialPlugin = true;
  return info;
}

function homeDir(env: NodeJS.ProcessEnv): string {
  return env['HOME'] ?? env['USERPROFILE'] ?? os.homedir();
}

function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  return p === '~' || p.startsWith('~/') ? path.join(homeDir(env), p.slice(1)) : p;
}
