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
