// What a container's exit means (catalog §6.3, §8). The exit code alone misleads: 137 is an OOM
// kill only when the runtime says `OOMKilled`, and CRI runtimes never fill `terminated.signal`, so
// the signal is derived from codes above 128 the way shells report a fatal signal (128 + N).
import type { ContainerStateTerminated } from '../kube/types';

export type ExitCategory =
  /** Exit 0. */
  | 'success'
  /** The process exited on its own with a failure code. */
  | 'error'
  /** The kernel OOM killer ended it (`reason: OOMKilled`). */
  | 'oom'
  /** A signal ended it (exit 128 + N or `signal` set) and it was not an OOM kill. */
  | 'signal'
  /** The runtime could not start the process (`StartError`, `ContainerCannotRun`, or 126/127). */
  | 'start-failure'
  /** The runtime lost the real exit status (`Unknown`, `ContainerStatusUnknown`). */
  | 'unknown';

export interface ExitExplanation {
  code: number;
  /** Signal name, e.g. `SIGKILL`, from `terminated.signal` or derived from a code above 128. */
  signal?: string;
  signalNumber?: number;
  category: ExitCategory;
  /** One sentence for a person, e.g. `Killed by the kernel OOM killer: ...`. */
  meaning: string;
}

const SIGNAL_NAMES: readonly string[] = [
  '',
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGKILL',
  'SIGUSR1',
  'SIGSEGV',
  'SIGUSR2',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGSTKFLT',
  'SIGCHLD',
  'SIGCONT',
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGIO',
  'SIGPWR',
  'SIGSYS',
];

/** Linux numbering; signals from 34 up are real-time (`SIGRTMIN+N`). */
const SIGRTMIN = 34;
const SIGRTMAX = 64;

/** The Linux name of signal `n` (`9` → `SIGKILL`, `36` → `SIGRTMIN+2`), or undefined outside 1–64. */
export function signalName(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 1 || n > SIGRTMAX) return undefined;
  if (n < SIGNAL_NAMES.length) return SIGNAL_NAMES[n];
  if (n === SIGRTMIN) return 'SIGRTMIN';
  if (n === SIGRTMAX) return 'SIGRTMAX';
  if (n > SIGRTMIN) return `SIGRTMIN+${n - SIGRTMIN}`;
  return `SIG${n}`; // 32 and 33 are reserved by glibc and have no name
}

/**
 * The signal that ended the process: `terminated.signal` when a runtime filled it, else the
 * shell convention 128 + N. 128 itself is containerd's start failure and 255 its "unknown", not
 * signals.
 */
export function exitSignal(terminated: ContainerStateTerminated): number | undefined {
  if (terminated.signal) return terminated.signal;
  const n = terminated.exitCode - 128;
  return n >= 1 && n <= SIGRTMAX ? n : undefined;
}

/** True when the kernel OOM killer ended the container; the reason decides, not exit code 137. */
export function isOomKilled(terminated: ContainerStateTerminated): boolean {
  return terminated.reason === 'OOMKilled';
}

/** Explains one `state.terminated` or `lastState.terminated`. */
export function explainExit(terminated: ContainerStateTerminated): ExitExplanation {
  const code = terminated.exitCode;
  const signalNumber = exitSignal(terminated);
  const signal = signalNumber === undefined ? undefined : signalName(signalNumber);
  const result = (category: ExitCategory, meaning: string): ExitExplanation => {
    const explanation: ExitExplanation = { code, category, meaning };
    if (signalNumber !== undefined && signal !== undefined) {
      explanation.signal = signal;
      explanation.signalNumber = signalNumber;
    }
    return explanation;
  };

  // The runtime's reason outranks the code: it knows things the number cannot say.
  switch (terminated.reason) {
    case 'OOMKilled':
      return result(
        'oom',
        code === 137
          ? 'Killed by the kernel OOM killer: the container reached its memory limit (resources.limits.memory).'
          : `A process in the container was OOM-killed (memory limit reached); the main process then exited with code ${code}.`,
      );
    case 'StartError':
      return result(
        'start-failure',
        'The runtime could not start the process (bad command, working directory, mount or security settings); see the message.',
      );
    case 'ContainerCannotRun':
      return result('start-failure', 'Docker could not run the container command; see the message.');
    case 'ContainerStatusUnknown':
      return result(
        'unknown',
        'The container could not be located when the pod was terminated, so its real exit status is lost.',
      );
    case 'Unknown':
      return result('unknown', 'The runtime lost the exit status (e.g. after a containerd restart).');
    default:
      break;
  }

  switch (code) {
    case 0:
      return result(
        'success',
        'Exited successfully. Under restartPolicy Always it is restarted anyway, so a one-shot command in a Deployment ends in CrashLoopBackOff.',
      );
    case 1:
      return result(
        'error',
        'The application exited with a general error (exception, bad configuration, missing file).',
      );
    case 2:
      return result('error', 'Misuse of a shell builtin or bad command-line usage (check args).');
    case 126:
      return result(
        'start-failure',
        'The command was found but is not executable (permission denied or not a binary).',
      );
    case 127:
      return result(
        'start-failure',
        'The shell could not find the command (check command/args and the image).',
      );
    case 128:
      return result('start-failure', 'The runtime could not start the process (containerd start error).');
    case 255:
      return result(
        'error',
        'Exit status 255: a lost exit status, or an exec failure inside the container such as `exec format error` (wrong image architecture) or a bad shebang.',
      );
    default:
      break;
  }

  if (signalNumber !== undefined) {
    const name = signal ?? `signal ${signalNumber}`;
    switch (signalNumber) {
      case 9:
        return result(
          'signal',
          `Killed with ${name}, not by the OOM killer: the kubelet after the termination grace period (failed liveness or startup probe, deletion, eviction) or an external kill -9.`,
        );
      case 15:
        return result(
          'signal',
          `Terminated by ${name} and did not handle it: usually deletion, a rollout, eviction, preemption or a probe restart.`,
        );
      case 6:
        return result('signal', `Aborted (${name}): abort(), a failed assertion or a native crash.`);
      case 11:
        return result(
          'signal',
          `Segmentation fault (${name}): a native crash, often a library or architecture mismatch in the image.`,
        );
      case 2:
        return result('signal', `Interrupted (${name}).`);
      default:
        return result('signal', `Ended by ${name} (exit code ${code} = 128 + ${signalNumber}).`);
    }
  }
  return result('error', `The application exited with code ${code}.`);
}
