// Fit the constants of a small symbolic model, y = a * exp(-b * t) + c * t,
// kept as an expression tree (as a symbolic-regression tool would produce
// it), to a handful of measurements. The tree is evaluated recursively by a
// helper local to the loss.
import { grad } from "tsgrad";

type Expr =
  | { op: "const"; index: number }
  | { op: "time" }
  | { op: "add" | "mul"; left: Expr; right: Expr }
  | { op: "exp" | "neg"; arg: Expr };

const MODEL: Expr = {
  op: "add",
  left: { op: "mul", left: { op: "const", index: 0 }, right: { op: "exp", arg: { op: "neg", arg: { op: "mul", left: { op: "const", index: 1 }, right: { op: "time" } } } } },
  right: { op: "mul", left: { op: "const", index: 2 }, right: { op: "time" } },
};

const MEASUREMENTS: readonly (readonly [number, number])[] = [
  [0, 2.1],
  [0.5, 1.6],
  [1, 1.35],
  [2, 1.2],
  [3, 1.45],
];

export function fitLoss(constants: number[], weightDecay = 0.01): number {
  function evaluate(node: Expr, t: number, c: number[]): number {
    switch (node.op) {
      case "const":
        return c[node.index];
      case "time":
        return t;
      case "add":
        return evaluate(node.left, t, c) + evaluate(node.right, t, c);
      case "mul":
        return evaluate(node.left, t, c) * evaluate(node.right, t, c);
      case "exp":
        return Math.exp(evaluate(node.arg, t, c));
      case "neg":
        return -evaluate(node.arg, t, c);
    }
  }

  let loss = 0;
  for (const [t, y] of MEASUREMENTS) {
    const r = evaluate(MODEL, t, constants) - y;
    loss += r * r;
  }
  const penalty = constants.reduce((sum, c) => sum + c * c, 0);
  return loss / MEASUREMENTS.length + weightDecay * penalty;
}

export const dFit = grad(fitLoss);

export const cases = [
  { f: fitLoss, df: dFit, args: [[1.5, 0.8, 0.3]] },
  { f: fitLoss, df: dFit, args: [[2, 1.2, 0.1], 0] },
];
