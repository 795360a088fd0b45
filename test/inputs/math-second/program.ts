// grad(grad(f)) for every Math function of SPEC §3 (test/math-second.test.ts),
// each f once as written (reverse over reverse of straight code) and once
// summed by a loop (forward over an adjoint that uses the tape). Generated as a
// table: name, f(x), the point x.
import { grad } from "tsgrad";

export const POINTS: Record<string, number> = {
  abs: 0.7,
  acos: 0.3,
  acosh: 1.7,
  asin: 0.3,
  asinh: 0.8,
  atan: 0.8,
  atanh: 0.4,
  cbrt: 1.9,
  cos: 0.8,
  cosh: 0.8,
  exp: 0.8,
  expm1: 0.8,
  log: 1.7,
  log10: 1.7,
  log1p: 0.8,
  log2: 1.7,
  sin: 0.8,
  sinh: 0.8,
  sqrt: 1.7,
  tan: 0.8,
  tanh: 0.8,
  sign: 1.3,
  floor: 1.3,
  ceil: 1.3,
  round: 1.3,
  trunc: 1.3,
  atan2: 0.6,
  pow: 1.3,
  hypot: 0.9,
  max: 0.8,
  min: 0.8,
  softplusLog: 100,
  softplusLog2: 100,
  softplusLog10: 100,
  atanLarge: 1e80,
};

export const f_abs = (x: number): number => Math.abs(x) * x * x;
export function g_abs(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.abs(x) * x * x;
  return s;
}
export const df_abs = grad(f_abs);
export const ddf_abs = grad(grad(f_abs));
export const dg_abs = grad(g_abs);
export const ddg_abs = grad(grad(g_abs));

export const f_acos = (x: number): number => Math.acos(x) * x * x;
export function g_acos(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.acos(x) * x * x;
  return s;
}
export const df_acos = grad(f_acos);
export const ddf_acos = grad(grad(f_acos));
export const dg_acos = grad(g_acos);
export const ddg_acos = grad(grad(g_acos));

export const f_acosh = (x: number): number => Math.acosh(x) * x * x;
export function g_acosh(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.acosh(x) * x * x;
  return s;
}
export const df_acosh = grad(f_acosh);
export const ddf_acosh = grad(grad(f_acosh));
export const dg_acosh = grad(g_acosh);
export const ddg_acosh = grad(grad(g_acosh));

export const f_asin = (x: number): number => Math.asin(x) * x * x;
export function g_asin(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.asin(x) * x * x;
  return s;
}
export const df_asin = grad(f_asin);
export const ddf_asin = grad(grad(f_asin));
export const dg_asin = grad(g_asin);
export const ddg_asin = grad(grad(g_asin));

export const f_asinh = (x: number): number => Math.asinh(x) * x * x;
export function g_asinh(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.asinh(x) * x * x;
  return s;
}
export const df_asinh = grad(f_asinh);
export const ddf_asinh = grad(grad(f_asinh));
export const dg_asinh = grad(g_asinh);
export const ddg_asinh = grad(grad(g_asinh));

export const f_atan = (x: number): number => Math.atan(x) * x * x;
export function g_atan(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.atan(x) * x * x;
  return s;
}
export const df_atan = grad(f_atan);
export const ddf_atan = grad(grad(f_atan));
export const dg_atan = grad(g_atan);
export const ddg_atan = grad(grad(g_atan));

export const f_atanh = (x: number): number => Math.atanh(x) * x * x;
export function g_atanh(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.atanh(x) * x * x;
  return s;
}
export const df_atanh = grad(f_atanh);
export const ddf_atanh = grad(grad(f_atanh));
export const dg_atanh = grad(g_atanh);
export const ddg_atanh = grad(grad(g_atanh));

export const f_cbrt = (x: number): number => Math.cbrt(x) * x * x;
export function g_cbrt(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.cbrt(x) * x * x;
  return s;
}
export const df_cbrt = grad(f_cbrt);
export const ddf_cbrt = grad(grad(f_cbrt));
export const dg_cbrt = grad(g_cbrt);
export const ddg_cbrt = grad(grad(g_cbrt));

export const f_cos = (x: number): number => Math.cos(x) * x * x;
export function g_cos(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.cos(x) * x * x;
  return s;
}
export const df_cos = grad(f_cos);
export const ddf_cos = grad(grad(f_cos));
export const dg_cos = grad(g_cos);
export const ddg_cos = grad(grad(g_cos));

export const f_cosh = (x: number): number => Math.cosh(x) * x * x;
export function g_cosh(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.cosh(x) * x * x;
  return s;
}
export const df_cosh = grad(f_cosh);
export const ddf_cosh = grad(grad(f_cosh));
export const dg_cosh = grad(g_cosh);
export const ddg_cosh = grad(grad(g_cosh));

