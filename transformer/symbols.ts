// The symbols of the names a function reads, found in time that does not grow
// with how deep a name sits. The checker finds a name's symbol by walking up
// from it through every enclosing node, and a chain `t1 + t2 + ... + tn` is as
// deep as it is long; so lowering a 10,000-term chain name by name would take
// time quadratic in its length. A name that the function declares nowhere, or
// only once as one of its parameters or at the top of its body, is the same
// symbol wherever the function reads it: it is looked up once. Other names
// (declared in a nested scope, or twice) are looked up where they are read.

import { ts } from "./ts.js";
import { forEachNode } from "./walk.js";
import { isCopiedName } from "./desugar/synth.js";

export class FunctionSymbols {
  /** Names some nested scope of the function declares, or that it declares twice. */
  private readonly ambiguous = new Set<string>(["arguments"]);
  private readonly known = new Map<string, ts.Symbol | undefined>();

  constructor(
    private readonly checker: ts.TypeChecker,
    fn: ts.SignatureDeclaration,
  ) {
    const once = new Set<string>();
    const body = "body" in fn && fn.body && ts.isBlock(fn.body) ? fn.body : undefined;
    forEachNode(fn, (node) => {
      const parent = node.parent;
      // Any node a name is the name of: declarations, but also properties (which only makes this careful).
      if (!ts.isIdentifier(node) || !parent || (parent as { name?: ts.Node }).name !== node) return;
      const functionWide =
        parent === fn ||
        (ts.isParameter(parent) && parent.parent === fn) ||
        (ts.isVariableDeclaration(parent) && ts.isVariableStatement(parent.parent.parent) && parent.parent.parent.parent === body) ||
        (ts.isFunctionDeclaration(parent) && parent.parent === body);
      if (!functionWide || once.has(node.text)) this.ambiguous.add(node.text);
      once.add(node.text);
    });
  }

  /**
   * A helper inlined into the function reads and declares names of its own
   * scope: each of its names is looked up where it is read.
   */
  addScope(helper: ts.Node): void {
    forEachNode(helper, (node) => {
      if (ts.isIdentifier(node)) this.ambiguous.add(node.text);
    });
  }

  /** What `checker.getSymbolAtLocation(id)` gives for `id`, a name the function reads as a value. */
  at(id: ts.Identifier): ts.Symbol | undefined {
    const parent = id.parent;
    // A name a desugaring pass made has no parent: the (desugared) checker answers for it.
    if (!parent) return this.checker.getSymbolAtLocation(id);
    const member = (ts.isPropertyAccessExpression(parent) && parent.name === id) || (ts.isQualifiedName(parent) && parent.right === id);
    // A name copied from an inlined method's body means what it meant there.
    if (member || this.ambiguous.has(id.text) || isCopiedName(id)) return this.checker.getSymbolAtLocation(id);
    if (!this.known.has(id.text)) this.known.set(id.text, this.checker.getSymbolAtLocation(id));
    return this.known.get(id.text);
  }
}
