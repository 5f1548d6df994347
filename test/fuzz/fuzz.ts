// `npm run fuzz [-- --seed N] [--inputs N] [--index I]`: 100,000 seeded hostile manifests through
// src/manifest and placement (see manifestFuzz.ts). Prints one JSON line per figure; on a failure,
// the seed and input index to replay with `--seed N --index I` (which also prints the input).
import { fuzzInput, runFuzz } from './manifestFuzz';
import { numberArg, seedFromArgs } from '../prng';

const SLOW_MS = 250;

function main(): number {
  const argv = process.argv.slice(2);
  const seed = seedFromArgs(argv);
  const only = numberArg(argv, '--index', -1);
  const inputs = numberArg(argv, '--inputs', 100_000);
  console.log(JSON.stringify({ fuzz_seed: seed }));
  if (only >= 0) {
    const input = fuzzInput(seed, only);
    console.log(
      JSON.stringify({
        index: only,
        kind: input.kind,
        fileName: input.fileName,
        text: input.text.slice(0, 4000),
      }),
    );
  }
  const started = performance.now();
  const result = only >= 0 ? runFuzz(seed, only, only + 1) : runFuzz(seed, 0, inputs);
  const figures = {
    fuzz_inputs: result.inputs,
    fuzz_crashes: result.crashes.length,
    fuzz_slowest_ms: Math.round(result.slowest.ms * 10) / 10,
  };
  for (const [name, value] of Object.entries(figures)) console.log(JSON.stringify({ [name]: value }));
  const { index, kind, firstMs } = result.slowest;
  console.log(JSON.stringify({ fuzz_slowest_input: { index, kind, first_ms: Math.round(firstMs) } }));
  console.log(JSON.stringify({ fuzz_wall_s: Math.round((performance.now() - started) / 100) / 10 }));
  for (const crash of result.crashes.slice(0, 20))
    console.error(`crash: replay with --seed ${seed} --index ${crash.index} (${crash.kind})\n${crash.error}`);
  if (result.slowest.ms > SLOW_MS)
    console.error(
      `slow: input ${result.slowest.index} took ${figures.fuzz_slowest_ms} ms; replay with --seed ${seed} --index ${result.slowest.index}`,
    );
  return result.crashes.length === 0 && result.slowest.ms <= SLOW_MS ? 0 : 1;
}

process.exitCode = main();
