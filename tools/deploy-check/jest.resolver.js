// kubernetes-models, its @kubernetes-models/* helpers and their is-cidr /
// is-plain-object /
// cidr-regex are ESM-only (their package exports have only an "import"
// condition). Jest runs these specs as
// CommonJS, so for those packages alone resolve with the "import" condition;
// swc (see jest.config.js) turns their ESM into CommonJS. Every other package
// keeps Jest's usual CommonJS resolution.
const ESM_ONLY = /^(kubernetes-models|@kubernetes-models\/[^/]+|is-cidr|cidr-regex|is-plain-object)(\/|$)/;

module.exports = (request, options) => {
  const fromEsmOnly = options.basedir.split(/[\\/]node_modules[\\/]/).pop();
  if (ESM_ONLY.test(request) || ESM_ONLY.test(fromEsmOnly.replace(/\\/g, '/'))) {
    return options.defaultResolver(request, { ...options, conditions: ['import', 'node', 'default'] });
  }
  return options.defaultResolver(request, options);
};
