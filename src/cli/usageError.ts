/** A problem with what the user typed or pointed at: exit status 2 and one line on stderr. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The command line itself is malformed (an unknown flag, a flag without its value): show the usage too. */
  readonly showUsage: boolean;

  constructor(message: string, options: { showUsage?: boolean } = {}) {
    super(message);
    this.showUsage = options.showUsage ?? false;
  }
}
