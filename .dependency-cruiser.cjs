/**
 * Import boundaries between the top-level folders (README, "Layout"): dependencies flow one way,
 * guide ← functions ← observability ← infra ← local, policies ← tools (and cost); bench, chaos and test may
 * import anything. `npm run boundaries` (tools/check-boundaries.ts) runs these rules and also
 * fails on any cycle between folders.
 */
const SOURCE_FOLDERS = [
  'guide',
  'functions',
  'observability',
  'infra',
  'local',
  'policies',
  'tools',
  'cost',
  'harness',
  'bench',
  'chaos',
  'test',
];

/** What each folder may import besides itself and npm packages. bench, chaos and test: anything. */
const MAY_IMPORT = {
  guide: [],
  functions: ['guide'],
  observability: ['guide', 'functions'],
  infra: ['guide', 'functions', 'observability'],
  local: ['guide', 'functions', 'observability', 'infra'],
  policies: ['guide', 'functions', 'observability', 'infra'],
  /** `harness`: the dashboard pictures run the local runtime and a browser as a user would (tools/dashboard-pictures.ts). */
  tools: ['guide', 'functions', 'observability', 'infra', 'local', 'policies', 'harness'],
  cost: ['guide', 'functions', 'observability', 'infra', 'local', 'bench', 'harness'],
  /** Drives the local runtime from outside (a runtime in a child process, a test database, raw HTTP, a browser): for tests, chaos, bench, generators. */
  harness: ['guide', 'functions', 'local'],
};

const anyOf = (folders) => `^(${folders.join('|')})/`;

module.exports = {
  forbidden: [
    ...Object.entries(MAY_IMPORT).map(([from, allowed]) => ({
      name: `${from}-imports-only-${allowed.length ? allowed.join('-') : 'itself'}`,
      comment: `${from}/ may import ${allowed.length ? allowed.map((f) => `${f}/`).join(', ') : 'nothing outside itself'}: move the shared code down to where both can import it, or the importing code up.`,
      severity: 'error',
      from: { path: `^${from}/` },
      to: { path: anyOf(SOURCE_FOLDERS), pathNot: anyOf([from, ...allowed]) },
    })),
    {
      name: 'guide-imports-nothing',
      comment: 'guide/ is data: it imports no package and no Node module, so every other folder can import it.',
      severity: 'error',
      from: { path: '^guide/' },
      to: { pathNot: '^guide/' },
    },
    {
      name: 'no-pulumi-below-infra',
      comment:
        'guide/, functions/ and observability/ create no Pulumi resources and run without the Pulumi SDK (the functions run in Lambda).',
      severity: 'error',
      from: { path: anyOf(['guide', 'functions', 'observability']) },
      to: { path: '(^|/)node_modules/@pulumi/|^@pulumi/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(\\.build|\\.local|dist)/' },
    // Type-only imports count: a type from infra in functions is still a dependency on infra.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mts', '.mjs', '.cjs', '.js', '.json', '.d.ts', '.d.mts'] },
  },
};
