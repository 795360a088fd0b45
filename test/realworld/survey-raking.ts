// Survey weighting: per-respondent log-weights are scored on how well the
// weighted sample matches known population shares per region, plus a penalty
// that keeps weights near 1. Regions are strings; respondents are records.
import { grad } from "tsgrad";

type Region = "north" | "south" | "east" | "west";

interface Respondent {
  region: Region;
  age: number;
}

const RESPONDENTS: Respondent[] = [
  { region: "north", age: 34 },
  { region: "south", age: 51 },
  { region: "north", age: 27 },
  { region: "east", age: 45 },
  { region: "west", age: 62 },
  { region: "south", age: 38 },
];

const REGIONS: Region[] = ["north", "south", "east", "west"];
const POPULATION_SHARE = [0.3, 0.25, 0.25, 0.2];

export function rakingLoss(logWeights: number[]): number {
  const weights = logWeights.map(Math.exp);
  const total = weights.reduce((a, b) => a + b, 0);
  let misfit = 0;
  for (const [k, region] of REGIONS.entries()) {
    const share = weights.reduce((s, w, i) => (RESPONDENTS[i].region === region ? s + w : s), 0) / total;
    misfit += (share - POPULATION_SHARE[k]) ** 2;
  }
  const spread = logWeights.reduce((s, lw) => s + lw * lw, 0);
  return misfit + 0.01 * spread;
}

export const dRaking = grad(rakingLoss);

export const cases = [{ f: rakingLoss, df: dRaking, args: [[0.1, -0.2, 0.05, 0.3, -0.1, 0.0]] }];
