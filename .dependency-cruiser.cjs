/** Boundaries of ../shared/ARCHITECTURE.md, enforced in CI (`npm run lint:deps`). */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports nothing outside itself: no SDK, no clock, no I/O.',
      severity: 'error',
      from: { path: '^src/domain/', pathNot: '/__tests__/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'only-storage-imports-kvs',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/storage/' },
      to: { path: 'node_modules/@forge/kvs' },
    },
    {
      name: 'only-jira-imports-forge-api',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/jira/' },
      to: { path: 'node_modules/@forge/api' },
    },
    {
      name: 'only-entry-points-import-resolver',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(resolvers|workflow|triggers|scheduled)/|^src/index\\.ts$' },
      to: { path: 'node_modules/@forge/resolver' },
    },
    {
      name: 'contracts-are-shared-only',
      comment: 'contracts are imported by src and static alike: zod and domain types only.',
      severity: 'error',
      from: { path: '^src/contracts/', pathNot: '/__tests__/' },
      to: { pathNot: '^src/(contracts|domain)/|node_modules/zod' },
    },
    {
      name: 'app-never-imports-sandbox',
      comment: 'Nothing in src/ or static/ knows whether it runs locally or on Forge.',
      severity: 'error',
      from: { path: '^(src|static)/' },
      to: { path: '^sandbox/' },
    },
    {
      name: 'static-imports-contracts-and-bridge-only',
      severity: 'error',
      from: { path: '^static/' },
      to: { path: '^src/', pathNot: '^src/(contracts|domain)/' },
    },
    {
      name: 'static-no-backend-sdks',
      severity: 'error',
      from: { path: '^static/' },
      to: { path: 'node_modules/@forge/(api|kvs|resolver|events)' },
    },
    {
      name: 'static-never-reaches-zod',
      comment: "zod v4 probes `new Function` when a schema is first built: Forge's CSP reports it on every load. The UI imports zod-free contracts (keys, limits, dsl-csv) and domain code only.",
      severity: 'error',
      from: { path: '^static/src/' },
      to: { path: 'node_modules/zod', reachable: true },
    },
    {
      name: 'static-modules-independent',
      comment: 'static/src/modules/<module> do not import each other.',
      severity: 'error',
      from: { path: '^static/src/modules/([^/]+)/' },
      to: { path: '^static/src/modules/', pathNot: '^static/src/modules/$1/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: 'static/build' },
  },
};
