// `tsgrad/rollup`: the tsgrad transform as a Rollup plugin (plugin.ts, for every bundler).
// From CommonJS: require("tsgrad/rollup").default; ES modules import the plugin as
// the default export (rollup.mts).

import { unplugin } from "./plugin.js";

export type { TsgradPluginOptions } from "./plugin.js";
export default unplugin.rollup;
