// Quarterly budget by department: each department's spend buys output with
// diminishing returns, headcount costs are fixed, and overspending the total
// cap is penalised. The planner tunes the spend per department with the
// gradient of the net value.
import { valueAndGrad } from "tsgrad";

export type Department = "engineering" | "marketing" | "support" | "operations";

export type Budget = Record<Department, number>;

interface DepartmentModel {
  productivity: number;
  halfSaturation: number;
}

const MODELS: Record<Department, DepartmentModel> = {
  engineering: { productivity: 3.2, halfSaturation: 400 },
  marketing: { productivity: 2.1, halfSaturation: 250 },
  support: { productivity: 1.4, halfSaturation: 120 },
  operations: { productivity: 1.1, halfSaturation: 90 },
};

const FIXED_COSTS: Partial<Record<Department, number>> = { engineering: 120, support: 35 };

const CAP = 1000;

function output(dept: Department, spend: number): number {
  const { productivity, halfSaturation } = MODELS[dept];
  return (productivity * spend * halfSaturation) / (halfSaturation + spend);
}

export function netValue(budget: Budget, cap: number = CAP): number {
  let value = 0;
  let spent = 0;
  for (const [dept, spend] of Object.entries(budget) as [Department, number][]) {
    value += output(dept, spend);
    spent += spend + (FIXED_COSTS[dept] ?? 0);
  }
  const over = Math.max(0, spent - cap);
  return value - spent - 0.05 * over * over;
}

export const planStep = valueAndGrad(netValue);

export const cases = [
  { f: netValue, df: planStep, withValue: true, args: [{ engineering: 420, marketing: 260, support: 110, operations: 80 }] },
  { f: netValue, df: planStep, withValue: true, args: [{ engineering: 300, marketing: 150, support: 60, operations: 40 }, 600] },
];
