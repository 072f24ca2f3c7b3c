// Browser tests: the stack as `npm start` runs it, driven by Debian's chromium.
const { projectJestConfig } = require('../../jest.preset.js');

module.exports = projectJestConfig(__dirname, {
  displayName: 'apps/web e2e',
  testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
  maxWorkers: 1,
});
