// Pass 3 for customGrad functions. Takes: `const g = customGrad(f, rule)` and
// what is asked of it (grad, valueAndGrad or a vjp). Guarantees: a function
// that runs `g` once and hands its arguments, its value and the output adjoint
// to the user's `g.rule`, picking the adjoints that were asked for.

import type { ts } from "./ts.js";
import type { Expr, Fn, FnRef, Stmt, Type } from "./ir.js";
import type { ReverseKind } from "./reverse.js";

export interface CustomRequest {
  readonly kind: ReverseKind;
  readonly wrt: readonly number[];
  readonly tuple: boolean;
  readonly name: string;
}

export function customAdjoint(g: FnRef, node: ts.Identifier, req: CustomRequest): Fn {
  const { params, origin } = g.ir();
  const taken = new Set([...params.map((p) => p.name), g.name, node.text]);
  const fresh = (base: string): string => {
    let name = base;
    for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
    taken.add(name);
    return name;
  };
  const out = fresh("out");
  const rules = fresh("adjoints");
  const seedName = req.kind === "vjp" ? fresh(`${g.name}_bar`) : undefined;
  const seed: Expr = seedName ? { kind: "var", name: seedName } : { kind: "num", value: 1 };
  const args: Expr[] = params.map((p) => ({ kind: "var", name: p.name }));
  const ruleType: Type = params.length === 1 ? params[0]!.type : { tuple: params.map((p) => p.type) };
  // The rule returns every parameter's adjoint: one value, or a tuple of them.
  const pick = (i: number): Expr =>
    params.length === 1 ? { kind: "var", name: rules } : { kind: "index", array: { kind: "var", name: rules }, index: { kind: "num", value: i } };
  const picked = req.wrt.map(pick);
  const types = req.wrt.map((i) => params[i]!.type);
  const single = !req.tuple && req.wrt.length === 1;
  const grads: Expr = single ? picked[0]! : { kind: "tuple", items: picked };
  const gradsType: Type = single ? types[0]! : { tuple: types };
  const body: Stmt[] = [
    { kind: "let", name: out, type: "number", init: { kind: "call", callee: { kind: "fn", fn: g, node }, args }, mutable: false },
    {
      kind: "let",
      name: rules,
      type: ruleType,
      init: { kind: "call", callee: { kind: "rule", fn: g, node }, args: [...args, { kind: "var", name: out }, seed] },
      mutable: false,
      note: `the adjoint ${g.name} was given by customGrad`,
    },
    { kind: "return", value: req.kind === "valueAndGrad" ? { kind: "tuple", items: [{ kind: "var", name: out }, grads] } : grads },
  ];
  return {
    name: req.name,
    params: seedName ? [...params, { name: seedName, type: "number" }] : params,
    returnType: req.kind === "valueAndGrad" ? { tuple: ["number", gradsType] } : gradsType,
    body,
    // The `customGrad(...)` declaration: source maps point there.
    origin,
  };
}
