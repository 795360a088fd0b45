// A home battery's hourly schedule against a tiered, time-of-use electricity
// tariff with a feed-in price. The tier of each hour's import is looked up
// with findIndex on the tier table; the schedule is penalised for leaving the
// battery's state-of-charge window (a smooth barrier) and for cycling.
import { grad, valueAndGrad } from "tsgrad";

interface Tier {
  upToKwh: number;
  pricePerKwh: number;
}

enum Period {
  OffPeak,
  Shoulder,
  Peak,
}

const TIERS: readonly Tier[] = [
  { upToKwh: 1, pricePerKwh: 0.18 },
  { upToKwh: 3, pricePerKwh: 0.24 },
  { upToKwh: Infinity, pricePerKwh: 0.31 },
];

const PERIOD_MULTIPLIER: Record<Period, number> = {
  [Period.OffPeak]: 0.7,
  [Period.Shoulder]: 1.0,
  [Period.Peak]: 1.6,
};

const FEED_IN_PER_KWH = 0.06;

export const BATTERY = {
  capacityKwh: 10,
  minSoc: 0.1,
  maxSoc: 0.95,
  roundTrip: 0.9,
};

function periodOf(hour: number): Period {
  if (hour >= 17 && hour < 21) return Period.Peak;
  if (hour >= 7 && hour < 17) return Period.Shoulder;
  return Period.OffPeak;
}

const softplus = (x: number, sharpness = 8): number => Math.log1p(Math.exp(sharpness * x)) / sharpness;

function importCost(kwh: number, period: Period): number {
  const tier = TIERS.findIndex((t) => kwh <= t.upToKwh);
  const price = TIERS[tier === -1 ? TIERS.length - 1 : tier].pricePerKwh;
  return kwh * price * PERIOD_MULTIPLIER[period];
}

/** discharge[h] > 0 runs the house from the battery, < 0 charges it. */
export function dailyBill(discharge: number[], demand: number[], solar: number[], startSoc = 0.5): number {
  let soc = startSoc;
  let bill = 0;
  discharge.forEach((d, hour) => {
    const net = demand[hour] - solar[hour] - d;
    const imported = softplus(net);
    const exported = softplus(-net);
    bill += importCost(imported, periodOf(hour)) - FEED_IN_PER_KWH * exported;
    const efficiency = d > 0 ? 1 / Math.sqrt(BATTERY.roundTrip) : Math.sqrt(BATTERY.roundTrip);
    soc -= (d * efficiency) / BATTERY.capacityKwh;
    bill += 5 * (softplus(BATTERY.minSoc - soc) + softplus(soc - BATTERY.maxSoc)) + 0.01 * d * d;
  });
  return bill;
}

export const dSchedule = grad(dailyBill);
export const billAndGrad = valueAndGrad(dailyBill);

const DEMAND = Array.from({ length: 24 }, (_, h) => 0.4 + 0.3 * Math.sin((Math.PI * (h - 6)) / 12) ** 2 + (h >= 17 && h < 21 ? 1.2 : 0));
const SOLAR = Array.from({ length: 24 }, (_, h) => Math.max(0, 2.5 * Math.sin((Math.PI * (h - 6)) / 13)));
const SCHEDULE = Array.from({ length: 24 }, (_, h) => (h >= 17 && h < 21 ? 0.9 : h >= 10 && h < 14 ? -0.8 : 0.05));

export const cases = [
  { f: dailyBill, df: dSchedule, args: [SCHEDULE, DEMAND, SOLAR] },
  { f: dailyBill, df: billAndGrad, args: [SCHEDULE.map((d) => 0.5 * d + 0.01), DEMAND, SOLAR, 0.3], withValue: true },
];
