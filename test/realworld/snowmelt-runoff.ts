// Hydrology: a degree-day snowmelt model feeding two linear reservoirs (fast
// surface flow, slow baseflow), run day by day over a spring record of air
// temperature and precipitation, calibrated to observed river discharge with
// the Nash–Sutcliffe efficiency.
import { grad } from "tsgrad";

export interface Catchment {
  meltFactor: number; // mm per degree-day
  fastK: number; // 1/day
  slowK: number; // 1/day
  split: number; // fraction of water routed to the fast store
}

type Day = [tempC: number, precipMm: number, observedM3s: number];

interface Stores {
  snow: number;
  fast: number;
  slow: number;
}

const AREA_KM2 = 42;
const MM_PER_DAY_TO_M3S = (AREA_KM2 * 1e6) / 1000 / 86400;
const THRESHOLD_C = 0.5;

const partition = (tempC: number, precip: number): { rain: number; snowfall: number } =>
  tempC > THRESHOLD_C ? { rain: precip, snowfall: 0 } : { rain: 0, snowfall: precip };

function step(stores: Stores, [tempC, precip]: Day, c: Catchment): [Stores, number] {
  const { rain, snowfall } = partition(tempC, precip);
  const potential = Math.max(tempC - THRESHOLD_C, 0) * c.meltFactor;
  const snowNow = stores.snow + snowfall;
  const melt = Math.min(potential, snowNow);
  const input = melt + rain;
  const fastOut = c.fastK * stores.fast;
  const slowOut = c.slowK * stores.slow;
  const next: Stores = {
    snow: snowNow - melt,
    fast: stores.fast + c.split * input - fastOut,
    slow: stores.slow + (1 - c.split) * input - slowOut,
  };
  return [next, (fastOut + slowOut) * MM_PER_DAY_TO_M3S];
}

export function simulate(c: Catchment, days: Day[], initialSnowMm = 180): number[] {
  let stores: Stores = { snow: initialSnowMm, fast: 2, slow: 30 };
  const flows: number[] = [];
  for (const day of days) {
    const [next, q] = step(stores, day, c);
    flows.push(q);
    stores = next;
  }
  return flows;
}

/** 1 - NSE: zero for a perfect fit, 1 for a model no better than the mean. */
export function nseLoss(c: Catchment, days: Day[]): number {
  const simulated = simulate(c, days);
  const observed = days.map(([, , q]) => q);
  const mean = observed.reduce((s, q) => s + q, 0) / observed.length;
  let num = 0;
  let den = 0;
  observed.forEach((q, i) => {
    num += (simulated[i] - q) ** 2;
    den += (q - mean) ** 2;
  });
  return num / den;
}

export const dCatchment = grad(nseLoss);

const SPRING: Day[] = [
  [-3.1, 4, 0.9],
  [-1.2, 0, 0.85],
  [1.8, 2, 1.1],
  [4.2, 0, 1.9],
  [6.5, 0, 2.8],
  [7.9, 6, 3.9],
  [3.0, 12, 4.1],
  [-0.4, 3, 3.2],
  [5.6, 0, 3.5],
  [9.1, 0, 4.6],
  [10.4, 1, 5.0],
  [8.2, 0, 4.2],
];

export const cases = [
  { f: nseLoss, df: dCatchment, args: [{ meltFactor: 3.2, fastK: 0.35, slowK: 0.04, split: 0.6 }, SPRING] },
  { f: nseLoss, df: dCatchment, args: [{ meltFactor: 4.5, fastK: 0.5, slowK: 0.02, split: 0.45 }, SPRING] },
];
