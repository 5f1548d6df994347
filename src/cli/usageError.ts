/** A problem with what the user typed or pointed at: exit status 2 and one line on stderr. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
