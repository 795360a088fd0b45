// `tsgrad/esbuild`: the tsgrad transform as a esbuild plugin (plugin.ts, for every bundler).
// From CommonJS: require("tsgrad/esbuild").default; ES modules import the plugin as
// the default export (esbuild.mts).

import { unplugin } from "./plugin.js";

export type { TsgradPluginOptions } from "./plugin.js";
export default unplugin.esbuild;
