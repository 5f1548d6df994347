// The parts of client-node Podscope uses. Importing them by name lets esbuild drop the generated
// API classes we never call (about 1 MB minified instead of 3.4 MB for `import *`). KubeConfig
// already depends on the Configuration machinery and Watch is small: the last four names cost
// about 2 KB (`node scripts/build.mjs`).
export {
  createConfiguration,
  HttpMethod,
  KubeConfig,
  ServerConfiguration,
  Watch,
} from '@kubernetes/client-node';
