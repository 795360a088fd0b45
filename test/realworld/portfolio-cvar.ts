// Conditional value-at-risk of a long-only portfolio over historical return
// scenarios (Rockafellar–Uryasev), with the hinge smoothed by a softplus so a
// gradient method can minimise it. Weights come from unconstrained scores via
// a softmax; the objective adds a return target as a soft penalty.
import { valueAndGrad, grad } from "tsgrad";

export interface CvarSettings {
  alpha?: number;
  temperature?: number;
  targetReturn?: number;
}

const DEFAULTS: Required<CvarSettings> = { alpha: 0.9, temperature: 0.002, targetReturn: 0.004 };

function softmax(scores: number[]): number[] {
  const top = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

function smoothHinge(x: number, temperature: number): number {
  // temperature * log(1 + exp(x / temperature)), written to not overflow
  return x > 0 ? x + temperature * Math.log1p(Math.exp(-x / temperature)) : temperature * Math.log1p(Math.exp(x / temperature));
}

export function cvarObjective(scores: number[], threshold: number, scenarios: number[][], settings: CvarSettings = {}): number {
  const { alpha, temperature, targetReturn } = { ...DEFAULTS, ...settings };
  const weights = softmax(scores);
  const losses = scenarios.map((returns) => -returns.reduce((acc, r, k) => acc + r * weights[k], 0));
  const tail = losses.reduce((acc, loss) => acc + smoothHinge(loss - threshold, temperature), 0);
  const cvar = threshold + tail / ((1 - alpha) * scenarios.length);
  const meanReturn = -losses.reduce((a, b) => a + b, 0) / losses.length;
  const shortfall = Math.max(0, targetReturn - meanReturn);
  return cvar + 50 * shortfall ** 2;
}

export const dScores = grad(cvarObjective);
export const cvarAndBoth = valueAndGrad(cvarObjective, [0, 1]);

// Monthly returns of four assets (equities, bonds, gold, cash), a few years' worth.
const SCENARIOS: number[][] = Array.from({ length: 36 }, (_, t) => [
  0.008 + 0.045 * Math.sin(1.7 * t + 0.3),
  0.003 + 0.012 * Math.cos(2.3 * t),
  0.004 + 0.03 * Math.sin(0.9 * t + 2),
  0.002 + 0.0005 * Math.cos(t),
]);

export const cases = [
  { f: cvarObjective, df: dScores, args: [[0.2, 0.1, -0.3, 0], 0.03, SCENARIOS] },
  { f: cvarObjective, df: cvarAndBoth, args: [[0.5, -0.2, 0.1, 0.3], 0.025, SCENARIOS, { alpha: 0.95 }], wrt: [0, 1], withValue: true },
];
