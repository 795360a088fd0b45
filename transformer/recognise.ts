// Recognition. Takes: a call expression and the type checker. Guarantees: the
// name of the tsgrad transform it calls, decided by where the resolved
// declaration lives (a file of the package named "tsgrad"), never by the
// identifier at the call site; so `import { grad as g }` works and a user's own
// `grad` is left alone.

import * as fs from "node:fs";
import * as path from "node:path";
import { ts } from "./ts.js";

export const TRANSFORMS = ["grad", "valueAndGrad", "jvp", "hessian", "customGrad", "vjp", "jacobian", "jacfwd", "checkpoint"] as const;
export type TransformName = (typeof TRANSFORMS)[number];

interface PackageRoot {
  readonly dir: string;
  readonly name: string | undefined;
}

const packageRoots = new Map<string, PackageRoot | undefined>();

/** The nearest directory above `dir` with a package.json, and that package's name. */
function packageRootOf(dir: string): PackageRoot | undefined {
  if (packageRoots.has(dir)) return packageRoots.get(dir);
  let root: PackageRoot | undefined;
  const manifest = path.join(dir, "package.json");
  if (fs.existsSync(manifest)) {
    let name: string | undefined;
    try {
      name = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name;
    } catch {
      name = undefined;
    }
    root = { dir, name };
  } else if (path.dirname(dir) !== dir) {
    root = packageRootOf(path.dirname(dir));
  }
  packageRoots.set(dir, root);
  return root;
}

/** Whether `decl` is part of tsgrad's runtime (its sources or the published build). */
export function isTsgradDeclaration(decl: ts.Node): boolean {
  const file = decl.getSourceFile().fileName;
  const root = packageRootOf(path.dirname(file));
  if (root?.name !== "tsgrad") return false;
  const inside = path.relative(root.dir, file).replace(/\\/g, "/");
  return inside.startsWith("runtime/") || inside.startsWith("dist/runtime/");
}

/**
 * The runtime function a call resolves to (by its resolved signature, so
 * re-exports and aliases are followed): its name, when it is one of tsgrad's.
 */
export function tsgradFunction(call: ts.CallExpression, checker: ts.TypeChecker): string | undefined {
  // Cheap filter first: only identifiers and property accesses (maybe parenthesised) can name our exports.
  let callee: ts.Expression = call.expression;
  while (ts.isParenthesizedExpression(callee)) callee = callee.expression;
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  const decl = checker.getResolvedSignature(call)?.declaration;
  if (!decl || !ts.isFunctionDeclaration(decl) || !decl.name || !isTsgradDeclaration(decl)) return undefined;
  return decl.name.text;
}

export function recogniseTransform(call: ts.CallExpression, checker: ts.TypeChecker): TransformName | undefined {
  const name = tsgradFunction(call, checker) as TransformName | undefined;
  return name && TRANSFORMS.includes(name) ? name : undefined;
}
