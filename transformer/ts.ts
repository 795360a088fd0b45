// The one place the transformer gets TypeScript's compiler API from: every pass
// reads `ts` from here at call time, and each entry point says which compiler it
// is working for (useTypeScript). ts-patch hands the transformer the compiler it
// loaded, the project's 5.9 or 6.0, whose Program, node factory and flag numbers
// (TypeFlags differ between 5.9 and 6.0) the transformer must use; every route
// tsgrad drives itself (CLI, `tsgrad build`, the loader, the bundler plugins)
// uses the TypeScript 6.0 it depends on, at an exact version, so a project's own
// `typescript` (7, the Go port, has no compiler API) never matters there: npm
// nests our copy under tsgrad whenever the project has another. (Not an npm
// alias: an alias of typescript brings its `tsc` bin, which npm links into the
// project's node_modules/.bin in place of the project's own `tsc`.)

import pinned = require("typescript");

/** The compiler API in use: the pinned one unless an entry point chose another. */
export import ts = pinned;

/**
 * The TypeScript tsgrad depends on: what an entry point uses when its caller
 * names no compiler (not `ts`, which is whichever the last entry point chose).
 */
export const pinnedTypeScript: typeof pinned = pinned;

/** The compilers the transformer supports, as `ts.versionMajorMinor`. */
export const SUPPORTED_VERSIONS: readonly string[] = ["5.9", "6.0"];

/** Makes `ts`, for every pass, the compiler API `host` (the one whose Program is transformed). */
export function useTypeScript(host: typeof pinned): void {
  // Passes import `ts` as a named import, which CommonJS output reads as a
  // property of this module's exports on every use: replacing it switches them all.
  (module.exports as { ts: typeof pinned }).ts = host;
}
