// Command-line grammar of `podscope`. Parsing is separate from running so it can be tested alone.
import { parseArgs } from 'node:util';
import { parseDuration } from './duration';
import { UsageError } from './usageError';

export type OutputFormat = 'text' | 'json';
export type FailOn = 'error' | 'warning' | 'none';

export interface DiagnoseOptions {
  command: 'diagnose';
  paths: string[];
  snapshots: string[];
  context?: string;
  kubeconfig?: string;
  namespace?: string;
  format: OutputFormat;
  failOn: FailOn;
  /** How long one request to the cluster may go unanswered (--request-timeout). */
  requestTimeoutMs?: number;
}

export interface DemoOptions {
  command: 'demo';
  port?: number;
  kubeconfigOut?: string;
  speed: number;
  pods?: number;
  podsPerNamespace?: number;
}

export type CliOptions = DiagnoseOptions | DemoOptions | { command: 'help' } | { command: 'version' };

export const USAGE = `Usage:
  podscope diagnose [PATH ...] [--snapshot FILE ...] [--context NAME] [--kubeconfig FILE]
                    [--namespace NS] [--format text|json] [--fail-on error|warning|none]
                    [--request-timeout DURATION]
  podscope demo [--port N] [--kubeconfig-out FILE] [--speed X] [--pods N [--pods-per-namespace N]]
  podscope --help | --version`;

export function parseCli(argv: readonly string[]): CliOptions {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      return { command: 'help' };
    case '--version':
    case '-v':
      return { command: 'version' };
    case 'diagnose':
      return wantsHelp(rest) ? { command: 'help' } : parseDiagnose(rest);
    case 'demo':
      return wantsHelp(rest) ? { command: 'help' } : parseDemo(rest);
    default:
      throw new UsageError(`unknown command "${command}" (try: podscope --help)`);
  }
}

function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

function parseDiagnose(argv: string[]): DiagnoseOptions {
  const { values, positionals } = parse(argv, {
    snapshot: { type: 'string', multiple: true },
    context: { type: 'string' },
    kubeconfig: { type: 'string' },
    namespace: { type: 'string', short: 'n' },
    format: { type: 'string', default: 'text' },
    'fail-on': { type: 'string', default: 'error' },
    'request-timeout': { type: 'string' },
  });
  const format = oneOf('--format', values['format'] as string, ['text', 'json'] as const);
  const failOn = oneOf('--fail-on', values['fail-on'] as string, ['error', 'warning', 'none'] as const);
  const snapshots = (values['snapshot'] as string[] | undefined) ?? [];
  const timeout = values['request-timeout'] as string | undefined;
  if (snapshots.length > 0 && (values['context'] !== undefined || values['kubeconfig'] !== undefined)) {
    throw new UsageError(
      '--snapshot diagnoses saved state; it cannot be combined with --context or --kubeconfig',
    );
  }
  return {
    command: 'diagnose',
    paths: positionals.length > 0 ? positionals : ['.'],
    snapshots,
    format,
    failOn,
    ...optional('context', values['context'] as string | undefined),
    ...optional('kubeconfig', values['kubeconfig'] as string | undefined),
    ...optional('namespace', values['namespace'] as string | undefined),
    ...optional('requestTimeoutMs', timeout === undefined ? undefined : requestTimeout(timeout)),
  };
}

/** Longer than this, setTimeout fires at once instead (its delay is a signed 32-bit int). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

function requestTimeout(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined)
    throw new UsageError(`--request-timeout must be a duration such as 10s, 500ms or 2m (got "${text}")`);
  // kubectl reads 0 as "never time out"; an unanswering server would then hang diagnose for good.
  if (ms <= 0) throw new UsageError(`--request-timeout must be longer than 0 (got "${text}")`);
  if (ms > MAX_TIMEOUT_MS) throw new UsageError(`--request-timeout must be at most 24 days (got "${text}")`);
  return Math.ceil(ms);
}

function parseDemo(argv: string[]): DemoOptions {
  const { values, positionals } = parse(argv, {
    port: { type: 'string' },
    'kubeconfig-out': { type: 'string' },
    speed: { type: 'string', default: '1' },
    pods: { type: 'string' },
    'pods-per-namespace': { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`demo takes no arguments (got "${positionals[0]}")`);
  const port =
    values['port'] === undefined ? undefined : integer('--port', values['port'] as string, 0, 65535);
  const pods =
    values['pods'] === undefined ? undefined : integer('--pods', values['pods'] as string, 0, 1_000_000);
  const perNamespace =
    values['pods-per-namespace'] === undefined
      ? undefined
      : integer('--pods-per-namespace', values['pods-per-namespace'] as string, 1, 1_000_000);
  const speed = Number(values['speed']);
  if (!Number.isFinite(speed) || speed <= 0)
    throw new UsageError(`--speed must be a positive number (got "${String(values['speed'])}")`);
  return {
    command: 'demo',
    speed,
    ...optional('port', port),
    ...optional('pods', pods),
    ...optional('podsPerNamespace', perNamespace),
    ...optional('kubeconfigOut', values['kubeconfig-out'] as string | undefined),
  };
}

type ParseConfig = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse(
  argv: string[],
  options: ParseConfig & object,
): { values: Record<string, unknown>; positionals: string[] } {
  // A lenient pass first, to name the offending flag in our own words: node's strict errors run
  // to several lines and read `--format --json` as "ambiguous" rather than as a missing value.
  const { tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (!Object.hasOwn(options, token.name))
      throw new UsageError(`unknown option ${token.rawName}`, { showUsage: true });
    const dashValue = token.inlineValue === false && token.value?.startsWith('-') === true;
    if (options[token.name]?.type === 'string' && (token.value === undefined || dashValue))
      throw new UsageError(`${token.rawName} needs a value`, { showUsage: true });
  }
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.split('\n')[0] ?? message, { showUsage: true });
  }
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
}

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${value}")`);
  return n;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
