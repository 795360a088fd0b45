// `tsgrad/rspack`: the tsgrad transform as a Rspack plugin (plugin.ts, for every bundler).
// From CommonJS: require("tsgrad/rspack").default; ES modules import the plugin as
// the default export (rspack.mts).

import type { RspackPluginInstance } from "@rspack/core";
import type { TsgradPluginOptions } from "./plugin-options.js";
import { unplugin } from "./plugin.js";

export type { TsgradPluginOptions };
const tsgrad: (options?: TsgradPluginOptions) => RspackPluginInstance = unplugin.rspack;
export default tsgrad;
