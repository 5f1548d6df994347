// Entry point of the Restricted Mode suite: the same mocha run as test/integration's index, over
// the *.test.js files compiled beside this one (test/runner/buildTests.mjs bundles that index
// into this file, so its __dirname is this suite's folder).
export { run } from '../integration/index';
