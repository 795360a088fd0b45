// `tsgrad/register`: `node --import tsgrad/register app.ts` runs a TypeScript
// entry point, and every TypeScript module it imports, with the tsgrad transform.
// Node 20 and later: the hooks (hooks.ts) run on Node's loader thread.

import { register } from "node:module";
import { pathToFileURL } from "node:url";

register("./hooks.js", pathToFileURL(__filename));
