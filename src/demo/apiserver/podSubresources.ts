// Pod subresources that reach past the API server: logs (from the simulation's LogSource,
// streamed for `follow`), ephemeral containers (`kubectl debug`), and exec/attach/port-forward,
// which answer as a real apiserver does when it cannot dial the kubelet, so tools fail at once.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject, Pod } from '../../kube/types';
import type { Clock } from '../clock';
import type { ObjectStore } from '../objectStore';
import { methodNotAllowed, notFound, StatusError } from './errors';
import { jsonEqual } from './jsonEqual';
import { jsonMergePatch, jsonPatch } from './patch';
import type { LogSource } from './logs';
import { checkLogsAvailable, formatLine, parseLogOptions, resolveContainer, selectLines } from './logs';
import { baseHeaders, writeJson } from './responses';
import { strategicMergePatch } from './strategicMerge';

const POD = { group: '', resource: 'pods' };

/** kube-apiserver's answer when the kubelet's port is unreachable (`proxy/transport` dial error). */
export function kubeletUnreachable(pod: Pod): StatusError {
  const hostIP = pod.status?.hostIP ?? '10.0.0.1';
  const message = `error dialing backend: dial tcp ${hostIP}:10250: connect: connection refused`;
  return new StatusError(500, '', message);
}

export interface PodSubresourceDeps {
  store: ObjectStore;
  clock: Clock;
  logs: LogSource | undefined;
}

function mustGetPod(store: ObjectStore, namespace: string | undefined, name: string): Pod {
  const pod = store.get('Pod', namespace, name);
  if (!pod) throw notFound(POD, name);
  return pod;
}

/** Checks an exec/attach/portforward target and returns the error a real server gives for it. */
export function streamingError(
  deps: PodSubresourceDeps,
  namespace: string | undefined,
  name: string,
  query: URLSearchParams,
  subresource: string,
): StatusError {
  const pod = mustGetPod(deps.store, namespace, name);
  if (!pod.spec?.nodeName)
    return new StatusError(400, 'BadRequest', `pod ${name} does not have a host assigned`);
  if (subresource !== 'portforward') {
    const container = resolveContainer(pod, query.get('container') ?? undefined);
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      return new StatusError(
        400,
        'BadRequest',
        `cannot exec into a container in a completed pod; current phase is ${phase}`,
      );
    }
    const statuses = [
      ...(pod.status?.containerStatuses ?? []),
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.ephemeralContainerStatuses ?? []),
    ];
    if (!statuses.find((s) => s.name === container.name)?.state?.running) {
      return new StatusError(
        400,
        'BadRequest',
        `unable to upgrade connection: container not found ("${container.name}")`,
      );
    }
  }
  return kubeletUnreachable(pod);
}

