// `tsgrad/rollup`: the tsgrad transform as a Rollup plugin (plugin.ts, for every bundler).
// From CommonJS: require("tsgrad/rollup").default; ES modules import the plugin as
// the default export (rollup.mts).

import type { Plugin } from "rollup";
import type { TsgradPluginOptions } from "./plugin-options.js";
import { unplugin } from "./plugin.js";

export type { TsgradPluginOptions };
const tsgrad: (options?: TsgradPluginOptions) => Plugin = unplugin.rollup;
export default tsgrad;
