// The logger src/cluster/ writes to. The extension passes its LogOutputChannel, the CLI a
// stderr logger, tests a recording one. Messages never contain object contents or credentials.
export interface Logger {
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
}

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
