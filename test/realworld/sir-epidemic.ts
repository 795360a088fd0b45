// Fit an SIR epidemic model to weekly case counts; the compartments are a
// record replaced each step with object spread.
import { grad } from "tsgrad";

export interface SirParams {
  beta: number;
  gamma: number;
}

interface Compartments {
  s: number;
  i: number;
  r: number;
}

const OBSERVED_INFECTED = [0.01, 0.018, 0.031, 0.05, 0.072, 0.09, 0.095, 0.085];

function simulate({ beta, gamma }: SirParams, weeks: number, substeps = 7): Compartments[] {
  let state: Compartments = { s: 0.99, i: 0.01, r: 0 };
  const trajectory = [state];
  const dt = 1 / substeps;
  for (let w = 1; w < weeks; w++) {
    for (let k = 0; k < substeps; k++) {
      const infections = beta * state.s * state.i * dt;
      const recoveries = gamma * state.i * dt;
      state = {
        ...state,
        s: state.s - infections,
        i: state.i + infections - recoveries,
        r: state.r + recoveries,
      };
    }
    trajectory.push(state);
  }
  return trajectory;
}

export function sirLoss(params: SirParams): number {
  const trajectory = simulate(params, OBSERVED_INFECTED.length);
  return trajectory.reduce((loss, { i }, week) => loss + (i - OBSERVED_INFECTED[week]) ** 2, 0) * 1e4;
}

export const dSir = grad(sirLoss);

export const cases = [{ f: sirLoss, df: dSir, args: [{ beta: 0.9, gamma: 0.35 }] }];
