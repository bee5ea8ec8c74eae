/**
 * Which way imports may point (docs/architecture.md): no cycles anywhere; adapters
 * (REST routes, GraphQL resolvers, portal pages) call services and never a repository or
 * another adapter. `npm run deps` runs it, and `npm test` runs that before the type check.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment:
        'An import cycle: dependencies point one way (adapters -> services -> rules and repositories -> platform).',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
