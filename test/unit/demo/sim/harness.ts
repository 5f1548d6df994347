// A simulated cluster for tests: the real MemoryStore, a ManualClock stepped by hand, the
// simulation on the demo's five nodes, and helpers to apply YAML and read what kubectl would show.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeEvent, Pod } from '../../../../src/kube/types';
import { podRow } from '../../../../src/kube/podStatus';
import { ManualClock } from '../../../../src/demo/manualClock';
import { MemoryStore } from '../../../../src/demo/memoryStore';
import { demoNodes } from '../../../../src/demo/sim/nodeLifecycle/nodeFactory';
import type { NodeShape } from '../../../../src/demo/sim/nodeLifecycle/nodeFactory';
import { seededRandom } from '../../../../src/demo/sim/simContext';
import { Simulation } from '../../../../src/demo/sim/simulation';
import { applyYaml } from '../../../../src/demo/yamlApply';

export const workspace = join(__dirname, '../../../../demo/workspace');

export class Harness {
  readonly clock = new ManualClock('2025-06-10T09:00:00Z');
  readonly random = seededRandom(42);
  readonly store = new MemoryStore({ clock: this.clock, random: this.random });
  readonly sim = new Simulation(this.store, this.clock, { random: this.random });

  constructor(nodes: NodeShape[] = demoNodes, namespaces: string[] = ['demo', 'shop', 'monitoring']) {
    this.sim.addNodes(nodes);
    for (const name of namespaces)
      this.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    this.sim.start();
    this.sim.flush();
  }

  apply(yaml: string): void {
    applyYaml(this.store, yaml, 'test', this.random);
    this.sim.flush();
  }

  applyFile(relative: string): void {
    this.apply(readFileSync(join(workspace, relative), 'utf8'));
  }

  /** Steps simulated time by `seconds`, firing everything that falls due. */
  advance(seconds: number): void {
    this.clock.advance(seconds * 1000);
    this.sim.flush();
  }

  pods(namespace = 'demo', prefix = ''): Pod[] {
    return (this.store.list('Pod', namespace) as Pod[]).filter((p) => p.metadata?.name?.startsWith(prefix));
  }

  pod(namespace: string, prefix: string): Pod {
    const pods = this.pods(namespace, prefix);
    if (pods.length === 0) throw new Error(`no pod ${namespace}/${prefix}*`);
    return pods[0]!;
  }

  status(namespace: string, prefix: string): string {
    return podRow(this.pod(namespace, prefix), this.clock.now()).status;
  }

  rows(namespace: string, prefix: string): string[] {
    return this.pods(namespace, prefix).map((p) => {
      const row = podRow(p, this.clock.now());
      return `${row.ready} ${row.status} ${row.restartCount}`;
    });
  }

  events(namespace: string, involvedName?: string): KubeEvent[] {
    return (this.store.list('Event', namespace) as KubeEvent[]).filter(
      (e) => !involvedName || e.involvedObject.name === involvedName,
    );
  }

  messages(namespace: string, involvedName?: string): string[] {
    return this.events(namespace, involvedName).map((e) => `${e.reason}: ${e.message}`);
  }
}
