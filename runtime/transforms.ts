// The transforms users call. Each is rewritten at compile time by
// `tsgrad/transformer`; these bodies only run when the transformer did not, and
// then they refuse loudly instead of computing anything.

/** Any function the transforms accept: real parameters, a scalar result. */
export type ScalarFunction = (...args: never[]) => number;

/** The gradient of a parameter has the parameter's own shape and type. */
export type GradOf<T> = T extends number
  ? number
  : T extends Float64Array
    ? Float64Array
    : T extends readonly number[]
      ? number[]
      : T extends readonly unknown[]
        ? { -readonly [I in keyof T]: GradOf<T[I]> }
        : T extends object
          ? { -readonly [K in keyof T]: GradOf<T[K]> }
          : never;

type Params<F extends ScalarFunction> = Parameters<F>;

/** Gradients for a tuple of parameter positions, as a tuple. */
export type GradsOf<F extends ScalarFunction, W extends readonly number[]> = {
  -readonly [I in keyof W]: GradOf<Params<F>[W[I]]>;
};

export type GradFunction<F extends ScalarFunction, K extends number> = (
  ...args: Params<F>
) => GradOf<Params<F>[K]>;

export type GradsFunction<F extends ScalarFunction, W extends readonly number[]> = (
  ...args: Params<F>
) => GradsOf<F, W>;

const PLUGIN_LINE = `"compilerOptions": { "plugins": [{ "transform": "tsgrad/transformer" }] }`;

function notTransformed(name: string): never {
  throw new Error(
    `tsgrad: ${name}() was called at run time, which means the tsgrad transformer did not run on this file. ` +
      `Add ${PLUGIN_LINE} to tsconfig.json and build with tspc (from ts-patch), ` +
      `or use the tsgrad/vite plugin for Vite and Vitest projects.`,
  );
}

/**
 * What a transform call that tsgrad refused at compile time became, when the
 * build emitted JavaScript despite the error: it throws the diagnostic, quoted
 * by the transformer (`tsgrad refused grad(f) at model.ts:12:9 — TS90003: ...`).
 */
export function refused(message: string): never {
  throw new Error(message);
}

/**
 * The gradient of `f` with respect to parameter `wrt` (default 0), or a tuple of
 * gradients when `wrt` is an array literal of positions.
 * @tsgradTransform grad
 */
export function grad<F extends ScalarFunction>(f: F): GradFunction<F, 0>;
export function grad<F extends ScalarFunction, const K extends number>(
  f: F,
  wrt: K,
): GradFunction<F, K>;
export function grad<F extends ScalarFunction, const W extends readonly number[]>(
  f: F,
  wrt: W,
): GradsFunction<F, W>;
export function grad(_f: ScalarFunction, _wrt?: number | readonly number[]): never {
  return notTransformed("grad");
}

/**
 * `[f(...args), gradient]`, the gradient as `grad(f, wrt)` gives it.
 * @tsgradTransform valueAndGrad
 */
export function valueAndGrad<F extends ScalarFunction>(
  f: F,
): (...args: Params<F>) => [number, GradOf<Params<F>[0]>];
export function valueAndGrad<F extends ScalarFunction, const K extends number>(
  f: F,
  wrt: K,
): (...args: Params<F>) => [number, GradOf<Params<F>[K]>];
export function valueAndGrad<F extends ScalarFunction, const W extends readonly number[]>(
  f: F,
  wrt: W,
): (...args: Params<F>) => [number, GradsOf<F, W>];
export function valueAndGrad(_f: ScalarFunction, _wrt?: number | readonly number[]): never {
  return notTransformed("valueAndGrad");
}

/** What a customGrad rule returns: the adjoint of each parameter, a tuple when there are several. */
export type RuleResult<F extends ScalarFunction> = Params<F> extends [infer Only] ? GradOf<Only> : GradTuple<Params<F>>;

/** The gradients of a parameter list, as a tuple. */
export type GradTuple<P extends readonly unknown[]> = { -readonly [I in keyof P]: GradOf<P[I]> };

/** A user-written adjoint: the arguments, the result `out`, and its adjoint `dout`. */
export type CustomRule<F extends ScalarFunction> = (...args: [...Params<F>, out: number, dout: number]) => RuleResult<F>;

/** A function with a user-written adjoint, as customGrad returns it. */
export type CustomGradFunction<F extends ScalarFunction> = F & { readonly rule: CustomRule<F> };

/**
 * Marks `f` as having the adjoint `rule`: inside differentiated code tsgrad
 * calls `rule(...args, out, dout)` instead of differentiating `f` (a library
 * call, an iterative solver). Outside, the result behaves exactly as `f`.
 * Declare it with const at module level: `const g = customGrad(f, rule)`.
 * @tsgradTransform customGrad
 */
export function customGrad<F extends ScalarFunction>(f: F, rule: CustomRule<F>): CustomGradFunction<F> {
  const wrapped = ((...args: Params<F>) => f(...args)) as unknown as F;
  return Object.assign(wrapped, { rule });
}

/**
 * Forward mode: `jvp(f)(...args, ...tangents)` is `[f(...args), directional
 * derivative along the tangents]`, one tangent per parameter, of its type.
 * @tsgradTransform jvp
 */
export function jvp<F extends ScalarFunction>(_f: F): (...argsThenTangents: [...Params<F>, ...GradTuple<Params<F>>]) => [number, number] {
  return notTransformed("jvp");
}

/**
 * The dense Hessian of a function of one array, as rows, computed
 * forward-over-reverse (one generated jvp of the gradient per row).
 * @tsgradTransform hessian
 */
export function hessian<X extends Float64Array | number[] | readonly number[]>(_f: (x: X) => number): (x: X) => number[][] {
  return notTransformed("hessian");
}
