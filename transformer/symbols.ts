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

  /**
   * `fn` is the function lowering reads (desugared); `source` is the function
   * as the user wrote it. A pass that changes anything inside `fn` rebuilds the
   * nodes above the change, up to `fn` itself, but keeps the user's names, whose
   * parents are still the user's nodes: where a name is declared is judged
   * against `source` (judged against the rebuilt `fn`, every name would look
   * nested, and every read would be looked up from where it stands).
   */
  /** Whether a name stands in the user's function (not in a body a pass copied in from elsewhere). */
  private readonly within: Within;

  constructor(
    private readonly checker: ts.TypeChecker,
    fn: ts.SignatureDeclaration,
    source: ts.SignatureDeclaration = fn,
  ) {
    this.within = new Within(source);
    const once = new Set<string>();
    const body = "body" in source && source.body && ts.isBlock(source.body) ? source.body : undefined;
    forEachNode(fn, (node) => {
      const parent = node.parent;
      // Any node a name is the name of: declarations, but also properties (which only makes this careful).
      if (!ts.isIdentifier(node) || !parent || (parent as { name?: ts.Node }).name !== node) return;
      const functionWide =
        parent === source ||
        (ts.isParameter(parent) && parent.parent === source) ||
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
    if (member || this.ambiguous.has(id.text) || isCopiedName(id) || !this.within.has(parent)) return this.checker.getSymbolAtLocation(id);
    if (!this.known.has(id.text)) this.known.set(id.text, this.checker.getSymbolAtLocation(id));
    return this.known.get(id.text);
  }
}

/**
 * What a name the function does not declare means, asked once per function.
 * The checker answers `getSymbolAtLocation` for an expression by walking up
 * from it to the file (and again to resolve its first name), so asking at
 * every call of `Math.sin` in a 10,000-term chain takes time quadratic in the
 * chain. A dotted path (`Math.sin`, `CONFIG.solver.rate`, `helper`) whose first
 * name the function declares nowhere means the same wherever the function reads
 * it: its answers are kept by its text. Nodes outside the user's function (a
 * copied method body, an inlined helper) and names in a type or a label are
 * asked where they stand.
 */
export class FreeNames {
  /** Every name the function declares, anywhere in it (parameters, locals, nested functions, properties). */
  private readonly declared = new Set<string>();

  private readonly within: Within;

  constructor(source: ts.Node) {
    this.within = new Within(source);
    forEachNode(source, (node) => {
      const parent = node.parent;
      if (ts.isIdentifier(node) && parent && (parent as { name?: ts.Node }).name === node) this.declared.add(node.text);
    });
  }

  /** `checker`, with the symbols of free dotted paths (and of their last names) kept by text. */
  checker(checker: ts.TypeChecker): ts.TypeChecker {
    const known = new Map<string, ts.Symbol | undefined>();
    return {
      ...checker,
      getSymbolAtLocation: (node) => {
        // The member name of `a.b` is asked as `a.b#`: the property, where `a.b` itself may be an alias's target.
        const member = ts.isIdentifier(node) && node.parent && ts.isPropertyAccessExpression(node.parent) && node.parent.name === node;
        const path = this.key(member ? node.parent : node);
        if (path === undefined) return checker.getSymbolAtLocation(node);
        const key = member ? `${path}#` : path;
        if (!known.has(key)) known.set(key, checker.getSymbolAtLocation(node));
        return known.get(key);
      },
    };
  }

  /** `resolve`, answering once per free dotted path. */
  resolver<T>(resolve: (callee: ts.Expression) => T): (callee: ts.Expression) => T {
    const known = new Map<string, T>();
    return (callee) => {
      const key = this.key(callee);
      if (key === undefined) return resolve(callee);
      if (!known.has(key)) known.set(key, resolve(callee));
      return known.get(key)!;
    };
  }

  /** The text of `node` when it is a free dotted path of the user's function read as a value; else undefined. */
  private key(node: ts.Node): string | undefined {
    let path = "";
    let root = node;
    while (ts.isPropertyAccessExpression(root) && ts.isIdentifier(root.name) && !root.questionDotToken) {
      path = `.${root.name.text}${path}`;
      root = root.expression;
    }
    if (!ts.isIdentifier(root) || this.declared.has(root.text) || isCopiedName(root)) return undefined;
    const parent = node.parent;
    if (!parent || !readAsValue(node, parent)) return undefined;
    return this.within.has(parent) ? root.text + path : undefined;
  }
}

/** Whether nodes are inside one node (its parents' chain reaches it); each node is walked up from once. */
class Within {
  private readonly inside = new Set<ts.Node>();

  constructor(root: ts.Node) {
    this.inside.add(root);
  }

  has(node: ts.Node): boolean {
    const walked: ts.Node[] = [];
    for (let n: ts.Node | undefined = node; !this.inside.has(n!); n = n.parent) {
      if (!n) return false;
      walked.push(n);
    }
    for (const n of walked) this.inside.add(n);
    return true;
  }
}

/** Whether a path whose parent is `parent` is read as a value (not a type, a heritage clause, a label or a member name). */
function readAsValue(node: ts.Node, parent: ts.Node): boolean {
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  return !(
    ts.isTypeReferenceNode(parent) || ts.isExpressionWithTypeArguments(parent) || ts.isTypeQueryNode(parent) || ts.isQualifiedName(parent) ||
    ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent) || ts.isJsxOpeningLikeElement(parent) || ts.isJsxClosingElement(parent)
  );
}
