// Net present value of a project's cash flows under a flat discount rate,
// and its sensitivity to the rate (the usual "what if rates move" question).
import { grad } from "tsgrad";

export function npv(rate: number, cashflows: number[]): number {
  let value = 0;
  for (let t = 0; t < cashflows.length; t++) {
    value += cashflows[t] / Math.pow(1 + rate, t);
  }
  return value;
}

export const dNpv = grad(npv);
export const dNpvFlows = grad(npv, 1);

const flows = [-1000, 300, 420, 380, 250];

export const cases = [
  { f: npv, df: dNpv, args: [0.08, flows] },
  { f: npv, df: dNpvFlows, args: [0.08, flows], wrt: 1 },
];
