// Routing customers across service desks modelled as M/M/1 queues: the share
// of arrivals each desk gets is a softmax of routing logits, and the cost is
// the expected waiting time of everyone plus a penalty near saturation.
import { grad } from "tsgrad";

interface Desk {
  name: string;
  serviceRate: number; // customers per hour
  hourlyCost: number;
}

const DESKS: Desk[] = [
  { name: "front", serviceRate: 30, hourlyCost: 40 },
  { name: "express", serviceRate: 45, hourlyCost: 55 },
  { name: "back-office", serviceRate: 20, hourlyCost: 30 },
];

const ARRIVALS_PER_HOUR = 60;
const COST_OF_WAITING = 25; // per customer-hour

type Metrics = { utilization: number; waitHours: number };

function mm1(arrivalRate: number, serviceRate: number): Metrics {
  const utilization = arrivalRate / serviceRate;
  if (utilization >= 1) throw new Error(`desk saturated: utilization ${utilization.toFixed(2)}`);
  // Expected time in queue, Wq = rho / (mu - lambda).
  return { utilization, waitHours: utilization / (serviceRate - arrivalRate) };
}

function shares(logits: number[]): number[] {
  const exps = logits.map(Math.exp);
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

export function hourlyCost(logits: number[], arrivals = ARRIVALS_PER_HOUR): number {
  const split = shares(logits);
  let cost = 0;
  DESKS.forEach((desk, k) => {
    const lambda = arrivals * split[k];
    const { utilization, waitHours } = mm1(lambda, desk.serviceRate);
    cost += COST_OF_WAITING * lambda * waitHours + desk.hourlyCost * utilization;
  });
  return cost;
}

export const dCost = grad(hourlyCost);

export const cases = [{ f: hourlyCost, df: dCost, args: [[0.1, 0.5, -0.4]] }];
