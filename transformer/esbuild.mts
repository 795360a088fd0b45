// `tsgrad/esbuild` for ES modules (a `"type": "module"` project's config or build script).
// The package is CommonJS, and Node hands an ES module that imports a CommonJS
// module its whole `module.exports` as the default export; this wrapper makes
// `import tsgrad from "tsgrad/esbuild"` the plugin function itself, at run time
// and in the types, whatever the importing project's module resolution.

import plugin from "./esbuild.js";

export type { TsgradPluginOptions } from "./esbuild.js";
export default plugin.default;
