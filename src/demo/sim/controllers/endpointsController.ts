// Endpoints and EndpointSlices for Services with a selector (§18): ready pod IPs under
// `addresses`, unready ones under `notReadyAddresses` (slice `conditions.ready: false`), no
// `subsets` at all (slice `endpoints: null`) when nothing matches.
import type { EndpointSlice, KubeObject, Pod, Service } from '../../../kube/types';
import { matchesServiceSelector } from '../../../kube/labelSelector';
import { randomSuffix } from '../names';
import { canonicalJson } from '../names';
import { controllerRef, isPodReady, isTerminal } from '../objects';
import type { SimContext } from '../simContext';

interface Port {
  name?: string;
  port: number;
  protocol: string;
}

export class EndpointsController {
  constructor(private readonly ctx: SimContext) {}

  /** Whether `host` (a Service name, maybe namespace-qualified) has a ready endpoint. */
  reachable(namespace: string, host: string): boolean {
    const [svc = '', ns = namespace] = host.split('.');
    const ep: (KubeObject & { subsets?: { addresses?: unknown[] }[] }) | undefined = this.ctx.store.get(
      'Endpoints',
      ns,
      svc,
    );
    return Boolean(ep?.subsets?.some((s) => (s.addresses ?? []).length > 0));
  }

  reconcileNamespace(namespace: string): void {
    for (const svc of this.ctx.store.list('Service', namespace) as Service[]) this.reconcile(svc);
  }

  reconcile(svc: Service): void {
    const selector = svc.spec?.selector;
    if (!selector || Object.keys(selector).length === 0) return;
    const ns = svc.metadata?.namespace ?? 'default';
    const name = svc.metadata?.name ?? '';
    const pods = (this.ctx.store.list('Pod', ns) as Pod[]).filter(
      (p) => matchesServiceSelector(selector, p.metadata?.labels) && p.status?.podIP && !isTerminal(p),
    );
    const ports: Port[] = (svc.spec?.ports ?? []).map((p) => {
      const target = p.targetPort ?? p.port;
      const resolved =
        typeof target === 'number'
          ? target
          : Number(
              pods
                .flatMap((pod) => pod.spec?.containers ?? [])
                .flatMap((c) => c.ports ?? [])
                .find((cp) => cp.name === target)?.containerPort ?? 0,
            );
      const out: Port = { port: resolved || p.port, protocol: p.protocol ?? 'TCP' };
      if (p.name) out.name = p.name;
      return out;
    });
    const address = (p: Pod): Record<string, unknown> => ({
      ip: p.status?.podIP,
      nodeName: p.spec?.nodeName,
      targetRef: { kind: 'Pod', namespace: ns, name: p.metadata?.name, uid: p.metadata?.uid },
    });
    const ready = pods.filter((p) => isPodReady(p) && !p.metadata?.deletionTimestamp);
    const unready = pods.filter((p) => !ready.includes(p));
    const subset: Record<string, unknown> = { ports };
    if (ready.length) subset['addresses'] = ready.map(address);
    if (unready.length) subset['notReadyAddresses'] = unready.map(address);
    const endpoints: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace: ns, labels: { ...(svc.metadata?.labels ?? {}) } },
    };
    if (pods.length) endpoints['subsets'] = [subset];
    this.put('Endpoints', endpoints);
    const sliceEndpoints = pods.length
      ? pods.map((p) => ({
          addresses: [p.status?.podIP ?? ''],
          conditions: {
            ready: ready.includes(p),
            serving: isPodReady(p),
            terminating: Boolean(p.metadata?.deletionTimestamp),
          },
          nodeName: p.spec?.nodeName,
          targetRef: { kind: 'Pod', namespace: ns, name: p.metadata?.name, uid: p.metadata?.uid },
        }))
      : null;
    const existing = (this.ctx.store.list('EndpointSlice', ns) as EndpointSlice[]).find(
      (s) => s.metadata?.labels?.['kubernetes.io/service-name'] === name,
    );
    const slice: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: existing?.metadata?.name ?? `${name}-${randomSuffix(5, this.ctx.random)}`,
        generateName: `${name}-`,
        namespace: ns,
        labels: {
          ...(svc.metadata?.labels ?? {}),
          'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
          'kubernetes.io/service-name': name,
        },
        ownerReferences: [controllerRef(svc)],
      },
      addressType: 'IPv4',
      endpoints: sliceEndpoints,
      ports: ports.length ? ports : null,
    };
    this.put('EndpointSlice', slice);
  }

  private put(kind: string, object: KubeObject): void {
    const existing = this.ctx.store.get(kind, object.metadata?.namespace, object.metadata?.name ?? '');
    if (!existing) {
      this.ctx.store.create(object);
      return;
    }
    const strip = (o: KubeObject): unknown => ({
      ...o,
      metadata: { name: o.metadata?.name, labels: o.metadata?.labels },
    });
    if (canonicalJson(strip(existing)) === canonicalJson(strip(object))) return;
    const next: KubeObject = { ...object, metadata: { ...existing.metadata, ...object.metadata } };
    if (!('subsets' in object)) delete next['subsets'];
    this.ctx.store.update(next);
  }
}
