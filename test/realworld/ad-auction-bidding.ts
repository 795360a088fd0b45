// Bid shading for a display-ad campaign. Each audience segment gets a bid
// multiplier on a base bid; the chance of winning an impression is logistic in
// how far the bid sits above the typical competing bid, and what we pay
// depends on the auction format. The objective is expected value minus spend,
// with a soft penalty for going over the daily budget.
import { grad } from "tsgrad";

export type AuctionFormat = "first-price" | "second-price";

export interface Segment {
  readonly id: string;
  readonly impressions: number; // available per day
  readonly conversionRate: number;
  readonly valuePerConversion: number;
  readonly competingBid: number; // median competing CPM, in $ per impression
  readonly spread: number; // how sharp the win curve is
}

export interface Campaign {
  baseBid: number;
  dailyBudget: number;
  format: AuctionFormat;
  budgetPenalty?: number;
}

const softplus = (x: number): number => (x > 30 ? x : Math.log1p(Math.exp(x)));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function segmentOutcome(bid: number, seg: Segment, format: AuctionFormat): { wins: number; spend: number } {
  const winRate = sigmoid((bid - seg.competingBid) / seg.spread);
  const wins = seg.impressions * winRate;
  // second price: we pay roughly the competing bid, never more than our own
  const price = format === "first-price" ? bid : Math.min(bid, seg.competingBid);
  return { wins, spend: wins * price };
}

export function negativeProfit(multipliers: number[], segments: Segment[], campaign: Campaign): number {
  const { baseBid, dailyBudget, format, budgetPenalty = 5 } = campaign;
  let value = 0;
  let spend = 0;
  segments.forEach((seg, i) => {
    const outcome = segmentOutcome(baseBid * multipliers[i], seg, format);
    value += outcome.wins * seg.conversionRate * seg.valuePerConversion;
    spend += outcome.spend;
  });
  const overBudget = softplus((spend - dailyBudget) / 10) * 10;
  return -(value - spend) + budgetPenalty * overBudget;
}

export const dMultipliers = grad(negativeProfit);

const SEGMENTS: Segment[] = [
  {
    id: "returning",
    impressions: 20000,
    conversionRate: 0.004,
    valuePerConversion: 45,
    competingBid: 0.006,
    spread: 0.0015,
  },
  {
    id: "lookalike",
    impressions: 50000,
    conversionRate: 0.0015,
    valuePerConversion: 45,
    competingBid: 0.004,
    spread: 0.001,
  },
  {
    id: "broad",
    impressions: 120000,
    conversionRate: 0.0004,
    valuePerConversion: 40,
    competingBid: 0.003,
    spread: 0.0008,
  },
];

export const cases = [
  {
    f: negativeProfit,
    df: dMultipliers,
    args: [[1.4, 1.1, 0.8], SEGMENTS, { baseBid: 0.005, dailyBudget: 300, format: "first-price" }],
  },
  {
    f: negativeProfit,
    df: dMultipliers,
    // second price, with every bid away from the competing bid (min's kink)
    args: [[1.5, 0.7, 1.3], SEGMENTS, { baseBid: 0.005, dailyBudget: 150, format: "second-price", budgetPenalty: 2 }],
  },
];
