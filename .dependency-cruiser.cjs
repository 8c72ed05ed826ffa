/** Dependency rules of the house (../shared/DESIGN.md): no cycles; src/law imports nothing of ours outside
 * src/law and no framework; imports point inward (law <- modules <- web/cli). */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles are not allowed.', from: {}, to: { circular: true } },
    {
      name: 'law-is-pure', severity: 'error',
      comment: 'src/law is the statute as pure code: it imports only src/law, node built-ins and the holiday data.',
      from: { path: '^src/law/' }, to: { pathNot: ['^src/law/', '^node:', 'node_modules/chinese-days/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'law-imports-only-itself-and-calendar-data', severity: 'error',
      comment: 'The law reads the calendar data package only through calendar.ts.',
      from: { path: '^src/law/', pathNot: '^src/law/calendar' }, to: { path: 'node_modules' },
    },
    {
      name: 'inward-only', severity: 'error',
      comment: 'modules, db, shared-state, render and reportcheck never import the edges: web, cli and the jobs list.',
      from: { path: '^src/(modules|db|render|reportcheck|law|shared-state)/' }, to: { path: '^src/(web|cli|jobs)/' },
    },
    {
      name: 'render-and-reportcheck-see-law-only', severity: 'error',
      comment: 'render and reportcheck work on the law model, not on modules or the store.',
      from: { path: '^src/(render|reportcheck)/' }, to: { path: '^src/(modules|db)/' },
    },
    {
      name: 'modules-meet-through-their-faces', severity: 'error',
      comment:
        'A module reaches another only through what that module publishes: its use cases (*.service.ts), the ' +
        'aggregates it owns for others to read (*.read-model.ts), the events others may listen to (*.hooks.ts), ' +
        'its components for pages (*.components.tsx), ' +
        'and the accounts module\'s access policy (accounts/access.ts). Repositories, tables, routes and pages ' +
        'stay private to their module.',
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/[^/]+/',
        pathNot: [
          '^src/modules/$1/',
          '^src/modules/[^/]+/[^/]+\\.(service|read-model|hooks)\\.ts$',
          '^src/modules/[^/]+/[^/]+\\.components\\.tsx$',
          '^src/modules/accounts/access\\.ts$',
        ],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js'] },
    exclude: { path: '\\.test\\.tsx?$' },
  },
};
