// Node module hooks (module.register) for `tsgrad/register`. Takes: the URLs
// Node resolves and loads. Guarantees: a TypeScript file of the program is
// loaded as the ES module tsc emits for it with the tsgrad transform (compile.ts);
// relative imports written the TypeScript way (`./model`, `./model.js` for
// model.ts) resolve to the .ts file; everything else is Node's own business.

import * as fs from "node:fs";
import { fileURLToPath } from "node:url";
import { compiledModule, isTypeScript } from "./compile.js";

interface ResolveContext {
  readonly parentURL?: string;
}
interface Resolved {
  readonly url: string;
  readonly format?: string | null;
  readonly shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<Resolved>;

interface Loaded {
  readonly format: string;
  readonly source?: string | ArrayBuffer | Uint8Array | null;
  readonly shortCircuit?: boolean;
}
type NextLoad = (url: string, context?: object) => Promise<Loaded>;

/** What a relative specifier may stand for in TypeScript, tried in order when Node finds nothing. */
function candidates(specifier: string): string[] {
  const js = /\.(m?)js$/.exec(specifier);
  if (js) return [specifier.slice(0, -js[0].length) + (js[1] ? ".mts" : ".ts"), specifier.slice(0, -js[0].length) + ".tsx"];
  if (/\.[cm]?tsx?$/.test(specifier)) return [];
  return [`${specifier}.ts`, `${specifier}.tsx`, `${specifier}.mts`, `${specifier}/index.ts`];
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<Resolved> {
  try {
    return await next(specifier, context);
  } catch (e) {
    const relative = specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("/");
    if (!relative || !context.parentURL?.startsWith("file:")) throw e;
    for (const candidate of candidates(specifier)) {
      const url = new URL(candidate, context.parentURL);
      if (fs.existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
    }
    throw e;
  }
}

export async function load(url: string, context: object, next: NextLoad): Promise<Loaded> {
  if (!url.startsWith("file:")) return next(url, context);
  const file = fileURLToPath(url);
  if (!isTypeScript(file)) return next(url, context);
  return { format: "module", source: compiledModule(file), shortCircuit: true };
}

