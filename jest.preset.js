// Shared Jest configuration. Every project's jest.config.js calls
// projectJestConfig(__dirname) so that unit specs (beside the code) and
// integration specs (under test/) run the same way everywhere.
const path = require('node:path');
const fs = require('node:fs');

const root = __dirname;

// Workspace imports resolve to sources, so a test never runs stale dist/ output.
function workspaceModuleMapper() {
  const mapper = {};
  for (const group of ['libs', 'apps']) {
    const dir = path.join(root, group);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const pkgFile = path.join(dir, name, 'package.json');
      if (!fs.existsSync(pkgFile)) continue;
      const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
      mapper[`^${pkg.name.replace('/', '\\/')}$`] = path.join(dir, name, 'src/index.ts');
    }
  }
  return mapper;
}

const swcTransform = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true, tsx: true },
      // Without decorator metadata Nest's dependency injection silently passes undefined.
      transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
    },
    module: { type: 'commonjs' },
  },
];

function projectJestConfig(projectDir, overrides = {}) {
  return {
    rootDir: projectDir,
    displayName: path.relative(root, projectDir),
    testEnvironment: 'node',
    transform: { '^.+\\.(t|j)sx?$': swcTransform },
    moduleNameMapper: workspaceModuleMapper(),
    testMatch: [
      '<rootDir>/src/**/*.spec.ts',
      '<rootDir>/test/**/*.spec.ts',
      '<rootDir>/test/**/*.int-spec.ts',
    ],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    // No forceExit: tests close what they open, and a run that stays alive
    // after its last test fails with a message (jest.exit-guard.js) instead of
    // hanging CI or hiding the leak.
    reporters: ['default', path.join(root, 'jest.exit-guard.js')],
    ...overrides,
  };
}

module.exports = { projectJestConfig, swcTransform };
