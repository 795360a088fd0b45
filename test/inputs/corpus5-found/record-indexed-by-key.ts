// From test/realworld/tweedie-pricing.ts: a record of numbers keyed by a
// string union, read with a computed key. Refused at first with a message that
// named no construct ("this value is not an array of numbers"); now compiled.
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
