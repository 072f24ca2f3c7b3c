const { projectJestConfig } = require('../../jest.preset.js');

module.exports = projectJestConfig(__dirname, {
  resolver: require.resolve('./jest.resolver.js'),
  // Transform those ESM-only packages (see jest.resolver.js) like our own sources.
  transformIgnorePatterns: ['/node_modules/(?!(kubernetes-models|@kubernetes-models|is-cidr|cidr-regex)/)'],
});
