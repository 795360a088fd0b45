// The transforms users call. Each is rewritten at compile time by
// `tsgrad/transformer`; these bodies only run when the transformer did not, and
// then they refuse loudly instead of computing anything.

/** Any function the transforms accept: real parameters, a scalar result. */
export type ScalarFunction = (...args: never[]) => number;

/**
 * What a transform's `f` is inferred as before it is checked: any function.
 * The checks below turn a wrong `f` or `wrt` into a type error at that argument
 * whose text says what is wrong (TypeScript quotes the expected type, here a
 * sentence), instead of a result typed `never`.
 */
type AnyFunction = (...args: never[]) => unknown;

/**
 * The gradient of a parameter has the parameter's own shape and type. A class
 * instance's is a plain object of its fields: its methods are no part of it.
 */
export type GradOf<T> = T extends number
  ? number
  : T extends Float64Array
    ? Float64Array
    : T extends readonly number[]
      ? number extends T["length"]
        ? number[]
        : { -readonly [I in keyof T]: number } // a tuple of numbers stays a tuple
      : T extends readonly unknown[]
        ? { -readonly [I in keyof T]: GradOf<T[I]> }
        : T extends ReadonlyMap<infer K, number>
          ? Map<K, number> // a Map<string, number>'s gradient is a Map of the same keys
          : T extends object
            ? { -readonly [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: GradOf<T[K]> }
            : T extends string | boolean
              ? T // a record's constant (an id, a flag) is kept in its gradient, as JAX keeps static leaves
              : never;

type Params<F extends AnyFunction> = Parameters<F>;

/** Gradients for a tuple of parameter positions, as a tuple. */
export type GradsOf<F extends AnyFunction, W extends readonly number[]> = {
  -readonly [I in keyof W]: GradOf<Params<F>[W[I] & keyof Params<F>]>;
};

export type GradFunction<F extends AnyFunction, K extends number> = (
  ...args: Params<F>
) => GradOf<Params<F>[K & keyof Params<F>]>;

export type GradsFunction<F extends AnyFunction, W extends readonly number[]> = (
  ...args: Params<F>
) => GradsOf<F, W>;

/** `f` itself when it returns a number, else the sentence the type error shows. */
type ScalarChecked<F, Name extends string> = F extends ScalarFunction
  ? F
  : `tsgrad: ${Name}() needs a function that returns a number${Name extends "grad" | "valueAndGrad" ? "; for a vector- or tuple-valued function use jacobian(f) or vjp(f)" : ""}`;

/** What vjp, jvp and the Jacobians accept as a result: a number, an array of numbers, or a tuple or record of these. */
type ResultPart = number | readonly number[] | Float64Array;
export type ResultValue = ResultPart | readonly ResultValue[] | { readonly [field: string]: ResultValue };

/**
 * Whether R is a ResultValue, read structurally: a record declared as an
 * interface (`interface Pose { x: number; y: number }`) has no index
 * signature, so it is not assignable to ResultValue's record, yet is one.
 */
type IsResult<R> = R extends number | Float64Array
  ? true
  : R extends readonly unknown[]
    ? false extends IsResult<R[number]>
      ? false
      : true
    : R extends (...args: never[]) => unknown
      ? false
      : R extends object
        ? false extends { [K in keyof R]-?: IsResult<R[K]> }[keyof R]
          ? false
          : true
        : false;

/** `f` itself when it returns a ResultValue, else the sentence the type error shows. */
type ResultChecked<F, Name extends string> = F extends (...args: never[]) => infer R
  ? false extends IsResult<R>
    ? `tsgrad: ${Name}() needs a function that returns a number, an array, or a tuple or record of them`
    : F
  : `tsgrad: ${Name}() needs a function that returns a number, an array, or a tuple or record of them`;

/** The options of grad and valueAndGrad. */
export interface GradOptions {
  /** f returns `[loss, aux]`: only the loss is differentiated, aux comes back with the gradient (as in JAX). */
  readonly hasAux?: boolean;
  /** The gradient is written into buffers the caller passes after the arguments (a training loop allocates nothing). */
  readonly into?: boolean;
}

/** With hasAux, f must return `[number, aux]`; else a number. */
type OptionsChecked<F, O extends GradOptions, Name extends string> = O["hasAux"] extends true
  ? F extends (...args: never[]) => readonly [number, unknown]
    ? F
    : `tsgrad: ${Name}() with hasAux needs a function that returns [loss, aux], loss a number`
  : ScalarChecked<F, Name>;

type AuxOf<F> = F extends (...args: never[]) => readonly [number, infer A] ? A : never;

/** `[gradient, aux]` with hasAux, else the gradient. */
type WithAux<F, O extends GradOptions, G> = O["hasAux"] extends true ? [gradient: G, aux: AuxOf<F>] : G;

/** The value valueAndGrad returns: the loss, or `[loss, aux]` with hasAux. */
type ValueOf<F, O extends GradOptions> = O["hasAux"] extends true ? [loss: number, aux: AuxOf<F>] : number;

/**
 * The arguments, then with `into` the caller's gradient buffers (a single
 * number parameter has nothing to write into: then there is none).
 */
type IntoArgs<F extends AnyFunction, W, O extends GradOptions> = O["into"] extends true
  ? GradAt<Params<F>, W> extends number
    ? Params<F>
    : [...Params<F>, into: GradAt<Params<F>, W>]
  : Params<F>;

/** The cotangent (or tangent) of a result: its own shape (a tuple stays a tuple), arrays writable. */
export type CotangentOf<R> = R extends number
  ? number
  : R extends Float64Array
    ? Float64Array
    : R extends readonly unknown[]
      ? number extends R["length"]
        ? R extends readonly number[]
          ? number[]
          : CotangentOf<R[number]>[]
        : { -readonly [I in keyof R]: CotangentOf<R[I]> }
      : R extends object
        ? { -readonly [K in keyof R]: CotangentOf<R[K]> }
        : never;

/**
 * A row of a Jacobian with respect to a parameter P: the gradient's shape
 * (a number, a record, a tuple, rows of numbers), an array's as a number[].
 */
export type JacobianRowOf<P> = P extends number ? number : P extends Float64Array | readonly number[] ? number[] : GradOf<P>;

/**
 * The Jacobian of a result R with respect to a parameter P, as rows (one per
 * scalar output, a tuple's or record's outputs flattened in order), each row
 * shaped as the gradient of P; a number result gives the gradient itself.
 */
export type JacobianOf<R, P> = R extends number ? JacobianRowOf<P> : JacobianRowOf<P>[];

/** The options of jacobian and jacfwd. */
export interface JacobianOptions {
  /** The Jacobian is written into storage the caller passes after the arguments (a call allocates no rows). */
  readonly into?: boolean;
}

/**
 * The caller's storage `{ into: true }` fills with the Jacobian of a result R
 * with respect to a parameter P: rows of the gradient's kind (`Float64Array[]`
 * for a Float64Array parameter, `number[][]` for a number[]), the gradient for
 * a number result, one entry per output (of the result's kind) for a number
 * parameter; never when both are numbers (the Jacobian is returned).
 */
export type JacobianInto<R, P> = R extends number ? (P extends number ? never : GradOf<P>) : P extends number ? CotangentOf<R> : GradOf<P>[];

/** The arguments, then with `into` the caller's Jacobian storage (none when the result and the parameter are numbers). */
type JacobianArgs<F extends AnyFunction, P, O extends JacobianOptions> = O["into"] extends true
  ? [JacobianInto<ReturnType<F>, P>] extends [never]
    ? Params<F>
    : [...Params<F>, into: JacobianInto<ReturnType<F>, P>]
  : Params<F>;

/** What the Jacobian function returns: with `into`, the caller's storage filled. */
type JacobianResult<F extends AnyFunction, P, O extends JacobianOptions> = O["into"] extends true
  ? [JacobianInto<ReturnType<F>, P>] extends [never]
    ? number
    : JacobianInto<ReturnType<F>, P>
  : JacobianOf<ReturnType<F>, P>;

/** The Jacobian for `wrt`: one parameter's, or a tuple of them for an array of positions (as jax.jacrev with argnums). */
export type JacobianAt<R, P extends readonly unknown[], W> = W extends number
  ? JacobianOf<R, P[W & keyof P]>
  : { -readonly [I in keyof W]: JacobianOf<R, P[W[I] & keyof P]> };

/** Whether position K is a parameter of the list P (any position of a rest parameter is). */
type IsPosition<P extends readonly unknown[], K extends number> = number extends P["length"]
  ? true
  : `${K}` extends Exclude<keyof P, keyof unknown[]>
    ? true
    : false;

/** How a parameter type without a gradient is named in a message. */
type Kind<T> = T extends string
  ? "a string"
  : T extends boolean
    ? "a boolean"
    : T extends bigint
      ? "a bigint"
      : T extends symbol
        ? "a symbol"
        : T extends (...args: never[]) => unknown
          ? "a function"
          : "not a number, array or object";

/** Whether a parameter type has a gradient: numbers, arrays, Float64Arrays, tuples and records (of these). */
type HasGradient<T> = [T] extends [number | readonly unknown[] | Float64Array]
  ? true
  : [T] extends [string | boolean | bigint | symbol | null | undefined | ((...args: never[]) => unknown)]
    ? false
    : [T] extends [object]
      ? true
      : false;

/** Why selecting position K of P is wrong, or never when it is right. */
type WrtProblem<P extends readonly unknown[], K extends number> =
  IsPosition<P, K> extends false
    ? `wrt selects parameter ${K}, but the function has ${P["length"]} parameter(s) (positions start at 0)`
    : HasGradient<NonNullable<P[K & keyof P]>> extends false
      ? `parameter ${K} is ${Kind<NonNullable<P[K & keyof P]>>}, which has no gradient; select a number, array or object parameter`
      : never;

/**
 * Nothing when every position `wrt` selects is right; else an object type
 * whose one property quotes what is wrong. `wrt` is typed `W & WrtChecked<...>`:
 * W alone is where its literal type is inferred from (a conditional type there
 * would lose the `const` inference), and the intersection shows the sentence.
 */
type WrtChecked<P extends readonly unknown[], W> = [WrtProblemIn<P, W>] extends [never]
  ? unknown
  : { readonly tsgradError: WrtProblemIn<P, W> };

/** The problems of each position `wrt` selects, as a union of sentences. */
type WrtProblemIn<P extends readonly unknown[], W> = W extends number
  ? WrtProblem<P, W>
  : W extends readonly number[]
    ? { [I in keyof W]: WrtProblem<P, W[I] & number> }[number]
    : never;

/** The gradient for `wrt`: one parameter's, or a tuple of them. */
type GradAt<P extends readonly unknown[], W> = W extends number
  ? GradOf<P[W & keyof P]>
  : { -readonly [I in keyof W]: GradOf<P[W[I] & keyof P]> };

/** One tangent per parameter, of its gradient's type, labelled by position (a type cannot derive `dx` from `x`). */
type Tangents<P extends readonly unknown[]> = P extends readonly []
  ? []
  : P extends readonly [infer A]
    ? [tangent0: GradOf<A>]
    : P extends readonly [infer A, infer B]
      ? [tangent0: GradOf<A>, tangent1: GradOf<B>]
      : P extends readonly [infer A, infer B, infer C]
        ? [tangent0: GradOf<A>, tangent1: GradOf<B>, tangent2: GradOf<C>]
        : P extends readonly [infer A, infer B, infer C, infer D]
          ? [tangent0: GradOf<A>, tangent1: GradOf<B>, tangent2: GradOf<C>, tangent3: GradOf<D>]
          : { -readonly [I in keyof P]: GradOf<P[I]> };

const PLUGIN_LINE = `"compilerOptions": { "plugins": [{ "transform": "tsgrad/transformer", "transformProgram": true }] }`;

function notTransformed(name: string): never {
  throw new Error(
    `tsgrad: ${name}() was called at run time, which means the tsgrad transformer did not run on this file. ` +
      `Add ${PLUGIN_LINE} to tsconfig.json and build with tspc (from ts-patch), ` +
      `or use the tsgrad/vite plugin for Vite and Vitest projects.`,
  );
}

/**
 * What a transform call that tsgrad refused at compile time became, when the
 * build emitted JavaScript despite the error: a function that, when called,
 * throws the diagnostic the transformer quoted (`tsgrad refused grad(f) at
 * model.ts:12:9 — TS90003: ...`). As with jax.grad, the error comes when the
 * derivative is used, so the rest of the module still loads and runs.
 */
export function refused(message: string): (...args: unknown[]) => never {
  return () => {
    throw new Error(message);
  };
}

/**
 * The gradient of `f` with respect to parameter `wrt` (default 0), or a tuple of
 * gradients when `wrt` is an array literal of positions.
 * @tsgradTransform grad
 */
export function grad<F extends AnyFunction>(f: ScalarChecked<F, "grad">): (...args: Params<F>) => GradOf<Params<F>[0]>;
export function grad<F extends AnyFunction, const W extends number | readonly number[]>(
  f: ScalarChecked<F, "grad">,
  wrt: W & WrtChecked<Params<F>, W>,
): (...args: Params<F>) => GradAt<Params<F>, W>;
export function grad<F extends AnyFunction, const W extends number | readonly number[], const O extends GradOptions>(
  f: OptionsChecked<F, O, "grad">,
  wrt: W & WrtChecked<Params<F>, W>,
  options: O,
): (...args: IntoArgs<F, W, O>) => WithAux<F, O, GradAt<Params<F>, W>>;
export function grad(_f: unknown, _wrt?: unknown, _options?: unknown): never {
  return notTransformed("grad");
}

/**
 * `[f(...args), gradient]`, the gradient as `grad(f, wrt)` gives it.
 * @tsgradTransform valueAndGrad
 */
export function valueAndGrad<F extends AnyFunction>(
  f: ScalarChecked<F, "valueAndGrad">,
): (...args: Params<F>) => [value: number, gradient: GradOf<Params<F>[0]>];
export function valueAndGrad<F extends AnyFunction, const W extends number | readonly number[]>(
  f: ScalarChecked<F, "valueAndGrad">,
  wrt: W & WrtChecked<Params<F>, W>,
): (...args: Params<F>) => [value: number, gradient: GradAt<Params<F>, W>];
export function valueAndGrad<F extends AnyFunction, const W extends number | readonly number[], const O extends GradOptions>(
  f: OptionsChecked<F, O, "valueAndGrad">,
  wrt: W & WrtChecked<Params<F>, W>,
  options: O,
): (...args: IntoArgs<F, W, O>) => [value: ValueOf<F, O>, gradient: GradAt<Params<F>, W>];
export function valueAndGrad(_f: unknown, _wrt?: unknown, _options?: unknown): never {
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
export function jvp<F extends AnyFunction>(
  f: ResultChecked<F, "jvp">,
): (...argsThenTangents: [...Params<F>, ...Tangents<Params<F>>]) => [value: ReturnType<F>, tangent: CotangentOf<ReturnType<F>>];
export function jvp(_f: unknown): never {
  return notTransformed("jvp");
}

/** The Hessian of a scalar function w.r.t. one parameter: a number for a number, rows (`number[][]`) for an array. */
export type HessianOf<T> = T extends number ? number : T extends Float64Array | readonly number[] ? number[][] : never;

/** Why position K cannot have a Hessian, or never when it can. */
type HessianProblem<P extends readonly unknown[], K extends number> =
  IsPosition<P, K> extends false
    ? `wrt selects parameter ${K}, but the function has ${P["length"]} parameter(s) (positions start at 0)`
    : [NonNullable<P[K & keyof P]>] extends [number | Float64Array | readonly number[]]
      ? never
      : `hessian() needs parameter ${K} to be a number or an array of numbers`;

type HessianChecked<P extends readonly unknown[], K extends number> = [HessianProblem<P, K>] extends [never]
  ? unknown
  : { readonly tsgradError: HessianProblem<P, K> };

/**
 * The Hessian of a scalar function with respect to parameter `wrt` (default 0),
 * computed forward-over-reverse (one generated jvp of the gradient per row):
 * a number for a number parameter, rows (`number[][]`) for an array.
 * @tsgradTransform hessian
 */
export function hessian<F extends AnyFunction>(
  f: ScalarChecked<F, "hessian"> & HessianChecked<Params<F>, 0>,
): (...args: Params<F>) => HessianOf<Params<F>[0]>;
export function hessian<F extends AnyFunction, const K extends number>(
  f: ScalarChecked<F, "hessian">,
  wrt: K & HessianChecked<Params<F>, K>,
): (...args: Params<F>) => HessianOf<Params<F>[K & keyof Params<F>]>;
export function hessian(_f: unknown, _wrt?: unknown): never {
  return notTransformed("hessian");
}

/**
 * Reverse mode with a cotangent: `vjp(f, wrt)(...args, cotangent)` is
 * `[f(...args), gradient of <f(...args), cotangent>]`, the cotangent of f's
 * result type, the gradient shaped as grad(f, wrt) shapes it.
 * @tsgradTransform vjp
 */
export function vjp<F extends AnyFunction>(
  f: ResultChecked<F, "vjp">,
): (...argsThenCotangent: [...Params<F>, cotangent: CotangentOf<ReturnType<F>>]) => [value: ReturnType<F>, gradient: GradOf<Params<F>[0]>];
export function vjp<F extends AnyFunction, const W extends number | readonly number[]>(
  f: ResultChecked<F, "vjp">,
  wrt: W & WrtChecked<Params<F>, W>,
): (...argsThenCotangent: [...Params<F>, cotangent: CotangentOf<ReturnType<F>>]) => [value: ReturnType<F>, gradient: GradAt<Params<F>, W>];
export function vjp(_f: unknown, _wrt?: unknown): never {
  return notTransformed("vjp");
}

/**
 * The Jacobian of f with respect to parameter `wrt` (default 0) by reverse
 * mode (one vjp per output, as jax.jacrev): rows, one per scalar output (a
 * tuple's or record's outputs flattened in order), each shaped as the
 * parameter's gradient; a tuple of Jacobians for an array of positions. With
 * `{ into: true }` (one position, a number or array result) the rows are
 * written into the caller's storage, passed after the arguments, and returned.
 * @tsgradTransform jacobian
 */
export function jacobian<F extends AnyFunction>(
  f: ResultChecked<F, "jacobian">,
): (...args: Params<F>) => JacobianOf<ReturnType<F>, Params<F>[0]>;
export function jacobian<F extends AnyFunction, const W extends number | readonly number[]>(
  f: ResultChecked<F, "jacobian">,
  wrt: W & WrtChecked<Params<F>, W>,
): (...args: Params<F>) => JacobianAt<ReturnType<F>, Params<F>, W>;

export function jacobian<F extends AnyFunction, const W extends number, const O extends JacobianOptions>(
  f: ResultChecked<F, "jacobian">,
  wrt: W & WrtChecked<Params<F>, W>,
  options: O,
): (...args: JacobianArgs<F, Params<F>[W], O>) => JacobianResult<F, Params<F>[W], O>;
export function jacobian(_f: unknown, _wrt?: unknown, _options?: unknown): never {
  return notTransformed("jacobian");
}

/**
 * The same Jacobian as jacobian(f, wrt), by forward mode (one jvp per
 * parameter element, as jax.jacfwd): better when there are fewer inputs than outputs.
 * @tsgradTransform jacfwd
 */
export function jacfwd<F extends AnyFunction>(
  f: ResultChecked<F, "jacfwd">,
): (...args: Params<F>) => JacobianOf<ReturnType<F>, Params<F>[0]>;
export function jacfwd<F extends AnyFunction, const W extends number | readonly number[]>(
  f: ResultChecked<F, "jacfwd">,
  wrt: W & WrtChecked<Params<F>, W>,
): (...args: Params<F>) => JacobianAt<ReturnType<F>, Params<F>, W>;

export function jacfwd<F extends AnyFunction, const W extends number, const O extends JacobianOptions>(
  f: ResultChecked<F, "jacfwd">,
  wrt: W & WrtChecked<Params<F>, W>,
  options: O,
): (...args: JacobianArgs<F, Params<F>[W], O>) => JacobianResult<F, Params<F>[W], O>;
export function jacfwd(_f: unknown, _wrt?: unknown, _options?: unknown): never {
  return notTransformed("jacfwd");
}

/**
 * `f` itself: calling it does what calling `f` does. Inside differentiated
 * code a call of the result is never inlined: the caller saves only its
 * arguments, and the backward sweep re-runs f's forward sweep from them
 * (JAX's `checkpoint`, Tapenade's checkpointed calls), trading a second
 * evaluation of f for the memory its intermediates would take on the tape.
 * Declare it with const at module level: `const step = checkpoint(f)`.
 * @tsgradTransform checkpoint
 */
export function checkpoint<F extends AnyFunction>(f: F): F {
  return f;
}
