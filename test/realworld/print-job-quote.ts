// Print shop: quoting a batch of print jobs. Each job is a record with its
// paper stock and finish (string unions) next to the numbers the quote is
// tuned on (an ink coverage per job). The shop's pricing knobs — a markup, a
// coverage-to-ink factor and a rush surcharge — are fitted to last month's
// invoiced totals by least squares.
import { grad } from "tsgrad";

type Stock = "matte" | "gloss" | "recycled";
type Finish = "none" | "laminate" | "foil";

interface Job {
  stock: Stock;
  finish: Finish;
  rush: boolean;
  sheets: number;
  coverage: number;
}

export interface Pricing {
  markup: number;
  inkPerCoverage: number;
  rushSurcharge: number;
}

const STOCK_COST: Record<Stock, number> = {
  matte: 0.04,
  gloss: 0.06,
  recycled: 0.035,
};

function finishCost(finish: Finish, sheets: number): number {
  switch (finish) {
    case "none":
      return 0;
    case "laminate":
      return 0.02 * sheets;
    case "foil":
      return 15 + 0.05 * sheets;
  }
}

function quote(
  job: Job,
  { markup, inkPerCoverage, rushSurcharge }: Pricing,
): number {
  const paper = STOCK_COST[job.stock] * job.sheets;
  const ink = inkPerCoverage * job.coverage * job.sheets;
  const base =
    (paper + ink + finishCost(job.finish, job.sheets)) * (1 + markup);
  return job.rush ? base * (1 + rushSurcharge) : base;
}

export function fitError(
  pricing: Pricing,
  stocks: Stock[],
  finishes: Finish[],
  sheets: number[],
  coverages: number[],
  invoiced: number[],
): number {
  const jobs = stocks.map((stock, i): Job => ({
    stock,
    finish: finishes[i],
    rush: sheets[i] > 400,
    sheets: sheets[i],
    coverage: coverages[i],
  }));
  let error = 0;
  jobs.forEach((job, i) => {
    const residual = quote(job, pricing) - invoiced[i];
    error += residual * residual;
  });
  return error / jobs.length;
}

export const dPricing = grad(fitError);

export const cases = [
  {
    f: fitError,
    df: dPricing,
    args: [
      { markup: 0.35, inkPerCoverage: 0.08, rushSurcharge: 0.25 },
      ["matte", "gloss", "recycled", "gloss"],
      ["none", "laminate", "foil", "none"],
      [250, 500, 120, 800],
      [0.3, 0.6, 0.15, 0.45],
      [25, 90, 28, 150],
    ],
  },
];
