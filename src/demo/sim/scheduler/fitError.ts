// framework.FitError.Error(): `0/N nodes are available: <histogram or PreFilter message>.`
// followed by the PostFilter (preemption) message. The histogram counts each reason across
// nodes, formats `<count> <reason>`, and sorts the strings lexicographically, so "10 ..." sorts
// before "2 ...", exactly as Go's sort.Strings does.

export function histogram(numNodes: number, reasonsByNode: Iterable<string[]>): string {
  const counts = new Map<string, number>();
  for (const reasons of reasonsByNode) for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([reason, n]) => `${n} ${reason}`);
  parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `0/${numNodes} nodes are available: ${parts.join(', ')}.`;
}

export function fitErrorMessage(
  numNodes: number,
  preFilterMsg: string | undefined,
  reasonsByNode: Iterable<string[]>,
  postFilterMsg?: string,
): string {
  let msg = preFilterMsg
    ? `0/${numNodes} nodes are available: ${preFilterMsg}.`
    : histogram(numNodes, reasonsByNode);
  if (postFilterMsg) msg += ` ${postFilterMsg}`;
  return msg;
}

/** Event notes are cut to 1024 characters with a trailing " ..." (truncateMessage). */
export function truncateNote(message: string): string {
  return message.length > 1024 ? `${message.slice(0, 1020)} ...` : message;
}
