// Price of a fixed-coupon bond from a config object with an optional payment
// frequency; duration-style sensitivities come from the gradient w.r.t. yield.
import { grad } from "tsgrad";

export interface BondConfig {
  face: number;
  couponRate: number;
  years: number;
  frequency?: number; // payments per year, 2 if absent
}

export function bondPrice(yieldRate: number, config: BondConfig): number {
  const { face, couponRate, years, frequency = 2 } = config;
  const periods = Math.round(years * frequency);
  const coupon = (face * couponRate) / frequency;
  const perPeriod = yieldRate / frequency;
  const cashflows = Array.from({ length: periods }, (_, k) => (k === periods - 1 ? coupon + face : coupon));
  return cashflows.reduce((pv, cf, k) => pv + cf / (1 + perPeriod) ** (k + 1), 0);
}

export const dBondPrice = grad(bondPrice);

export const cases = [
  {
    f: bondPrice,
    df: dBondPrice,
    args: [0.045, { face: 1000, couponRate: 0.05, years: 5 }],
  },
  {
    f: bondPrice,
    df: dBondPrice,
    args: [0.03, { face: 100, couponRate: 0.04, years: 3, frequency: 4 }],
  },
];
