// From test/realworld/tweedie-pricing.ts: a record of numbers keyed by a
// string union, read with a computed key. Refused; the message named no
// construct ("this value is not an array of numbers").
import { grad } from "tsgrad";

type Territory = "urban" | "rural";

interface Model {
  base: number;
  territoryLog: Record<Territory, number>;
}

export function premium(model: Model, territory: Territory): number {
  return Math.exp(model.base + model.territoryLog[territory]);
}

export const dModel = grad(premium);
