// The demo cluster the soak runs against, in a child process so that the soak's heap figure is the
// session's alone. Besides the simulation's own churn (crash loops, probes, events) it creates,
// relabels and deletes pods in namespace `soak`, seeded. Its clock can be paused so that the soak
// compares the session's store with a server that holds still. Commands arrive over IPC.
import type { Clock, TimerHandle } from '../../src/demo/clock';
import { startDemoCluster } from '../../src/demo/demoCluster';
import { ScaledClock } from '../../src/demo/scaledClock';
import type { KubeObject } from '../../src/kube/types';
import { prng, Rand } from '../prng';

export type ChildCommand = { id: number; op: 'pause' | 'resume' | 'restart' | 'stop' };
export type ChildMessage =
  { ready: { url: string; caPem: string; token: string } } | { id: number; ok: boolean; error?: string };

const SPEED = 10;
/**
 * Real ms between watch BOOKMARKs: kube-apiserver's minute scaled down as the soak's idle window
 * is (see WATCH_IDLE_MS in soak.ts), so a stalled watch is told from a quiet one in seconds.
 */
const BOOKMARK_MS = 1_000;
/** Real milliseconds between two churn steps. */
const CHURN_MS = 150;

/** A clock whose timers are held, not fired, while it is paused: the simulation stands still. */
class PausableClock implements Clock {
  private paused = false;
  private held: (() => void)[] = [];
  constructor(private readonly inner: Clock) {}
  now(): number {
    return this.inner.now();
  }
  setTimer(ms: number, fn: () => void): TimerHandle {
    let cancelled = false;
    const handle = this.inner.setTimer(ms, () => (this.paused ? this.held.push(run) : run()));
    const run = (): void => {
      if (!cancelled) fn();
    };
    return {
      cancel: () => {
        cancelled = true;
        handle.cancel();
      },
    };
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    const held = this.held;
    this.held = [];
    for (const fn of held) fn();
  }
}

async function main(): Promise<void> {
  const seed = Number(process.argv[2] ?? 1);
  const random = new Rand(prng(seed));
  const scaled = new ScaledClock(SPEED, Date.now() - SPEED * 30 * 60_000);
  const clock = new PausableClock(scaled);
  const demo = await startDemoCluster({
    clock,
    kubeconfigOut: process.argv[3] ?? '',
    bookmarkIntervalMs: BOOKMARK_MS,
  });
  const { store } = demo;
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'soak' } });

  let serial = 0;
  const churn = (): void => {
    const pods = store.list('Pod', 'soak');
    const roll = random.next();
    try {
      if (pods.length < 8 || (roll < 0.4 && pods.length < 40)) store.create(pod(`churn-${serial++}`, random));
      else if (roll < 0.75) {
        const victim = random.pick(pods).metadata?.name ?? '';
        store.delete('Pod', 'soak', victim);
      } else {
        const target = random.pick(pods);
        store.update({
          ...target,
          metadata: { ...target.metadata, labels: { ...target.metadata?.labels, step: String(serial++) } },
        });
      }
    } catch {
      // A pod the simulation deleted a moment ago: nothing to churn this time.
    }
    clock.setTimer(CHURN_MS * SPEED, churn);
  };
  clock.setTimer(CHURN_MS * SPEED, churn);

  // The soak is gone (finished, failed or killed): so is its cluster.
  process.once('disconnect', () => process.exit(0));
  process.on('message', (message: ChildCommand) => {
    const reply = (error?: unknown): void => {
      const answer: ChildMessage = { id: message.id, ok: error === undefined };
      if (error !== undefined) answer.error = error instanceof Error ? error.message : JSON.stringify(error);
      process.send?.(answer);
    };
    switch (message.op) {
      case 'pause':
        clock.pause();
        return reply();
      case 'resume':
        clock.resume();
        return reply();
      case 'restart':
        return void demo.server.restart().then(() => reply(), reply);
      case 'stop':
        return void demo.stop().then(
          () => {
            reply();
            scaled.dispose();
          },
          (e: unknown) => reply(e),
        );
    }
  });
  const ready: ChildMessage = {
    ready: { url: demo.url, caPem: demo.server.caPem, token: demo.server.token },
  };
  process.send?.(ready);
}

function pod(name: string, random: Rand): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'soak', labels: { app: random.pick(['a', 'b', 'c']) } },
    spec: {
      containers: [{ name: 'app', image: random.pick(['nginx:1.27', 'busybox:1.36', 'redis:7.2']) }],
    },
  };
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
