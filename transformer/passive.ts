// Passive expressions: code over data that nothing differentiated flows into
// (records with string fields, string unions, the index a search over them
// finds), run as the user wrote it, as JAX leaves untraced values alone and
// Tangent copies inactive statements to the forward sweep. Takes: the marker
// desugar/passive.ts puts where such an expression stood. Guarantees: lowering
// can ask what a marker stands for (`passiveOf`) and emission prints it back as
// written, each name it reads replaced by the value lowering gave that name.

import { ts } from "./ts.js";

/** What a marker stands for: the user's expression and, per name it reads from outside, the argument of the marker holding it. */
export interface Passive {
  readonly node: ts.Expression;
  readonly holes: ReadonlyMap<ts.Identifier, number>;
  /**
   * Its value holds numbers (`log.filter((row) => row.clicked)`, not
   * `products.map((p) => p.category)`): read from a parameter that is then
   * differentiated, they would carry a derivative this code drops, so
   * differentiation refuses it (refusePassiveReads).
   */
  readonly numeric?: boolean;
  /** A change of a passive collection run as a statement (`seen.add(id)`): the argument holding the collection it changes. */
  readonly mutates?: number;
  /**
   * It reads a collection that some statement changes (`counts.get(k)`): its
   * value depends on when it runs, so lowering keeps it in a local where it
   * stands rather than let the backward sweep evaluate it again.
   */
  readonly changing?: boolean;
  /**
   * The holes whose names the user typed `number[]`: tsgrad may keep such an
   * array as a Float64Array, which the code as written then reads (emit.ts says
   * so to TypeScript where it may).
   */
  readonly arrays?: ReadonlySet<number>;
}

export interface MarkerOptions {
  readonly numeric?: boolean;
  readonly mutates?: number | undefined;
  readonly changing?: boolean;
  readonly arrays?: ReadonlySet<number>;
}

const markers = new WeakMap<ts.Node, Passive>();

/**
 * `passive(a, b)`: a call with one argument per name `node` reads from the
 * function (its holes), standing for `node`. Passes after desugar/passive.ts
 * see an ordinary call whose arguments they may rename; they never see inside.
 */
export function passiveMarker(node: ts.Expression, holes: ReadonlyMap<ts.Identifier, number>, args: readonly ts.Expression[], { numeric, mutates, changing, arrays }: MarkerOptions = {}): ts.CallExpression {
  const call = ts.factory.createCallExpression(ts.factory.createIdentifier("passive"), undefined, args);
  markers.set(call, { node, holes, ...(numeric ? { numeric } : {}), ...(mutates !== undefined ? { mutates } : {}), ...(changing ? { changing } : {}), ...(arrays?.size ? { arrays } : {}) });
  return call;
}

/** What `node` stands for, if it is a marker (or a pass's update of one). */
export function passiveOf(node: ts.Node): Passive | undefined {
  for (let n: ts.Node | undefined = node; n; n = (n as { readonly original?: ts.Node }).original) {
    const found = markers.get(n);
    if (found) return found;
  }
  return undefined;
}

/** `node` as written, each hole replaced by its argument (parenthesised unless it reads as one operand). */
export function printedAsWritten(node: ts.Expression, holes: ReadonlyMap<ts.Identifier, number>, args: readonly ts.Expression[]): ts.Expression {
  const f = ts.factory;
  const operand = (e: ts.Expression): ts.Expression =>
    ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e) || ts.isLiteralExpression(e) ? e : f.createParenthesizedExpression(e);
  const visit = (n: ts.Node): ts.Node => {
    if (ts.isIdentifier(n)) {
      const at = holes.get(n);
      return at === undefined ? n : operand(args[at]!);
    }
    if (ts.isShorthandPropertyAssignment(n) && holes.has(n.name)) return f.createPropertyAssignment(n.name.text, operand(args[holes.get(n.name)!]!));
    return ts.visitEachChild(n, visit, undefined);
  };
  return visit(node) as ts.Expression;
}

/**
 * For a collection (`new Set()`, a `string[]` literal) the passive pass could
 * not keep passive: the first use that keeps it from being passive, and why;
 * lowering refuses the collection there (`seen.add(w[i])`), once.
 */
export interface ActiveUse {
  readonly node: ts.Node;
  /**
   * Why: `active`, it reads a value tsgrad may differentiate; `escapes`, the
   * collection is handed on whole; `nested`, it is changed inside a callback or
   * a larger expression; `follows`, it reads another collection refused for one
   * of these reasons (reported there).
   */
  readonly why: "active" | "escapes" | "nested" | "follows";
}

const activeUses = new WeakMap<ts.Node, ActiveUse>();

export function noteActiveUse(made: ts.Node, use: ActiveUse): void {
  activeUses.set(made, use);
}

export function activeUseOf(made: ts.Node): ActiveUse | undefined {
  return activeUses.get(ts.getOriginalNode(made));
}
