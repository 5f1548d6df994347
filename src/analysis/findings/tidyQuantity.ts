// Quantities a fix proposes: rounded to values a person would write (256Mi, 1536Mi, 2Gi, 3900m),
// never the raw product of a computation (268435456 or 1.8Gi).
import { formatMemory } from '../../kube/quantity';

const MI = 1024 * 1024;
const GI = 1024 * MI;

/** The smallest of 1×2ⁿ or 1.5×2ⁿ Mi (64Mi, 96Mi, 128Mi, …, 1536Mi, 2Gi, 3Gi, 4Gi, …) that is ≥ bytes. */
export function tidyMemoryUp(bytes: number): string {
  let base = 16 * MI;
  for (;;) {
    if (base >= bytes) return formatMemory(base);
    if (base * 1.5 >= bytes) return formatMemory(base * 1.5);
    base *= 2;
  }
}

/** The largest multiple of 256Mi (64Mi below 1Gi) that is ≤ bytes, or undefined when nothing fits. */
export function tidyMemoryDown(bytes: number): string | undefined {
  const step = bytes >= GI ? 256 * MI : 64 * MI;
  const value = Math.floor(bytes / step) * step;
  return value > 0 ? formatMemory(value) : undefined;
}

/** The largest multiple of 100m that is ≤ cores, as `3900m` or `2`. */
export function tidyCpuDown(cores: number): string | undefined {
  const milli = Math.floor((cores * 1000) / 100) * 100;
  if (milli <= 0) return undefined;
  return milli % 1000 === 0 ? `${milli / 1000}` : `${milli}m`;
}
