// Desugaring: declarations of several names. Takes: a function whose
// statements may declare several names in one statement (`const a = f(x), b =
// [...xs, a];`). Guarantees: every variable statement declares one name (a
// pattern counts as one), in the order written, with the same `const`/`let`;
// the later passes, which rewrite one declaration at a time (spread, object
// spread, views, destructuring), then see each on its own. JavaScript runs the
// declarators of one statement in order, so the split statements mean the same.
// The heads of `for` loops (`for (let i = 0, j = n - 1; ...)`) keep theirs.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { like, visitChildren } from "./synth.js";

export function splitDeclarations(fn: FunctionLike, _ctx: DesugarContext): FunctionLike {
  const f = ts.factory;
  const visit = (node: ts.Node): ts.VisitResult<ts.Node> => {
    const visited = visitChildren(node, visit);
    if (!ts.isVariableStatement(visited) || visited.declarationList.declarations.length < 2) return visited;
    const { declarationList: list } = visited;
    // Each statement stands for its own declarator, for diagnostics and source maps.
    return list.declarations.map((d) =>
      like(f.createVariableStatement(visited.modifiers, like(f.createVariableDeclarationList([d], list.flags), d)), d),
    );
  };
  return ts.visitEachChild(fn, visit, undefined);
}
