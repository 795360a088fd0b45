// `tsgrad/vite`: the tsgrad transform as a Vite plugin (plugin.ts, for every bundler).
// From CommonJS: require("tsgrad/vite").default; ES modules import the plugin as
// the default export (vite.mts).

import type { Plugin } from "vite";
import type { TsgradPluginOptions } from "./plugin-options.js";
import { unplugin } from "./plugin.js";

export type { TsgradPluginOptions };
const tsgrad: (options?: TsgradPluginOptions) => Plugin = unplugin.vite;
export default tsgrad;

/** The options' former name, from when the plugin was Vite's alone. */
export type { TsgradPluginOptions as TsgradViteOptions };
