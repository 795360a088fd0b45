// Passive neuron cable: membrane voltage along a dendrite integrated with an
// explicit scheme into a new array each step, recorded at a probe with push;
// the loss fits the recorded trace. Conductance and capacitance are fitted.
import { grad } from "tsgrad";

const SEGMENTS = 16;
const STEPS = 60;
const DT = 0.02;

function injected(t: number): number {
  return t < 0.4 ? 1 : 0;
}

function step(v: number[], conductance: number, capacitance: number, t: number): number[] {
  const next: number[] = [];
  for (let i = 0; i < v.length; i++) {
    const left = i > 0 ? v[i - 1] : v[i];
    const right = i < v.length - 1 ? v[i + 1] : v[i];
    const axial = conductance * (left - 2 * v[i] + right);
    const source = i === 0 ? injected(t) : 0;
    next.push(v[i] + (DT / capacitance) * (axial - 0.1 * v[i] + source));
  }
  return next;
}

export function traceLoss(conductance: number, capacitance: number, target: number[]): number {
  let voltage = new Array<number>(SEGMENTS).fill(0);
  const recorded: number[] = [];
  for (let k = 0; k < STEPS; k++) {
    voltage = step(voltage, conductance, capacitance, k * DT);
    if (k % 10 === 9) recorded.push(voltage[SEGMENTS / 2]);
  }
  let loss = 0;
  for (let j = 0; j < recorded.length; j++) loss += (recorded[j] - target[j]) ** 2;
  return loss;
}

export const dTrace = grad(traceLoss, [0, 1]);

export const cases = [{ f: traceLoss, df: dTrace, args: [2.5, 1.2, [0.001, 0.004, 0.008, 0.01, 0.011, 0.011]], wrt: [0, 1] }];
