// Shipping cost of an order book: per-zone rates are the parameters, orders
// are records, surcharges apply to listed zones; the cheapest carrier quote
// per order is taken with Math.min over a mapped list of quotes.
import { grad } from "tsgrad";

interface Order {
  zone: number;
  kg: number;
  express: boolean;
}

const ORDERS: readonly Order[] = [
  { zone: 0, kg: 2.5, express: false },
  { zone: 2, kg: 0.8, express: true },
  { zone: 1, kg: 12, express: false },
  { zone: 3, kg: 4.2, express: true },
  { zone: 2, kg: 7.5, express: false },
];

const REMOTE_ZONES = [2, 3];
const CARRIER_FACTORS = [1.0, 0.92, 1.07];

export function shippingCost(zoneRates: number[], expressFee: number): number {
  return ORDERS.reduce((total, { zone, kg, express }) => {
    const base = zoneRates[zone] * Math.sqrt(kg);
    const remote = REMOTE_ZONES.includes(zone) ? 1.15 : 1;
    const cheapest = Math.min(...CARRIER_FACTORS.map((f) => f * base * remote));
    return total + cheapest + (express ? expressFee : 0);
  }, 0);
}

export const dShipping = grad(shippingCost, [0, 1]);

export const cases = [{ f: shippingCost, df: dShipping, args: [[4, 5.5, 7, 9.5], 6], wrt: [0, 1] }];
