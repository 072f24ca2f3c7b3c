const { projectJestConfig, swcTransform } = require('../../jest.preset.js');

module.exports = projectJestConfig(__dirname, {
  resolver: require.resolve('./jest.resolver.js'),
  // Transform those ESM-only packages (see jest.resolver.js) like our own
  // sources; kubernetes-models 4 ships them as .mjs.
  transform: { '^.+\\.(t|j)sx?$': swcTransform, '^.+\\.mjs$': swcTransform },
  transformIgnorePatterns: [
    '/node_modules/(?!(kubernetes-models|@kubernetes-models|is-cidr|cidr-regex|is-plain-object)/)',
  ],
});
