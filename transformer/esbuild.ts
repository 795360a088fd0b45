// `tsgrad/esbuild`: the tsgrad transform as a esbuild plugin (plugin.ts, for every bundler).
// From CommonJS: require("tsgrad/esbuild").default; ES modules import the plugin as
// the default export (esbuild.mts).

import type { Plugin } from "esbuild";
import type { TsgradPluginOptions } from "./plugin-options.js";
import { unplugin } from "./plugin.js";

export type { TsgradPluginOptions };
const tsgrad: (options?: TsgradPluginOptions) => Plugin = unplugin.esbuild;
export default tsgrad;
