// Benchmark workloads: three constructs added for the corpus, each written the
// way an application writes it and the same computation written flat (bench/run.mjs,
// rows "pushed", "ragged" and "ducts"): a local `number[][]` grown by
// `push` of each state (desugar/pushed-rows.ts), a ragged `number[][]` mapped
// row by row from the rows of a parameter (desugar/ragged-rows.ts), and an
// array of class instances that each hold a record of the data array
// (desugar/element-references.ts).
import { grad } from "tsgrad";

// ---------------------------------------------------------------------------
// (a) A damped oscillator's trajectory, T explicit Euler steps from (x0, v0)
// with stiffness k and damping c (p = [x0, v0, k, c]); loss Σₜ (xₜ − targetₜ)² + 0.1 vₜ².

export function trajectoryRows(p: Float64Array, target: Float64Array, dt: number): number {
  const states: number[][] = [];
  let x = p[0]!;
  let v = p[1]!;
  for (let t = 0; t < target.length; t++) {
    states.push([x, v]);
    const a = -p[2]! * x - p[3]! * v;
    x += dt * v;
    v += dt * a;
  }
  let loss = 0;
  for (let t = 0; t < states.length; t++) loss += (states[t]![0]! - target[t]!) ** 2 + 0.1 * states[t]![1]! ** 2;
  return loss;
}

export function trajectoryFlat(p: Float64Array, target: Float64Array, dt: number): number {
  const T = target.length;
  const states = new Float64Array(2 * T);
  let x = p[0]!;
  let v = p[1]!;
  for (let t = 0; t < T; t++) {
    states[2 * t] = x;
    states[2 * t + 1] = v;
    const a = -p[2]! * x - p[3]! * v;
    x += dt * v;
    v += dt * a;
  }
  let loss = 0;
  for (let t = 0; t < T; t++) loss += (states[2 * t]! - target[t]!) ** 2 + 0.1 * states[2 * t + 1]! ** 2;
  return loss;
}

export const trajectoryRowsGrad = grad(trajectoryRows);
export const trajectoryFlatGrad = grad(trajectoryFlat);

// ---------------------------------------------------------------------------
// (b) Ragged sections of scores, curved by h = [a, b] (s ↦ a·s + b·s²), each
// section's mean held to its target: Σᵢ (mean(curvedᵢ) − targetᵢ)².

const curveAt = (s: number, h: Float64Array): number => h[0]! * s + h[1]! * s * s;

export function sectionsRagged(h: Float64Array, sections: number[][], targets: Float64Array): number {
  const curved = sections.map((scores) => scores.map((s) => curveAt(s, h)));
  let loss = 0;
  for (let i = 0; i < curved.length; i++) {
    const row = curved[i]!;
    let sum = 0;
    for (let j = 0; j < row.length; j++) sum += row[j]!;
    loss += (sum / row.length - targets[i]!) ** 2;
  }
  return loss;
}

export function sectionsFlat(h: Float64Array, sections: number[][], targets: Float64Array): number {
  let loss = 0;
  for (let i = 0; i < sections.length; i++) {
    const scores = sections[i]!;
    let sum = 0;
    for (let j = 0; j < scores.length; j++) sum += h[0]! * scores[j]! + h[1]! * scores[j]! * scores[j]!;
    loss += (sum / scores.length - targets[i]!) ** 2;
  }
  return loss;
}

export const sectionsRaggedGrad = grad(sectionsRagged);
export const sectionsFlatGrad = grad(sectionsFlat);

// ---------------------------------------------------------------------------
// (c) Duct sizing: one duct per branch, each a class instance holding its
// diameter and its branch record (a string name, airflow and length); the
// cost Σ ρv²/2 · (f·L/D) + metal, w.r.t. the diameters.

export interface Branch {
  readonly name: string;
  readonly airflow: number;
  readonly length: number;
}

class Duct {
  constructor(
    readonly diameter: number,
    readonly branch: Branch,
  ) {}

  get velocity(): number {
    return this.branch.airflow / ((Math.PI * this.diameter ** 2) / 4);
  }

  pressureDrop(): number {
    return 0.5 * 1.2 * this.velocity ** 2 * ((0.02 * this.branch.length) / this.diameter);
  }

  get surface(): number {
    return Math.PI * this.diameter * this.branch.length;
  }
}

export function ductsInstances(diameters: Float64Array, branches: readonly Branch[]): number {
  const ducts = branches.map((b, i) => new Duct(diameters[i]!, b));
  let cost = 0;
  for (const d of ducts) cost += d.pressureDrop() + 3 * d.surface;
  return cost;
}

export function ductsFlat(diameters: Float64Array, branches: readonly Branch[]): number {
  let cost = 0;
  for (let i = 0; i < branches.length; i++) {
    const D = diameters[i]!;
    const velocity = branches[i]!.airflow / ((Math.PI * D ** 2) / 4);
    cost += 0.5 * 1.2 * velocity ** 2 * ((0.02 * branches[i]!.length) / D) + 3 * Math.PI * D * branches[i]!.length;
  }
  return cost;
}

export const ductsInstancesGrad = grad(ductsInstances);
export const ductsFlatGrad = grad(ductsFlat);
