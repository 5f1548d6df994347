// What tree commands receive: a context name, a tree node, or plain `{ context }`.

export function contextArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && 'context' in arg) {
    const context = arg.context;
    if (typeof context === 'string') return context;
  }
  return undefined;
}
