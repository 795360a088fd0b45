// Desugaring: for...of over an array of class instances. Takes: a function
// whose loops may walk an array of instances of a class of the program
// (`for (const joint of joints)`, the array built by map or Array.from), or a
// local array of records that classes.ts keeps as columns (`for (const b of
// world)` of `{ position: Vec2; mass: number }` records made in the function).
// Guarantees: each such loop is an index loop whose body starts by declaring
// its variable from the element (`const joint = joints[i]`), the user's own
// identifier, which classes.ts keeps as one local per field like any instance
// given its value where it is declared (an element of an array it keeps as
// columns), or reads in place (an element of a parameter or constant array).
// A loop whose records (`for (const b of branches)`, with a string field) go
// into instances it makes (`new Duct(d, b)`) is an index loop too, so the
// element each instance holds has an index (element-references.ts).

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { indexLoop } from "./destructuring.js";
import { Build, visitChildren } from "./synth.js";
import { recordLeaves } from "./record-columns.js";
import { isReferenceType } from "./element-references.js";
import { someNode } from "../walk.js";

export function indexInstanceLoops(fn: FunctionLike, { checker }: DesugarContext): FunctionLike {
  const build = new Build(checker);
  const visit = (node: ts.Node): ts.Node | ts.Node[] => {
    if (ts.isForOfStatement(node) && !node.awaitModifier && (walksInstances(node, checker) || walksLocalRecords(node, fn, checker) || givesRecordsToInstances(node, checker))) return indexLoop(node, build, visit);
    return visitChildren(node, visit);
  };
  return ts.visitEachChild(fn, visit, undefined);
}

/** Whether the loop binds one name, `const` or `let`, to instances of a class declared in the program. */
function walksInstances(loop: ts.ForOfStatement, checker: ts.TypeChecker): boolean {
  const head = loop.initializer;
  if (!ts.isVariableDeclarationList(head) || head.declarations.length !== 1) return false;
  if (!(head.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let))) return false;
  const name = head.declarations[0]!.name;
  if (!ts.isIdentifier(name)) return false;
  const t = checker.getTypeAtLocation(name);
  if (!(t.flags & ts.TypeFlags.Object) || t.getConstructSignatures().length > 0) return false;
  const decl = t.getSymbol()?.declarations?.find(ts.isClassLike);
  return !!decl && !decl.getSourceFile().isDeclarationFile;
}

/** Whether the loop binds one name to the records of an array declared in the function (kept as columns, record-columns.ts). */
function walksLocalRecords(loop: ts.ForOfStatement, fn: FunctionLike, checker: ts.TypeChecker): boolean {
  const head = loop.initializer;
  if (!ts.isVariableDeclarationList(head) || head.declarations.length !== 1 || !ts.isIdentifier(head.declarations[0]!.name)) return false;
  if (!(head.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let)) || !ts.isIdentifier(loop.expression)) return false;
  const decl = checker.getSymbolAtLocation(loop.expression)?.valueDeclaration;
  const original = ts.getOriginalNode(fn);
  let inside = false;
  for (let n: ts.Node | undefined = decl; n && !inside; n = n.parent) inside = n === original;
  if (!decl || !ts.isVariableDeclaration(decl) || !inside) return false;
  const element = checker.getIndexTypeOfType(checker.getTypeAtLocation(loop.expression), ts.IndexKind.Number);
  return !!element && !!recordLeaves(checker, element, true);
}

/** Whether the loop binds one const name to records an instance field may hold by index, and gives it to a constructor (`new Duct(d, b)`). */
function givesRecordsToInstances(loop: ts.ForOfStatement, checker: ts.TypeChecker): boolean {
  const head = loop.initializer;
  if (!ts.isVariableDeclarationList(head) || head.declarations.length !== 1 || !(head.flags & ts.NodeFlags.Const)) return false;
  const name = head.declarations[0]!.name;
  if (!ts.isIdentifier(name) || !isReferenceType(checker, checker.getTypeAtLocation(name))) return false;
  const symbol = checker.getSymbolAtLocation(name);
  return someNode(loop.statement, (n) => ts.isNewExpression(n) && !!n.arguments?.some((a) => ts.isIdentifier(a) && checker.getSymbolAtLocation(a) === symbol));
}