/** Exec and attach arrive as connection upgrades (SPDY or WebSocket); answer them with a plain HTTP error. */
export function rejectUpgrade(socket: Duplex, error: StatusError, now: number): void {
  const body = JSON.stringify(error.toStatus());
  const reason =
    error.code === 404
      ? 'Not Found'
      : error.code === 400
        ? 'Bad Request'
        : error.code === 403
          ? 'Forbidden'
          : error.code === 401
            ? 'Unauthorized'
            : 'Internal Server Error';
  const headers = {
    ...baseHeaders('application/json'),
    Date: new Date(now).toUTCString(),
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
  };
  const head = [
    `HTTP/1.1 ${error.code} ${reason}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    '',
    '',
  ].join('\r\n');
  socket.end(head + body);
}

export async function handleLog(
  deps: PodSubresourceDeps,
  req: IncomingMessage,
  res: ServerResponse,
  namespace: string | undefined,
  name: string,
  query: URLSearchParams,
): Promise<void> {
  if (req.method !== 'GET') throw methodNotAllowed();
  const pod = mustGetPod(deps.store, namespace, name);
  const options = parseLogOptions(query);
  const container = resolveContainer(pod, options.container).name;
  if (!pod.spec?.nodeName) {
    // No node, no kubelet to ask: kube-apiserver answers an unscheduled pod's logs with an empty body.
    res.writeHead(200, baseHeaders('text/plain'));
    res.end();
    return;
  }
  checkLogsAvailable(pod, container, options.previous);
  const ref = { namespace: pod.metadata?.namespace ?? '', pod: name, container };
  const lines = deps.logs?.lines(ref, options.previous) ?? [];
  const selected = selectLines(lines, options, deps.clock.now());
  res.writeHead(200, {
    ...baseHeaders('text/plain'),
    ...(options.follow ? { 'Transfer-Encoding': 'chunked' } : {}),
  });
  // A follower may wait long for its first line; send the headers now so the client knows it is connected.
  if (options.follow) res.flushHeaders();
  let budget = options.limitBytes ?? Infinity;
  const write = (text: string): boolean => {
    if (budget <= 0) return false;
    const chunk =
      Buffer.byteLength(text) > budget ? Buffer.from(text).subarray(0, budget) : Buffer.from(text);
    budget -= chunk.length;
    res.write(chunk);
    return budget > 0;
  };
  for (const line of selected) if (!write(formatLine(line, options.timestamps))) break;
  if (!options.follow || options.previous || !deps.logs || budget <= 0) {
    res.end();
    return;
  }
  const stop = deps.logs.follow(ref, (line) => {
    if (!write(formatLine(line, options.timestamps))) res.end();
  });
  // The stream ends when the client goes, or when the pod it follows is deleted.
  const unsubscribe = deps.store.subscribe((event) => {
    if (
      event.type === 'DELETED' &&
      event.resource.kind === 'Pod' &&
      event.object.metadata?.uid === pod.metadata?.uid
    )
      res.end();
  });
  res.on('close', () => {
    stop();
    unsubscribe();
  });
  await Promise.resolve();
}

/** GET/PUT/PATCH pods/<name>/ephemeralcontainers: only spec.ephemeralContainers may change, and only by adding. */
export async function handleEphemeralContainers(
  deps: PodSubresourceDeps,
  req: IncomingMessage,
  body: () => Promise<Buffer>,
  namespace: string | undefined,
  name: string,
): Promise<KubeObject> {
  const pod = mustGetPod(deps.store, namespace, name);
  if (req.method === 'GET') return pod;
  const text = (await body()).toString('utf8');
  const input = JSON.parse(text || '{}') as unknown;
  let next: KubeObject;
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
  if (req.method === 'PUT') next = input as KubeObject;
  else if (req.method === 'PATCH') {
    if (contentType === 'application/json-patch+json') next = jsonPatch(pod, input) as KubeObject;
    else if (contentType === 'application/merge-patch+json') next = jsonMergePatch(pod, input) as KubeObject;
    else next = strategicMergePatch(pod, input) as KubeObject;
  } else throw methodNotAllowed();
  const before = pod.spec?.ephemeralContainers ?? [];
  const after = ((next['spec'] as { ephemeralContainers?: unknown[] } | undefined)?.ephemeralContainers ??
    []) as { name: string }[];
  for (const old of before) {
    const kept = after.find((c) => c.name === old.name);
    if (!kept || !jsonEqual(kept, old)) {
      throw new StatusError(
        422,
        'Invalid',
        `Pod "${name}" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers "${old.name}" may not be removed or changed`,
        {
          name,
          kind: 'Pod',
          causes: [
            {
              reason: 'FieldValueForbidden',
              message: `Forbidden: existing ephemeral containers "${old.name}" may not be removed or changed`,
              field: 'spec.ephemeralContainers',
            },
          ],
        },
      );
    }
  }
  const copy = structuredClone(pod);
  (copy.spec ??= { containers: [] }).ephemeralContainers = after.map((c) => ({
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
    resources: {},
    ...c,
  }));
  return deps.store.update({ ...copy, metadata: { ...copy.metadata, resourceVersion: undefined } });
}

export function writeObject(res: ServerResponse, object: KubeObject): void {
  writeJson(res, 200, object);
}
