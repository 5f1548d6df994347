// Every process started under this VS Code while the watch runs, read from /proc. "Under" means a
// descendant of the session leader, which is code-server (the runner starts it with setsid): that
// covers the extension host's own children (client-node's exec credential plugins, one-shot kubectl
// runs) and the terminal host's (kubectl sessions in terminals), and nothing of the other programs
// on the machine. A process is read again on every sample, since a fork shows its parent's command
// line until it execs. Sampling can miss a process shorter than one interval, so the suite pairs
// the watch with scripts that leave a file behind when they run.
import { readdirSync, readFileSync } from 'node:fs';

export interface StartedProcess {
  pid: number;
  ppid: number;
  /** Every command line seen for it, argv joined with spaces (a zombie's is its [name]). */
  commands: string[];
}

const SAMPLE_MS = 25;

interface Stat {
  ppid: number;
  session: number;
}

function stat(pid: number): Stat | undefined {
  try {
    // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses.
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), session: Number(fields[3]) };
  } catch {
    return undefined; // gone between readdir and read
  }
}

function commandLine(pid: number): string | undefined {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return argv.length > 0 ? argv.join(' ') : `[${readFileSync(`/proc/${pid}/comm`, 'utf8').trim()}]`;
  } catch {
    return undefined; // exited and reaped
  }
}

export class ProcessWatch {
  /** The code-server process: the session this extension host belongs to. */
  readonly root: number;
  readonly started: StartedProcess[] = [];
  private readonly before = new Set<number>();
  private readonly byPid = new Map<number, StartedProcess>();
  private readonly listeners = new Set<() => void>();
  private readonly timer: NodeJS.Timeout;

  constructor() {
    const own = stat(process.pid);
    if (!own) throw new Error('cannot read /proc/self/stat: the process watch needs Linux /proc');
    this.root = own.session;
    for (const pid of this.descendants().keys()) this.before.add(pid);
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  /** Resolves with the first started process that `matches`, or rejects after `timeoutMs`. */
  until(what: string, matches: (p: StartedProcess) => boolean, timeoutMs = 15_000): Promise<StartedProcess> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.started.find(matches);
        if (!found) return false;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(found);
        return true;
      };
      const listener = (): void => void check();
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no ${what} started within ${timeoutMs} ms; started: ${this.describe()}`));
      }, timeoutMs);
      if (!check()) this.listeners.add(listener);
    });
  }

  describe(processes: readonly StartedProcess[] = this.started): string {
    return processes.length === 0
      ? 'none'
      : processes.map((p) => `\n  ${p.pid} (parent ${p.ppid}): ${p.commands.join(' → ')}`).join('');
  }

  dispose(): void {
    clearInterval(this.timer);
    this.listeners.clear();
  }

  private sample(): void {
    let changed = false;
    for (const [pid, ppid] of this.descendants()) {
      if (this.before.has(pid)) continue;
      const command = commandLine(pid);
      let seen = this.byPid.get(pid);
      if (!seen) {
        seen = { pid, ppid, commands: [] };
        this.byPid.set(pid, seen);
        this.started.push(seen);
        changed = true;
      }
      if (command !== undefined && !seen.commands.includes(command)) {
        seen.commands.push(command);
        changed = true;
      }
    }
    if (changed) for (const listener of [...this.listeners]) listener();
  }

  /** pid → ppid of every process below the root. */
  private descendants(): Map<number, number> {
    const parents = new Map<number, number>();
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      const s = stat(pid);
      if (s) parents.set(pid, s.ppid);
    }
    const below = new Map<number, number>();
    const isBelow = (pid: number, seen = 0): boolean => {
      const ppid = parents.get(pid);
      if (ppid === undefined || ppid <= 1 || seen > 64) return false;
      return ppid === this.root || below.has(ppid) || isBelow(ppid, seen + 1);
    };
    for (const [pid, ppid] of parents) if (isBelow(pid)) below.set(pid, ppid);
    return below;
  }
}
