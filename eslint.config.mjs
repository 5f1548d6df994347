// Lint enforces the layering in docs/ARCHITECTURE.md: pure layers never see `vscode`, only
// src/cluster/ talks to @kubernetes/client-node at runtime, our own folders import downwards only
// (LAYERS below), and no module imports itself through a cycle.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * What each folder of src/ may import of ours. Everything else of ours is refused, so a new
 * arrow between folders is a decision made here, not an accident.
 */
const LAYERS = {
  kube: [],
  analysis: ['kube'],
  manifest: ['kube'],
  cluster: ['kube'],
  demo: ['kube'],
  live: ['kube', 'analysis', 'manifest', 'cluster'],
  cli: ['kube', 'analysis', 'manifest', 'cluster', 'live', 'demo'],
  host: ['kube'],
  services: ['kube', 'analysis', 'manifest', 'cluster', 'live', 'demo', 'host'],
  tree: ['kube', 'analysis', 'manifest', 'cluster', 'live', 'host', 'services'],
  diagnostics: ['kube', 'analysis', 'manifest', 'cluster', 'live', 'host', 'services'],
  documents: ['kube', 'analysis', 'manifest', 'cluster', 'live', 'host', 'services'],
  // Commands act on the views (filter, refresh, reveal): the one VS Code folder that sees the others.
  commands: [
    'kube',
    'analysis',
    'manifest',
    'cluster',
    'live',
    'host',
    'services',
    'tree',
    'diagnostics',
    'documents',
  ],
};
const FOLDERS = Object.keys(LAYERS);
const layerZones = Object.entries(LAYERS).map(([folder, allowed]) => ({
  target: `./src/${folder}`,
  from: FOLDERS.filter((other) => other !== folder && !allowed.includes(other)).map(
    (other) => `./src/${other}`,
  ),
  message: `src/${folder}/ may import only ${allowed.length > 0 ? allowed.map((a) => `src/${a}/`).join(', ') : 'nothing of ours'} (see docs/ARCHITECTURE.md).`,
}));

const noVscode = {
  name: 'vscode',
  message: 'This layer must not depend on VS Code (see docs/ARCHITECTURE.md).',
};
const noClientNode = {
  name: '@kubernetes/client-node',
  message: 'Only src/cluster/ may use client-node at runtime; import types with `import type`.',
  allowTypeImports: true,
};
const noChildProcess = ['child_process', 'node:child_process'].map((name) => ({
  name,
  message: 'Processes start only through src/host/process.ts or a terminal.',
}));

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'coverage/**', 'tmp/**', '**/*.mjs', 'bin/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['src/kube/**', 'src/analysis/**', 'src/manifest/**', 'src/live/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            noVscode,
            noClientNode,
            ...noChildProcess,
            { name: 'fs', message: 'Pure layer: no I/O.' },
            { name: 'node:fs', message: 'Pure layer: no I/O.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/demo/**', 'src/cli/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [noVscode, noClientNode, ...noChildProcess] },
      ],
    },
  },
  {
    files: ['src/cluster/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [noVscode, ...noChildProcess] }],
    },
  },
  {
    files: ['src/tree/**', 'src/diagnostics/**', 'src/documents/**', 'src/commands/**', 'src/extension.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [noClientNode, ...noChildProcess] }],
    },
  },
  {
    files: ['src/host/**'],
    ignores: ['src/host/process.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [noClientNode, ...noChildProcess] }],
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