export const f_exp = (x: number): number => Math.exp(x) * x * x;
export function g_exp(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.exp(x) * x * x;
  return s;
}
export const df_exp = grad(f_exp);
export const ddf_exp = grad(grad(f_exp));
export const dg_exp = grad(g_exp);
export const ddg_exp = grad(grad(g_exp));

export const f_expm1 = (x: number): number => Math.expm1(x) * x * x;
export function g_expm1(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.expm1(x) * x * x;
  return s;
}
export const df_expm1 = grad(f_expm1);
export const ddf_expm1 = grad(grad(f_expm1));
export const dg_expm1 = grad(g_expm1);
export const ddg_expm1 = grad(grad(g_expm1));

export const f_log = (x: number): number => Math.log(x) * x * x;
export function g_log(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.log(x) * x * x;
  return s;
}
export const df_log = grad(f_log);
export const ddf_log = grad(grad(f_log));
export const dg_log = grad(g_log);
export const ddg_log = grad(grad(g_log));

export const f_log10 = (x: number): number => Math.log10(x) * x * x;
export function g_log10(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.log10(x) * x * x;
  return s;
}
export const df_log10 = grad(f_log10);
export const ddf_log10 = grad(grad(f_log10));
export const dg_log10 = grad(g_log10);
export const ddg_log10 = grad(grad(g_log10));

export const f_log1p = (x: number): number => Math.log1p(x) * x * x;
export function g_log1p(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.log1p(x) * x * x;
  return s;
}
export const df_log1p = grad(f_log1p);
export const ddf_log1p = grad(grad(f_log1p));
export const dg_log1p = grad(g_log1p);
export const ddg_log1p = grad(grad(g_log1p));

export const f_log2 = (x: number): number => Math.log2(x) * x * x;
export function g_log2(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.log2(x) * x * x;
  return s;
}
export const df_log2 = grad(f_log2);
export const ddf_log2 = grad(grad(f_log2));
export const dg_log2 = grad(g_log2);
export const ddg_log2 = grad(grad(g_log2));

export const f_sin = (x: number): number => Math.sin(x) * x * x;
export function g_sin(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.sin(x) * x * x;
  return s;
}
export const df_sin = grad(f_sin);
export const ddf_sin = grad(grad(f_sin));
export const dg_sin = grad(g_sin);
export const ddg_sin = grad(grad(g_sin));

export const f_sinh = (x: number): number => Math.sinh(x) * x * x;
export function g_sinh(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.sinh(x) * x * x;
  return s;
}
export const df_sinh = grad(f_sinh);
export const ddf_sinh = grad(grad(f_sinh));
export const dg_sinh = grad(g_sinh);
export const ddg_sinh = grad(grad(g_sinh));

export const f_sqrt = (x: number): number => Math.sqrt(x) * x * x;
export function g_sqrt(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.sqrt(x) * x * x;
  return s;
}
export const df_sqrt = grad(f_sqrt);
export const ddf_sqrt = grad(grad(f_sqrt));
export const dg_sqrt = grad(g_sqrt);
export const ddg_sqrt = grad(grad(g_sqrt));

export const f_tan = (x: number): number => Math.tan(x) * x * x;
export function g_tan(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.tan(x) * x * x;
  return s;
}
export const df_tan = grad(f_tan);
export const ddf_tan = grad(grad(f_tan));
export const dg_tan = grad(g_tan);
export const ddg_tan = grad(grad(g_tan));

export const f_tanh = (x: number): number => Math.tanh(x) * x * x;
export function g_tanh(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.tanh(x) * x * x;
  return s;
}
export const df_tanh = grad(f_tanh);
export const ddf_tanh = grad(grad(f_tanh));
export const dg_tanh = grad(g_tanh);
export const ddg_tanh = grad(grad(g_tanh));

export const f_sign = (x: number): number => Math.sign(x) * x * x;
export function g_sign(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.sign(x) * x * x;
  return s;
}
export const df_sign = grad(f_sign);
export const ddf_sign = grad(grad(f_sign));
export const dg_sign = grad(g_sign);
export const ddg_sign = grad(grad(g_sign));

export const f_floor = (x: number): number => Math.floor(x) * x * x;
export function g_floor(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.floor(x) * x * x;
  return s;
}
export const df_floor = grad(f_floor);
export const ddf_floor = grad(grad(f_floor));
export const dg_floor = grad(g_floor);
export const ddg_floor = grad(grad(g_floor));

