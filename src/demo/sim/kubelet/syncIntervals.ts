// How soon the kubelet looks at a pod again when nothing else will wake it: a pod stuck in an
// error, or a container waiting out a back-off, keeps producing events at these intervals.

/** How often a pod stuck in an error is synced again (count grows on its events). */
export const errorResyncMs = 15_000;
/** Back-off events repeat while a container waits out its back-off. */
export const backoffEventMs = 20_000;
