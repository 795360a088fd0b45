// `tsgrad/vite`: the tsgrad transform as a Vite plugin (plugin.ts, for every bundler).
// From CommonJS: require("tsgrad/vite").default; ES modules import the plugin as
// the default export (vite.mts).

import { unplugin } from "./plugin.js";

export type { TsgradPluginOptions } from "./plugin.js";
export default unplugin.vite;

/** The options' former name, from when the plugin was Vite's alone. */
export type { TsgradPluginOptions as TsgradViteOptions } from "./plugin.js";
