// The scheduler's and kubelet's view of quantities: whole millicores and bytes, absent meaning
// zero. Parsing is kube/quantity.ts, the same exact arithmetic kubectl and analysis use.
import { parseBytes, parseMillicores } from '../../kube/quantity';

/** CPU as whole millicores, the unit the scheduler compares in. Throws on text the API server would reject. */
export function milliCpu(text: string | undefined): number {
  return text === undefined ? 0 : valid(text, parseMillicores(text));
}

export function bytes(text: string | undefined): number {
  return text === undefined ? 0 : valid(text, parseBytes(text));
}

function valid(text: string, value: number | undefined): number {
  if (value === undefined)
    throw new RangeError(
      `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${text}`,
    );
  return value;
}
