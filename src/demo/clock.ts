// Simulated time. Tests step a ManualClock by hand; the demo runs a ScaledClock (e.g. 10x) so
// that back-offs measured in minutes are visible in seconds.

export interface Clock {
  /** Simulated ms since the epoch. */
  now(): number;
  /** Runs `fn` once `ms` of simulated time have passed. */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

export interface TimerHandle {
  cancel(): void;
}
