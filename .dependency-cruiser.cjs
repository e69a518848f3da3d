// The layout's one rule, enforced by `npm run lint:deps` (part of `npm test`):
// a feature imports contract/ and lib/, never another feature; entry points import features
// through their index.ts only; contract/ imports nothing else of Junction; the SDK and dashboard import the contract only
// (types, and plain code such as contract/zone.ts), so zod never ships to browsers.
const ENTRY = "^workers/(api|consumer|objects)/|^workers/[^/]+\\.ts$";
const SHARED = "^workers/(lib|contract)/";
const FEATURE = "^workers/(?!api/|consumer/|objects/|lib/|contract/)([^/]+)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
    {
      name: "contract-stands-alone",
      comment: "contract/ is the lowest layer: zod schemas and constants only.",
      severity: "error",
      from: { path: "^workers/contract/" },
      to: { path: "^workers/", pathNot: "^workers/contract/" },
    },
    {
      name: "lib-below-features",
      comment: "lib/ holds what every feature shares; it may not reach up into a feature or an entry point.",
      severity: "error",
      from: { path: "^workers/lib/" },
      to: { path: "^workers/", pathNot: SHARED },
    },
    {
      name: "feature-isolation",
      comment: "A feature imports contract/ and lib/, never another feature's code nor an entry point.",
      severity: "error",
      from: { path: FEATURE },
      to: { path: "^workers/", pathNot: ["^workers/$1/", SHARED] },
    },
    {
      name: "entry-points-use-feature-index",
      comment: "Entry points compose features through each feature's index.ts.",
      severity: "error",
      from: { path: ENTRY },
      to: { path: FEATURE, pathNot: "^workers/[^/]+/index\\.ts$" },
    },
    {
      name: "browsers-import-the-contract-only",
      comment: "The SDK and the dashboard import the contract only: its types, and plain code such as contract/zone.ts (zod never ships to browsers).",
      severity: "error",
      from: { path: "^(sdk|dashboard)/" },
      to: { path: "^workers/", pathNot: "^workers/contract/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|bench/out)|\\.tsx$" },
    tsPreCompilationDeps: true,
    // TypeScript 7 has no JS compiler API, so swc parses; it reads .ts but not .tsx, and the
    // dashboard reaches the contract only through dashboard/src/lib (.ts files).
    parser: "swc",
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
