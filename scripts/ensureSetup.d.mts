// Types for the tests of scripts/ensureSetup.mjs, which stays plain JavaScript because it runs
// before node_modules (and so TypeScript) exists.
export interface Probe {
  exists: (path: string) => boolean;
  onPath: (command: string) => boolean;
}

export declare const SYSTEM_PACKAGES: readonly {
  name: string;
  build: boolean;
  present: (probe: Probe) => boolean;
}[];

export declare function missingPackages(probe: Probe, state: { provisioned: boolean }): string[];

export declare function npmCiReason(mtimes: {
  nodeModules?: number | undefined;
  installed?: number | undefined;
  lockfile: number;
}): string | undefined;

export declare function aptCommands(
  missing: string[],
  machine: { root: boolean; sudo: boolean; aptGet: boolean },
): { commands: string[][] } | { error: string };

export declare const machineProbe: Probe;
