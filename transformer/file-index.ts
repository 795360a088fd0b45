// Per-file indexes of syntax that whole-program questions search for, made
// once per SourceFile (a parsed file never changes) instead of walking every
// file again at each question. Asked for each parameter, captured variable or
// member read, the walks cost in proportion to the program's size every time:
// on 120 fuzz programs in one ts.Program they were a tenth of the transformer's
// time. Only syntax is indexed; what a name means is still asked of the
// checker, on the few nodes the index names.

import { ts } from "./ts.js";
import { forEachNode } from "./walk.js";

/** The identifier an assignment target is rooted at (`xs` of `xs[i].w = ...`). */
export function rootIdentifier(e: ts.Expression): ts.Identifier | undefined {
  while (ts.isElementAccessExpression(e) || ts.isPropertyAccessExpression(e) || ts.isParenthesizedExpression(e)) {
    e = e.expression;
  }
  return ts.isIdentifier(e) ? e : undefined;
}

const assignedRoots = new WeakMap<ts.SourceFile, Map<string, ts.Identifier[]>>();

/**
 * The root identifiers of everything `file` assigns to (`=`, `+=` and the other
 * compound assignments, each element of an array pattern `[a, b] = ...`, `++`
 * and `--`), by their text.
 */
export function assignedRootsOf(file: ts.SourceFile): ReadonlyMap<string, readonly ts.Identifier[]> {
  let roots = assignedRoots.get(file);
  if (roots) return roots;
  const found = new Map<string, ts.Identifier[]>();
  const add = (root: ts.Identifier | undefined): void => {
    if (!root) return;
    const list = found.get(root.text);
    if (list) list.push(root);
    else found.set(root.text, [root]);
  };
  forEachNode(file, (n) => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      // `[xs[i], xs[j]] = ...` assigns through each element of the pattern.
      const lefts = ts.isArrayLiteralExpression(n.left) ? n.left.elements : [n.left];
      for (const left of lefts) add(rootIdentifier(ts.isSpreadElement(left) ? left.expression : left));
    }
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
        (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
      add(rootIdentifier(n.operand));
    }
  });
  assignedRoots.set(file, found);
  return found;
}

const classes = new WeakMap<ts.SourceFile, ts.ClassLikeDeclaration[]>();

/** Every named class (declaration or expression) in `file`, nested ones included, in source order. */
export function namedClassesOf(file: ts.SourceFile): readonly ts.ClassLikeDeclaration[] {
  let list = classes.get(file);
  if (list) return list;
  list = [];
  const out = list;
  forEachNode(file, (n) => {
    if (ts.isClassLike(n) && n.name) out.push(n);
  });
  classes.set(file, list);
  return list;
}
