// Mean-variance allocation over a universe of assets kept in a Map by ticker.
// Weights are a softmax of per-ticker scores (long only, fully invested);
// correlation comes from sectors, and the objective is risk-adjusted return
// minus a turnover penalty against the current holdings.
import { grad } from "tsgrad";

type Sector = "tech" | "energy" | "health" | "bonds";

export interface Asset {
  readonly expectedReturn: number;
  readonly volatility: number;
  readonly sector: Sector;
}

export interface Preferences {
  readonly riskAversion: number;
  readonly turnoverCost: number;
}

const SAME_SECTOR = 0.6;
const CROSS_SECTOR = 0.15;

function correlation(a: Asset, b: Asset): number {
  if (a === b) return 1;
  return a.sector === b.sector ? SAME_SECTOR : CROSS_SECTOR;
}

function softmaxWeights(scores: Map<string, number>): Map<string, number> {
  const max = Math.max(...scores.values());
  let total = 0;
  for (const s of scores.values()) total += Math.exp(s - max);
  const weights = new Map<string, number>();
  for (const [ticker, s] of scores) weights.set(ticker, Math.exp(s - max) / total);
  return weights;
}

export function negativeUtility(
  scores: Map<string, number>,
  universe: ReadonlyMap<string, Asset>,
  holdings: Readonly<Record<string, number>>,
  { riskAversion, turnoverCost }: Preferences = { riskAversion: 3, turnoverCost: 0.01 },
): number {
  const weights = softmaxWeights(scores);
  let expected = 0;
  let variance = 0;
  for (const [ticker, w] of weights) {
    const asset = universe.get(ticker);
    if (!asset) throw new Error(`unknown ticker ${ticker}`);
    expected += w * asset.expectedReturn;
    for (const [other, v] of weights) {
      const b = universe.get(other)!;
      variance += w * v * correlation(asset, b) * asset.volatility * b.volatility;
    }
  }
  const turnover = [...weights].reduce((sum, [ticker, w]) => sum + ((w - (holdings[ticker] ?? 0)) ** 2 + 1e-8) ** 0.5, 0);
  return -(expected - (riskAversion / 2) * variance) + turnoverCost * turnover;
}

export const dNegativeUtility = grad(negativeUtility);

const UNIVERSE = new Map<string, Asset>([
  ["ACME", { expectedReturn: 0.09, volatility: 0.25, sector: "tech" }],
  ["GLOBO", { expectedReturn: 0.07, volatility: 0.2, sector: "tech" }],
  ["PETRO", { expectedReturn: 0.06, volatility: 0.3, sector: "energy" }],
  ["MEDIX", { expectedReturn: 0.05, volatility: 0.15, sector: "health" }],
  ["TBOND", { expectedReturn: 0.02, volatility: 0.05, sector: "bonds" }],
]);

const SCORES = new Map<string, number>([
  ["ACME", 0.3],
  ["GLOBO", 0.1],
  ["PETRO", -0.2],
  ["MEDIX", 0.05],
  ["TBOND", 0.4],
]);

const HOLDINGS = { ACME: 0.3, PETRO: 0.1, TBOND: 0.5 };

export const cases = [
  { f: negativeUtility, df: dNegativeUtility, args: [SCORES, UNIVERSE, HOLDINGS] },
  {
    f: negativeUtility,
    df: dNegativeUtility,
    args: [SCORES, UNIVERSE, HOLDINGS, { riskAversion: 8, turnoverCost: 0.05 }],
  },
];
