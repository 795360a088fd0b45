// `tsgrad/webpack`: the tsgrad transform as a webpack plugin (plugin.ts, for every bundler).
// From CommonJS: require("tsgrad/webpack").default; ES modules import the plugin as
// the default export (webpack.mts).

import type { WebpackPluginInstance } from "webpack";
import type { TsgradPluginOptions } from "./plugin-options.js";
import { unplugin } from "./plugin.js";

export type { TsgradPluginOptions };
const tsgrad: (options?: TsgradPluginOptions) => WebpackPluginInstance = unplugin.webpack;
export default tsgrad;
