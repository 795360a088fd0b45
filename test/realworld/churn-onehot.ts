// Customer churn as logistic regression over records with categorical string
// fields: plans and regions become one-hot columns through lookup tables, the
// numeric fields are standardised, the weights are a record.
import { valueAndGrad } from "tsgrad";

type Plan = "free" | "basic" | "pro";
type Region = "eu" | "us" | "apac";

interface Customer {
  plan: Plan;
  region: Region;
  tenureMonths: number;
  ticketsLastMonth: number;
  churned: boolean;
}

export interface Weights {
  coef: number[];
  intercept: number;
}

const PLAN_COLUMN: Record<Plan, number> = { free: 0, basic: 1, pro: 2 };
const REGION_COLUMN: Record<Region, number> = { eu: 3, us: 4, apac: 5 };
const N_FEATURES = 8;
const TENURE_SCALE = 24;

const CUSTOMERS: Customer[] = [
  { plan: "free", region: "eu", tenureMonths: 2, ticketsLastMonth: 3, churned: true },
  { plan: "pro", region: "us", tenureMonths: 30, ticketsLastMonth: 0, churned: false },
  { plan: "basic", region: "apac", tenureMonths: 12, ticketsLastMonth: 1, churned: false },
  { plan: "free", region: "us", tenureMonths: 5, ticketsLastMonth: 4, churned: true },
  { plan: "basic", region: "eu", tenureMonths: 8, ticketsLastMonth: 2, churned: true },
  { plan: "pro", region: "apac", tenureMonths: 40, ticketsLastMonth: 1, churned: false },
];

function featurize(c: Customer): number[] {
  const x = new Array<number>(N_FEATURES).fill(0);
  x[PLAN_COLUMN[c.plan]] = 1;
  x[REGION_COLUMN[c.region]] = 1;
  x[6] = c.tenureMonths / TENURE_SCALE;
  x[7] = Math.log1p(c.ticketsLastMonth);
  return x;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function churnLoss(w: Weights, customers: Customer[] = CUSTOMERS, l2 = 0.1): number {
  let nll = 0;
  customers.forEach((customer) => {
    const x = featurize(customer);
    const z = x.reduce((s, xi, j) => s + xi * w.coef[j], w.intercept);
    const p = sigmoid(z);
    nll -= customer.churned ? Math.log(p) : Math.log(1 - p);
  });
  const penalty = w.coef.reduce((s, c) => s + c * c, 0);
  return nll / customers.length + l2 * penalty;
}

export const churnLossAndGrad = valueAndGrad(churnLoss);

const weights: Weights = { coef: [0.5, -0.1, -0.6, 0.1, -0.2, 0.05, -0.8, 0.7], intercept: 0.1 };

export const cases = [{ f: churnLoss, df: churnLossAndGrad, args: [weights], withValue: true }];
