// Watches: a bounded history of store events (the "watch cache" window), replay from a
// resourceVersion, 410 Expired for one older than the window, periodic BOOKMARKs, and test hooks
// to expire or drop watches so client fault handling can be exercised.
import type { KubeObject } from '../../kube/types';
import type { ObjectStore, StoreEvent } from '../objectStore';
import type { StatusError } from './errors';
import { expired } from './errors';
import type { ObjectFilter } from './selectors';
import { matchesFilter } from './selectors';

export type WireEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchSpec {
  kind: string;
  namespace: string | undefined;
  name: string | undefined;
  filter: ObjectFilter;
}

export interface WatchSink {
  send(type: WireEventType, object: KubeObject): void;
  /** Ends the response; called when the server closes, the watch times out or a test drops it. */
  end(): void;
}

interface Watcher {
  spec: WatchSpec;
  sink: WatchSink;
  bookmark: ReturnType<typeof setInterval> | undefined;
  timeout: ReturnType<typeof setTimeout> | undefined;
  bookmarkObject: () => KubeObject;
}

interface Recorded {
  rv: number;
  event: StoreEvent;
}

export interface WatchHubOptions {
  /** Store events kept for replay, per kind; older resourceVersions get 410 Expired. */
  historySize: number;
  /** Real-time interval between BOOKMARK events for watches that allow them. */
  bookmarkIntervalMs: number;
}

function matches(spec: WatchSpec, object: KubeObject | undefined): boolean {
  if (!object) return false;
  if (spec.namespace !== undefined && object.metadata?.namespace !== spec.namespace) return false;
  if (spec.name !== undefined && object.metadata?.name !== spec.name) return false;
  return matchesFilter(spec.filter, object);
}

/**
 * How a store event looks to one watcher. A MODIFIED that moves an object into or out of the
 * watcher's selector becomes ADDED or DELETED, as the watch cache does.
 */
export function translate(
  spec: WatchSpec,
  event: StoreEvent,
): { type: WireEventType; object: KubeObject } | undefined {
  if (event.resource.kind !== spec.kind) return undefined;
  const now = matches(spec, event.object);
  if (event.type !== 'MODIFIED') return now ? { type: event.type, object: event.object } : undefined;
  const before = event.oldObject ? matches(spec, event.oldObject) : now;
  if (now && before) return { type: 'MODIFIED', object: event.object };
  if (now) return { type: 'ADDED', object: event.object };
  if (before) return { type: 'DELETED', object: event.object };
  return undefined;
}

/**
 * One kind's window of recent events. Kinds have their own windows, like kube-apiserver's
 * per-resource watch caches, so a flood of Events cannot expire a pod watcher's resourceVersion.
 */
class KindWindow {
  readonly events: Recorded[] = [];
  head = 0;

  /** Every event of this kind with a resourceVersion above `floor` is still in `events`. */
  constructor(public floor: number) {}

  push(recorded: Recorded, capacity: number): void {
    this.events.push(recorded);
    if (this.events.length - this.head > capacity) {
      this.floor = (this.events[this.head] as Recorded).rv;
      this.head++;
      // Compact now and then rather than shifting on every event.
      if (this.head > 4096 && this.head > this.events.length / 2) {
        this.events.splice(0, this.head);
        this.head = 0;
      }
    }
  }
}

export class WatchHub {
  private readonly windows = new Map<string, KindWindow>();
  /** The store's resourceVersion when this hub started: nothing older can be replayed. */
  private readonly startFloor: number;
  private readonly watchers = new Set<Watcher>();
  private readonly unsubscribe: () => void;
  private expireNext = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly options: WatchHubOptions,
  ) {
    this.startFloor = Number(store.resourceVersion());
    this.unsubscribe = store.subscribe((event) => this.record(event));
  }

  /** Number of open watches (tests wait on this instead of sleeping). */
  get size(): number {
    return this.watchers.size;
  }

  /** The error a watch of `kind` from `resourceVersion` gets, if that version is outside its window. */
  checkResourceVersion(kind: string, resourceVersion: string): StatusError | undefined {
    if (this.expireNext) {
      this.expireNext = false;
      return expired(`too old resource version: ${resourceVersion} (${this.store.resourceVersion()})`);
    }
    const rv = Number(resourceVersion);
    if (!Number.isFinite(rv)) return undefined;
    const floor = this.windows.get(kind)?.floor ?? this.startFloor;
    if (rv < floor) return expired(`too old resource version: ${resourceVersion} (${floor + 1})`);
    return undefined;
  }

  /**
   * Registers a watcher. Events after `fromResourceVersion` that are still in the window are
   * replayed first; the caller has already sent any initial ADDED events for a fresh watch.
   */
  add(
    spec: WatchSpec,
    sink: WatchSink,
    fromResourceVersion: number,
    options: { bookmarks: boolean; timeoutMs: number | undefined; bookmarkObject: () => KubeObject },
  ): () => void {
    const watcher: Watcher = {
      spec,
      sink,
      bookmark: undefined,
      timeout: undefined,
      bookmarkObject: options.bookmarkObject,
    };
    const window = this.windows.get(spec.kind);
    for (let i = window?.head ?? 0; window && i < window.events.length; i++) {
      const recorded = window.events[i] as Recorded;
      if (recorded.rv <= fromResourceVersion) continue;
      const wire = translate(spec, recorded.event);
      if (wire) sink.send(wire.type, wire.object);
    }
    if (options.bookmarks) {
      watcher.bookmark = setInterval(
        () => sink.send('BOOKMARK', watcher.bookmarkObject()),
        this.options.bookmarkIntervalMs,
      );
      watcher.bookmark.unref();
    }
    if (options.timeoutMs !== undefined) {
      watcher.timeout = setTimeout(() => this.remove(watcher, true), options.timeoutMs);
      watcher.timeout.unref();
    }
    this.watchers.add(watcher);
    return () => this.remove(watcher, false);
  }

  /** Test hook: the next watch that names a resourceVersion gets 410 Expired. */
  expireNextWatch(): void {
    this.expireNext = true;
  }

  /** Ends every open watch, as an apiserver restart or a dropped connection would. */
  dropAll(): void {
    for (const watcher of [...this.watchers]) this.remove(watcher, true);
  }

  close(): void {
    this.dropAll();
    this.unsubscribe();
  }

  private remove(watcher: Watcher, endResponse: boolean): void {
    if (!this.watchers.delete(watcher)) return;
    if (watcher.bookmark) clearInterval(watcher.bookmark);
    if (watcher.timeout) clearTimeout(watcher.timeout);
    if (endResponse) watcher.sink.end();
  }

  private record(event: StoreEvent): void {
    const rv = Number(event.object.metadata?.resourceVersion ?? this.store.resourceVersion());
    const kind = event.resource.kind;
    let window = this.windows.get(kind);
    if (!window) this.windows.set(kind, (window = new KindWindow(this.startFloor)));
    window.push({ rv, event }, this.options.historySize);
    for (const watcher of this.watchers) {
      const wire = translate(watcher.spec, event);
      if (wire) watcher.sink.send(wire.type, wire.object);
    }
  }
}
