import { grad, jvp } from "tsgrad";

export function skill(ratings: Record<string, number>, a: string, b: string): number {
  let prior = 0;
  for (const [, r] of Object.entries(ratings)) prior += 0.001 * (r - 1500) ** 2;
  const gap = (ratings[a] ?? 1500) - (b in ratings ? ratings[b] : 1500);
  return Math.log1p(Math.exp(-gap / 100)) + prior;
}

export const dSkill = grad(skill);

export function basketCost(prices: Map<string, number>, basket: readonly string[], discount: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const item of basket) total += (prices.get(item) ?? 10) * (1 - (discount.get(item) ?? 0));
  for (const [name, p] of prices) if (discount.has(name)) total += 0.01 * p * p;
  for (const p of prices.values()) total += 0.001 * p ** 3;
  return total / prices.size;
}

export const dBasket = grad(basketCost);
export const dBasketBoth = grad(basketCost, [0, 2]);

interface Game {
  winner: string;
  loser: string;
}

export function season(initial: { [name: string]: number }, k: number, games: readonly Game[]): number {
  const r = { ...initial };
  for (const { winner, loser } of games) {
    const expected = 1 / (1 + 10 ** ((r[loser] - r[winner]) / 400));
    r[winner] += k * (1 - expected);
    r[loser] -= k * (1 - expected);
  }
  let loss = 0;
  for (const name in r) loss += (r[name] - 1500) ** 2 / 100;
  return loss;
}

export const dSeason = grad(season, [0, 1]);

export function energy(r: Record<string, number>, k: string): number {
  let s = 0;
  for (const v of Object.values(r)) s += v * v;
  return (r[k] ?? 0) ** 2 + s;
}

export const energyJvp = jvp(energy);

export function spreadOfValues(scores: Record<string, number>): number {
  const top = Math.max(...Object.values(scores));
  return Object.values(scores).reduce((acc, s) => acc + Math.exp(s - top), 0) + top;
}

export const dSpreadOfValues = grad(spreadOfValues);

export function phases(r: Record<string, number>, k: number): number {
  let s = 0;
  for (const name in r) s += Math.sin(k * r[name]);
  return s;
}

/** d/dr of d/dk: a second derivative with respect to the record. */
export const dPhasesMixed = grad(grad(phases, 1));

/** A record of Float64Array rows keyed by id, read by key and walked. */
export function rowEnergy(rows: Record<string, Float64Array>, id: string): number {
  let e = 0;
  for (const key of Object.keys(rows)) e += rows[key]![0]! * rows[id]![1]!;
  return e;
}

export const dRowEnergy = grad(rowEnergy);