export const f_ceil = (x: number): number => Math.ceil(x) * x * x;
export function g_ceil(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.ceil(x) * x * x;
  return s;
}
export const df_ceil = grad(f_ceil);
export const ddf_ceil = grad(grad(f_ceil));
export const dg_ceil = grad(g_ceil);
export const ddg_ceil = grad(grad(g_ceil));

export const f_round = (x: number): number => Math.round(x) * x * x;
export function g_round(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.round(x) * x * x;
  return s;
}
export const df_round = grad(f_round);
export const ddf_round = grad(grad(f_round));
export const dg_round = grad(g_round);
export const ddg_round = grad(grad(g_round));

export const f_trunc = (x: number): number => Math.trunc(x) * x * x;
export function g_trunc(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.trunc(x) * x * x;
  return s;
}
export const df_trunc = grad(f_trunc);
export const ddf_trunc = grad(grad(f_trunc));
export const dg_trunc = grad(g_trunc);
export const ddg_trunc = grad(grad(g_trunc));

export const f_atan2 = (x: number): number => Math.atan2(x, 1.5 - x) * x;
export function g_atan2(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.atan2(x, 1.5 - x) * x;
  return s;
}
export const df_atan2 = grad(f_atan2);
export const ddf_atan2 = grad(grad(f_atan2));
export const dg_atan2 = grad(g_atan2);
export const ddg_atan2 = grad(grad(g_atan2));

export const f_pow = (x: number): number => Math.pow(x, 2.5 - x) * x;
export function g_pow(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.pow(x, 2.5 - x) * x;
  return s;
}
export const df_pow = grad(f_pow);
export const ddf_pow = grad(grad(f_pow));
export const dg_pow = grad(g_pow);
export const ddg_pow = grad(grad(g_pow));

export const f_hypot = (x: number): number =>
  Math.hypot(x, 2 * x - 0.5, 0.3) * x;
export function g_hypot(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.hypot(x, 2 * x - 0.5, 0.3) * x;
  return s;
}
export const df_hypot = grad(f_hypot);
export const ddf_hypot = grad(grad(f_hypot));
export const dg_hypot = grad(g_hypot);
export const ddg_hypot = grad(grad(g_hypot));

export const f_max = (x: number): number => Math.max(x, 1 - x) * x * x;
export function g_max(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.max(x, 1 - x) * x * x;
  return s;
}
export const df_max = grad(f_max);
export const ddf_max = grad(grad(f_max));
export const dg_max = grad(g_max);
export const ddg_max = grad(grad(g_max));

export const f_min = (x: number): number => Math.min(x, 1 - x) * x * x;
export function g_min(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.min(x, 1 - x) * x * x;
  return s;
}
export const df_min = grad(f_min);
export const ddf_min = grad(grad(f_min));
export const dg_min = grad(g_min);
export const ddg_min = grad(grad(g_min));

export const f_softplusLog = (x: number): number =>
  Math.log(1 + Math.exp(4 * x)) * x;
export function g_softplusLog(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.log(1 + Math.exp(4 * x)) * x;
  return s;
}
export const df_softplusLog = grad(f_softplusLog);
export const ddf_softplusLog = grad(grad(f_softplusLog));
export const dg_softplusLog = grad(g_softplusLog);
export const ddg_softplusLog = grad(grad(g_softplusLog));

export const f_softplusLog2 = (x: number): number =>
  Math.log2(1 + Math.exp(4 * x)) * x;
export function g_softplusLog2(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.log2(1 + Math.exp(4 * x)) * x;
  return s;
}
export const df_softplusLog2 = grad(f_softplusLog2);
export const ddf_softplusLog2 = grad(grad(f_softplusLog2));
export const dg_softplusLog2 = grad(g_softplusLog2);
export const ddg_softplusLog2 = grad(grad(g_softplusLog2));

export const f_softplusLog10 = (x: number): number =>
  Math.log10(1 + Math.exp(4 * x)) * x;
export function g_softplusLog10(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.log10(1 + Math.exp(4 * x)) * x;
  return s;
}
export const df_softplusLog10 = grad(f_softplusLog10);
export const ddf_softplusLog10 = grad(grad(f_softplusLog10));
export const dg_softplusLog10 = grad(g_softplusLog10);
export const ddg_softplusLog10 = grad(grad(g_softplusLog10));

export const f_atanLarge = (x: number): number => Math.atan(x * x) * x;
export function g_atanLarge(x: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += Math.atan(x * x) * x;
  return s;
}
export const df_atanLarge = grad(f_atanLarge);
export const ddf_atanLarge = grad(grad(f_atanLarge));
export const dg_atanLarge = grad(g_atanLarge);
export const ddg_atanLarge = grad(grad(g_atanLarge));
