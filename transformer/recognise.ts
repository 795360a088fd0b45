// Recognition. Takes: a call expression and the type checker. Guarantees: the
// name of the tsgrad transform it calls, decided by where the resolved
// declaration lives (a file of the package named "tsgrad"), never by the
// identifier at the call site; so `import { grad as g }` works and a user's own
// `grad` is left alone.

import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

export const TRANSFORMS = ["grad", "valueAndGrad"] as const;
export type TransformName = (typeof TRANSFORMS)[number];

const packageNames = new Map<string, string | undefined>();

/** The `name` in the nearest package.json above `file`. */
function packageNameOf(file: string): string | undefined {
  const dir = path.dirname(file);
  if (packageNames.has(dir)) return packageNames.get(dir);
  let name: string | undefined;
  const manifest = path.join(dir, "package.json");
  if (fs.existsSync(manifest)) {
    try {
      name = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name;
    } catch {
      name = undefined;
    }
  } else if (path.dirname(dir) !== dir) {
    name = packageNameOf(dir);
  }
  packageNames.set(dir, name);
  return name;
}

export function isTsgradDeclaration(decl: ts.Node): boolean {
  return packageNameOf(decl.getSourceFile().fileName) === "tsgrad";
}

export function recogniseTransform(call: ts.CallExpression, checker: ts.TypeChecker): TransformName | undefined {
  // Cheap filter first: only identifiers and property accesses can name our exports.
  if (!ts.isIdentifier(call.expression) && !ts.isPropertyAccessExpression(call.expression)) return undefined;
  let symbol = checker.getSymbolAtLocation(call.expression);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const decl = symbol?.declarations?.[0];
  if (!decl || !ts.isFunctionDeclaration(decl) || !decl.name) return undefined;
  const name = decl.name.text as TransformName;
  if (!TRANSFORMS.includes(name) || !isTsgradDeclaration(decl)) return undefined;
  return name;
}
