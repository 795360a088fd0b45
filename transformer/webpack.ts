// `tsgrad/webpack`: the tsgrad transform as a webpack plugin (plugin.ts, for every bundler).
// From CommonJS: require("tsgrad/webpack").default; ES modules import the plugin as
// the default export (webpack.mts).

import { unplugin } from "./plugin.js";

export type { TsgradPluginOptions } from "./plugin.js";
export default unplugin.webpack;
