// A user's program that takes every transform (issue 15), for the tarball test
// (test/e2e-pack.test.ts copies it into a fresh project, builds it with tspc and
// runs it). Each result is compared, in the program itself, with central finite
// differences of the function it differentiates; it prints one JSON object,
// each transform's largest relative error.
import { checkpoint, customGrad, grad, hessian, jacfwd, jacobian, jvp, stopGradient, valueAndGrad, vjp } from "tsgrad";

type Vec = number[];

// ---- the functions, as an application writes them

function energy(x: Vec, k: number): number {
  let e = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    const d = x[i + 1]! - x[i]!;
    e += k * d * d + Math.sin(x[i]!) * x[i + 1]!;
  }
  return e;
}

function rhs(u: Float64Array): Float64Array {
  const n = u.length;
  const du = new Float64Array(n);
  for (let i = 0; i < n; i++) du[i] = (u[(i + 1) % n]! - u[(i + n - 2) % n]!) * u[(i + n - 1) % n]! - u[i]!;
  return du;
}

function polar(r: number, t: number): [number, number] {
  return [r * Math.cos(t), r * Math.sin(t)];
}

function fit(w: Vec, xs: Vec, ys: Vec): [number, { residual: number; label: string }] {
  let loss = 0;
  for (let i = 0; i < xs.length; i++) {
    const r = w[0]! + w[1]! * xs[i]! - ys[i]!;
    loss += r * r;
  }
  return [loss / xs.length, { residual: Math.sqrt(loss), label: "fit" }];
}

/** stopGradient: the scale is a constant to the derivative. */
function normalised(x: Vec): number {
  let s = 0;
  for (const v of x) s += v * v;
  const scale = stopGradient(Math.sqrt(s));
  let out = 0;
  for (const v of x) out += Math.exp(v / scale);
  return out;
}

const step = checkpoint((x: number, p: number): number => {
  const k1 = -p * Math.sin(x);
  const k2 = -p * Math.sin(x + 0.005 * k1);
  return x + 0.01 * k2;
});

function rollout(p: number, n: number): number {
  let x = 1;
  for (let t = 0; t < n; t++) x = step(x, p);
  return x * x;
}

const softplus = customGrad(
  (x: number) => Math.log1p(Math.exp(x)),
  (x, _out, d) => d / (1 + Math.exp(-x)),
);

function cube(x: number, y: number): number {
  return x * x * x * y + Math.sin(x * y);
}

function smooth(x: number, y: number): number {
  return softplus(x * y) * x;
}

const dCube = grad(cube);
/** A function calling a transform's result, differentiated again (composition through a const). */
function slope(x: number, y: number): number {
  return dCube(x, y) * y;
}

// ---- central differences

const H = 1e-5;
function fdNumber(f: (x: number) => number, x: number): number {
  return (f(x + H) - f(x - H)) / (2 * H);
}
function fdVec(f: (x: Vec) => number, x: Vec): Vec {
  return x.map((_, i) => {
    const at = (d: number): number => f(x.map((v, j) => (j === i ? v + d : v)));
    return (at(H) - at(-H)) / (2 * H);
  });
}
function relErr(got: readonly number[], want: readonly number[]): number {
  if (got.length !== want.length) return Infinity;
  const scale = Math.max(1, ...want.map(Math.abs));
  return Math.max(0, ...got.map((g, i) => Math.abs(g - want[i]!) / scale));
}
const flat = (m: readonly (readonly number[])[]): Vec => m.flatMap((r) => [...r]);

// ---- each transform against differences

const x: Vec = [0.3, -0.8, 1.1, 0.4];
const k = 1.7;
const errors: Record<string, number> = {};

