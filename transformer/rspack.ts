// `tsgrad/rspack`: the tsgrad transform as a Rspack plugin (plugin.ts, for every bundler).
// From CommonJS: require("tsgrad/rspack").default; ES modules import the plugin as
// the default export (rspack.mts).

import { unplugin } from "./plugin.js";

export type { TsgradPluginOptions } from "./plugin.js";
export default unplugin.rspack;
