// Derivative rules for Math.*, one line each. A rule gives the partial
// derivative of the result with respect to each argument, as IR built from the
// arguments `x`, `y` and the result `r` (so exp can reuse its own value).
// Conventions at kinks follow PyTorch: d|x|/dx = 0 at 0, sqrt'(0) = Infinity,
// max/min split the gradient evenly on ties, sign/floor/... have derivative 0.

import { add, bin, cond, div, type Expr, math, mul, neg, num, pow, sub } from "../ir.js";

export interface MathRule {
  readonly arity: 1 | 2 | "n";
  /** Partial derivatives, one per argument; `undefined` means identically zero. */
  readonly partials: (args: readonly Expr[], result: Expr) => readonly (Expr | undefined)[];
}

const unary = (d: (x: Expr, r: Expr) => Expr): MathRule => ({
  arity: 1,
  partials: ([x], r) => [d(x!, r)],
});
const binary = (dx: (x: Expr, y: Expr, r: Expr) => Expr, dy: (x: Expr, y: Expr, r: Expr) => Expr): MathRule => ({
  arity: 2,
  partials: ([x, y], r) => [dx(x!, y!, r), dy(x!, y!, r)],
});
/** Piecewise constant: derivative 0 wherever it exists. */
const flat: MathRule = { arity: 1, partials: () => [undefined] };
const flat2: MathRule = { arity: 2, partials: () => [undefined, undefined] };

const sq = (x: Expr): Expr => mul(x, x);
const LN10 = { kind: "free", name: "Math.LN10" } as const;
const LN2 = { kind: "free", name: "Math.LN2" } as const;

/**
 * Share of an evenly split gradient that goes to `args[i]` of max/min: 1/k when
 * `args[i]` is one of k arguments equal to the result, else 0.
 */
function tieShare(args: readonly Expr[], r: Expr, i: number): Expr {
  const hit = (a: Expr): Expr => cond(bin("===", a, r), num(1), num(0));
  const count = args.map(hit).reduce((a, b) => add(a, b));
  return cond(bin("===", args[i]!, r), div(num(1), count), num(0));
}

/** Math.max (">") or Math.min ("<"): with two arguments a comparison decides, 0.5 each on a tie. */
const extremum = (wins: "<" | ">"): MathRule => ({
  arity: "n",
  partials: (args, r) => {
    if (args.length === 1) return [num(1)];
    if (args.length === 2) {
      const [a, b] = args as [Expr, Expr];
      const share = (x: Expr, y: Expr): Expr => cond(bin(wins, x, y), num(1), cond(bin("===", x, y), num(0.5), num(0)));
      return [share(a, b), share(b, a)];
    }
    return args.map((_, i) => tieShare(args, r, i));
  },
});

/** `x ** y` (and Math.pow): PyTorch's masks make d/dx 0 when y = 0 and d/dy 0 when x = 0, y >= 0. */
export const powRule: MathRule = binary(
  (x, y) => (y.kind === "num" ? powConstant(x, y.value) : cond(bin("===", y, num(0)), num(0), mul(y, pow(x, sub(y, num(1)))))),
  (x, _y, r) => cond(bin("===", x, num(0)), num(0), mul(r, math("log", x))),
);

function powConstant(x: Expr, k: number): Expr {
  if (k === 0) return num(0);
  if (k === 1) return num(1);
  if (k === 2) return mul(num(2), x);
  return mul(num(k), pow(x, num(k - 1)));
}

const RULES: Record<string, MathRule> = {
  abs: unary((x) => math("sign", x)),
  acos: unary((x) => neg(div(num(1), math("sqrt", sub(num(1), sq(x)))))),
  acosh: unary((x) => div(num(1), math("sqrt", sub(sq(x), num(1))))),
  asin: unary((x) => div(num(1), math("sqrt", sub(num(1), sq(x))))),
  asinh: unary((x) => div(num(1), math("sqrt", add(sq(x), num(1))))),
  atan: unary((x) => div(num(1), add(num(1), sq(x)))),
  atan2: binary(
    (y, x) => div(x, add(sq(x), sq(y))),
    (y, x) => neg(div(y, add(sq(x), sq(y)))),
  ),
  atanh: unary((x) => div(num(1), sub(num(1), sq(x)))),
  cbrt: unary((_x, r) => div(num(1), mul(num(3), sq(r)))),
  cos: unary((x) => neg(math("sin", x))),
  cosh: unary((x) => math("sinh", x)),
  exp: unary((_x, r) => r),
  expm1: unary((x) => math("exp", x)),
  hypot: { arity: "n", partials: (args, r) => args.map((a) => div(a, r)) },
  log: unary((x) => div(num(1), x)),
  log10: unary((x) => div(num(1), mul(x, LN10))),
  log1p: unary((x) => div(num(1), add(num(1), x))),
  log2: unary((x) => div(num(1), mul(x, LN2))),
  max: extremum(">"),
  min: extremum("<"),
  pow: powRule,
  sin: unary((x) => math("cos", x)),
  sinh: unary((x) => math("cosh", x)),
  sqrt: unary((_x, r) => div(num(0.5), r)),
  tan: unary((x) => add(num(1), sq(math("tan", x)))),
  tanh: unary((_x, r) => sub(num(1), sq(r))),
  sign: flat,
  floor: flat,
  ceil: flat,
  round: flat,
  trunc: flat,
  // `a % b` is lowered to this pseudo-function: a % b = a - b * trunc(a / b).
  "%": binary(
    () => num(1),
    (x, y) => neg(math("trunc", div(x, y))),
  ),
  // Integer operators on indices and counters are piecewise constant: derivative 0,
  // also on an active value (as PyTorch's integer casts).
  ">>": flat2,
  ">>>": flat2,
  "<<": flat2,
  "|": flat2,
  "&": flat2,
  "^": flat2,
  "~": flat,
};

/** Pseudo-functions printed as the operators they are: `a % b`, `a >> b`, `~a`. */
export const OPERATORS: ReadonlySet<string> = new Set(["%", ">>", ">>>", "<<", "|", "&", "^", "~"]);

/** The Math functions SPEC §3 lists; a test checks each has a rule. */
export const SUPPORTED_MATH = Object.keys(RULES).filter((k) => !OPERATORS.has(k));

/**
 * Integer functions of Math (the hash of a seeded generator such as mulberry32):
 * derivative 0 like the bit operators, but run on passive values only; on a
 * differentiated value they are refused where written (passive-reads.ts).
 */
const INTEGER_MATH: Record<string, MathRule> = {
  imul: flat2,
  clz32: flat,
};

export function isIntegerMath(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(INTEGER_MATH, name);
}

export function mathRule(name: string): MathRule | undefined {
  if (isIntegerMath(name)) return INTEGER_MATH[name];
  return Object.prototype.hasOwnProperty.call(RULES, name) ? RULES[name] : undefined;
}

export function isImpureMath(name: string): boolean {
  return name === "random";
}

export const MATH_CONSTANTS: Record<string, number> = {
  E: Math.E,
  LN10: Math.LN10,
  LN2: Math.LN2,
  LOG10E: Math.LOG10E,
  LOG2E: Math.LOG2E,
  PI: Math.PI,
  SQRT1_2: Math.SQRT1_2,
  SQRT2: Math.SQRT2,
};
