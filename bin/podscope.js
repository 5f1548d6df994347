#!/usr/bin/env node
'use strict';
// Checked here, before any dependency loads, so an old Node gets one clear line and not a stack
// trace from deep inside a library.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`podscope: Node.js 20.19 or newer is required (this is ${process.version})\n`);
  process.exit(2);
}
require('../dist/cli.js').runCli();
