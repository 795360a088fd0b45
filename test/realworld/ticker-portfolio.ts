// Mean-variance portfolio over a fixed set of tickers: weights are a
// Record<Ticker, number>, returns a Record<Ticker, number[]> of daily returns.
import { grad } from "tsgrad";

export type Ticker = "AAPL" | "MSFT" | "NVDA" | "XOM";
export type Weights = Record<Ticker, number>;

const TICKERS: readonly Ticker[] = ["AAPL", "MSFT", "NVDA", "XOM"];

const DAILY_RETURNS: Record<Ticker, number[]> = {
  AAPL: [0.012, -0.004, 0.007, 0.001, -0.009, 0.015],
  MSFT: [0.008, 0.002, -0.003, 0.006, -0.001, 0.009],
  NVDA: [0.031, -0.021, 0.018, 0.012, -0.027, 0.035],
  XOM: [-0.002, 0.006, 0.004, -0.005, 0.007, -0.001],
};

const RISK_AVERSION = 4;
const BUDGET_PENALTY = 10;

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function portfolioReturns(weights: Weights): number[] {
  const days = DAILY_RETURNS.AAPL.length;
  return Array.from({ length: days }, (_, d) => TICKERS.reduce((r, t) => r + weights[t] * DAILY_RETURNS[t][d], 0));
}

export function negativeUtility(weights: Weights): number {
  const returns = portfolioReturns(weights);
  const mu = mean(returns);
  const variance = mean(returns.map((r) => (r - mu) ** 2));
  const invested = Object.values(weights).reduce((a, b) => a + b, 0);
  return -mu + RISK_AVERSION * variance + BUDGET_PENALTY * (invested - 1) ** 2;
}

export const dUtility = grad(negativeUtility);

const weights: Weights = { AAPL: 0.3, MSFT: 0.3, NVDA: 0.15, XOM: 0.2 };

export const cases = [{ f: negativeUtility, df: dUtility, args: [weights] }];
