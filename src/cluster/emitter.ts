// A minimal typed event emitter with VS Code's shape (`event(listener) → Disposable`), so the
// extension can hand `onDidChange` straight to its tree while this folder stays free of `vscode`.
export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (value: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  /** Calls every listener; one throwing listener does not starve the others. */
  fire(value: T, onListenerError?: (e: unknown) => void): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (e) {
        onListenerError?.(e);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
