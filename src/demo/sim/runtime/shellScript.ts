// A tiny interpreter for the busybox command lines demo manifests use (`echo`, `sleep`, `touch`,
// `rm`, `cat`, `exit`, `while true; do ...; done`), turned into a timeline: log lines, file
// existence over time (for `cat /tmp/healthy` liveness probes) and an exit code.
import type { LogLine } from './processPlan';

export interface ScriptTimeline {
  logs: LogLine[];
  /** Present when the script loops forever. */
  loop?: { startMs: number; periodMs: number; lines: string[] };
  exit?: { atMs: number; code: number };
  fileExists(path: string, atMs: number): boolean;
}

function unquote(text: string): string {
  return text.trim().replace(/^(['"])(.*)\1$/s, '$2');
}

function splitStatements(script: string): string[] {
  return script
    .split(/;|&&|\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function runScript(
  script: string,
  files: Map<string, string>,
  now: (atMs: number) => string,
): ScriptTimeline {
  const logs: LogLine[] = [];
  const fileEvents: { path: string; atMs: number; exists: boolean }[] = [];
  let t = 0;
  let code = 0;
  const loopMatch = /while\s+(?:true|:|\[\s*true\s*\])\s*;?\s*do\s+(.*?)\s*;?\s*done/s.exec(script);
  const head = loopMatch ? script.slice(0, loopMatch.index) : script;
  const exists = (path: string, at: number): boolean => {
    let state = files.has(path);
    for (const e of fileEvents) if (e.path === path && e.atMs <= at) state = e.exists;
    return state;
  };
  const exec = (statement: string, emit: (line: string) => void): 'exit' | void => {
    const [cmd = '', ...rest] = statement.split(/\s+/);
    const argText = statement.slice(cmd.length).trim();
    switch (cmd.replace(/^\/bin\//, '')) {
      case 'echo':
        emit(unquote(argText));
        code = 0;
        return;
      case 'sleep':
        t += Math.max(0, Number(rest[0] ?? 0)) * 1000;
        code = 0;
        return;
      case 'touch':
        for (const p of rest) fileEvents.push({ path: p, atMs: t, exists: true });
        code = 0;
        return;
      case 'rm':
        for (const p of rest.filter((r) => !r.startsWith('-')))
          fileEvents.push({ path: p, atMs: t, exists: false });
        code = 0;
        return;
      case 'date':
        emit(now(t));
        code = 0;
        return;
      case 'cat':
        for (const p of rest) {
          if (exists(p, t)) emit(files.get(p) ?? '');
          else {
            emit(`cat: can't open '${p}': No such file or directory`);
            code = 1;
          }
        }
        return;
      case 'exit':
        code = Number(rest[0] ?? 0);
        return 'exit';
      case 'true':
      case ':':
        code = 0;
        return;
      case 'false':
        code = 1;
        return;
      default:
        emit(`sh: ${cmd}: not found`);
        code = 127;
        return;
    }
  };
  for (const statement of splitStatements(head)) {
    if (exec(statement, (line) => logs.push({ atMs: t, text: line })) === 'exit') {
      return { logs, exit: { atMs: t, code }, fileExists: exists };
    }
  }
  if (loopMatch) {
    const startMs = t;
    const lines: string[] = [];
    const before = t;
    for (const statement of splitStatements(loopMatch[1] ?? '')) exec(statement, (line) => lines.push(line));
    const periodMs = Math.max(1000, t - before);
    return { logs, loop: { startMs, periodMs, lines }, fileExists: exists };
  }
  return { logs, exit: { atMs: t, code }, fileExists: exists };
}