errors.grad = relErr(grad(energy)(x, k), fdVec((y) => energy(y, k), x));
{
  const [value, [gx, gk]] = valueAndGrad(energy, [0, 1])(x, k);
  errors.valueAndGrad = Math.max(Math.abs(value - energy(x, k)), relErr([...gx, gk], [...fdVec((y) => energy(y, k), x), fdNumber((c) => energy(x, c), k)]));
}
{
  const v: Vec = [0.5, -1, 0.25, 2];
  const [, tangent] = jvp(energy)(x, k, v, 0);
  const g = grad(energy)(x, k);
  errors.jvp = relErr([tangent], [g.reduce((s, gi, i) => s + gi * v[i]!, 0)]);
}
{
  // vjp with a tuple cotangent, and the dot-product test against jvp.
  const [value, [gr, gt]] = vjp(polar, [0, 1])(1.3, 0.4, [0.7, -0.2]);
  const [, [tx, ty]] = jvp(polar)(1.3, 0.4, 0.5, 1.5);
  const fdR = [(polar(1.3 + H, 0.4)[0] - polar(1.3 - H, 0.4)[0]) / (2 * H), (polar(1.3 + H, 0.4)[1] - polar(1.3 - H, 0.4)[1]) / (2 * H)];
  errors.vjp = Math.max(
    relErr(value, polar(1.3, 0.4)),
    relErr([gr * 0.5 + gt * 1.5], [0.7 * tx - 0.2 * ty]),
    relErr([gr], [0.7 * fdR[0]! - 0.2 * fdR[1]!]),
  );
}
{
  const u = Float64Array.from([1.2, -0.3, 0.8, 2.1, -1.4]);
  const rows = jacobian(rhs)(u);
  const cols = jacfwd(rhs)(u);
  const fd = Array.from(u, (_, i) =>
    Array.from(u, (_, j) => {
      const at = (d: number): number => {
        const w = Float64Array.from(u);
        w[j]! += d;
        return rhs(w)[i]!;
      };
      return (at(H) - at(-H)) / (2 * H);
    }),
  );
  errors.jacobian = relErr(flat(rows), flat(fd));
  errors.jacfwd = relErr(flat(cols), flat(fd));
}
{
  const Hm = hessian(energy)(x, k);
  const fd = x.map((_, i) => fdVec((y) => grad(energy)(y, k)[i]!, x));
  errors.hessian = relErr(flat(Hm), flat(fd));
  errors["jacobian(grad(f))"] = relErr(flat(jacobian(grad(energy))(x, k)), flat(fd));
  const v: Vec = [1, 0.5, -0.5, 0.25];
  const [, hv] = jvp(grad(energy))(x, k, v, 0);
  errors["jvp(grad(f))"] = relErr(hv, fd.map((row) => row.reduce((s, h, j) => s + h * v[j]!, 0)));
}
errors["grad(grad(f))"] = relErr([grad(grad(cube))(0.7, 1.3)], [fdNumber((t) => grad(cube)(t, 1.3), 0.7)]);
errors["grad of a const-bound grad"] = relErr(grad(slope, [0, 1])(0.7, 1.3), [fdNumber((t) => slope(t, 1.3), 0.7), fdNumber((t) => slope(0.7, t), 1.3)]);
errors.customGrad = relErr(grad(smooth, [0, 1])(0.7, 1.3), [fdNumber((t) => smooth(t, 1.3), 0.7), fdNumber((t) => smooth(0.7, t), 1.3)]);
{
  const w: Vec = [0.2, 1.1];
  const xs: Vec = [0, 1, 2, 3];
  const ys: Vec = [0.1, 1.2, 2.4, 2.9];
  const [g, aux] = grad(fit, 0, { hasAux: true })(w, xs, ys);
  const [[loss, aux2], g2] = valueAndGrad(fit, 0, { hasAux: true })(w, xs, ys);
  const fd = fdVec((v) => fit(v, xs, ys)[0], w);
  const sameAux = aux.label === "fit" && aux2.residual === fit(w, xs, ys)[1].residual ? 0 : Infinity;
  errors.hasAux = Math.max(relErr(g, fd), relErr(g2, fd), Math.abs(loss - fit(w, xs, ys)[0]), sameAux);
}
{
  // d/dx of Σ exp(x_i / c) with c held constant.
  const c = Math.sqrt(x.reduce((s, v) => s + v * v, 0));
  errors.stopGradient = relErr(grad(normalised)(x), x.map((v) => Math.exp(v / c) / c));
}
errors.checkpoint = relErr([grad(rollout)(0.9, 200)], [fdNumber((p) => rollout(p, 200), 0.9)]);
{
  const into: Vec = [9, 9, 9, 9];
  const out = grad(energy, 0, { into: true })(x, k, into);
  errors["{ into: true }"] = out === into ? relErr(into, fdVec((y) => energy(y, k), x)) : Infinity;
}

console.log(JSON.stringify(errors));
