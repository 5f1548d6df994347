// Mocha's dot reporter for people, plus the counts for machines: when PODSCOPE_RESULTS_FILE is
// set, the run's passed/failed/pending counts are written there as JSON at the end.
// (Mocha takes one reporter per run, so the two are combined here.)
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';

const { EVENT_RUN_END } = Mocha.Runner.constants;

export default class CountingDotReporter extends Mocha.reporters.Dot {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.PODSCOPE_RESULTS_FILE;
      if (!file) return;
      const { passes, failures, pending } = runner.stats;
      writeFileSync(file, `${JSON.stringify({ passed: passes, failed: failures, pending })}\n`);
    });
  }
}
