// Lint enforces the layering in docs/ARCHITECTURE.md: pure layers never see `vscode`,
// and only src/cluster/ talks to @kubernetes/client-node at runtime.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    files: ['src/kube/**', 'src/analysis/**', 'src/manifest/**'],
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
    files: ['src/tree/**', 'src/diagnostics/**', 'src/commands/**', 'src/extension.ts'],
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
