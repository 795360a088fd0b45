// Monte-Carlo price of an arithmetic-average Asian call under geometric
// Brownian motion, with pathwise Greeks: delta and vega come from the gradient
// with respect to the market record. The paths use a small seeded PRNG class
// (mulberry32 with Box–Muller) so that the price is a deterministic function of
// the market, as common random numbers require.
import { grad } from "tsgrad";

class Mulberry32 {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  gaussian(): number {
    const u = 1 - this.next(); // (0, 1]
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

export interface Market {
  spot: number;
  volatility: number;
  rate: number;
}

export interface AsianContract {
  readonly strike: number;
  readonly maturity: number;
  readonly fixings: number;
}

// A smooth call payoff (softplus with a small width) so that the pathwise
// derivative is well defined on every path.
const smoothCall = (average: number, strike: number, width = 0.5): number =>
  width * Math.log1p(Math.exp((average - strike) / width));

export function asianPrice(market: Market, contract: AsianContract, paths = 200, seed = 42): number {
  const { spot, volatility, rate } = market;
  const { strike, maturity, fixings } = contract;
  const dt = maturity / fixings;
  const drift = (rate - 0.5 * volatility ** 2) * dt;
  const diffusion = volatility * Math.sqrt(dt);
  const rng = new Mulberry32(seed);
  let total = 0;
  for (let p = 0; p < paths; p++) {
    let s = spot;
    let sum = 0;
    for (let k = 0; k < fixings; k++) {
      s *= Math.exp(drift + diffusion * rng.gaussian());
      sum += s;
    }
    total += smoothCall(sum / fixings, strike);
  }
  return (Math.exp(-rate * maturity) * total) / paths;
}

export const greeks = grad(asianPrice);

const MARKET: Market = { spot: 100, volatility: 0.25, rate: 0.03 };
const CONTRACT: AsianContract = { strike: 100, maturity: 1, fixings: 12 };

export const cases = [
  { f: asianPrice, df: greeks, args: [MARKET, CONTRACT] },
  { f: asianPrice, df: greeks, args: [{ spot: 95, volatility: 0.4, rate: 0.01 }, CONTRACT, 100, 7] },
];
