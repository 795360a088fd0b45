// A roaster designing an espresso blend. Each green-coffee origin brings a
// cupping profile (acidity, body, sweetness, bitterness); the blend's profile
// is the fraction-weighted mix, which the roast then shifts (darker roasts
// trade acidity for body and bitterness). The blend fractions come from a
// softmax of free scores; the loss asks for the head roaster's target profile
// within a tolerance band, at the lowest cost per kilo.
import { grad } from "tsgrad";

type Note = "acidity" | "body" | "sweetness" | "bitterness";

const NOTES: readonly Note[] = ["acidity", "body", "sweetness", "bitterness"];

export interface Origin {
  readonly name: string;
  readonly profile: Record<Note, number>; // cupping scores, 0..10
  readonly pricePerKg: number;
}

function fractions(scores: number[]): number[] {
  const top = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - top));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / total);
}

function blendProfile(
  share: number[],
  origins: readonly Origin[],
  roast: number,
): Record<Note, number> {
  const profile: Record<Note, number> = {
    acidity: 0,
    body: 0,
    sweetness: 0,
    bitterness: 0,
  };
  for (const [i, origin] of origins.entries()) {
    for (const note of NOTES) profile[note] += share[i] * origin.profile[note];
  }
  // roast level 0 (light) .. 1 (dark)
  profile.acidity *= 1 - 0.4 * roast;
  profile.body *= 1 + 0.25 * roast;
  profile.bitterness += 2 * roast ** 2;
  return profile;
}

export function blendLoss(
  scores: number[],
  origins: readonly Origin[],
  target: Record<Note, number>,
  {
    roast = 0.6,
    band = [0.95, 1.05] as [low: number, high: number],
    costWeight = 0.05,
  } = {},
): number {
  const share = fractions(scores);
  const profile = blendProfile(share, origins, roast);
  let miss = 0;
  for (const note of NOTES) {
    const ratio = profile[note] / target[note];
    // inside the band costs nothing; outside it, quadratically
    if (ratio < band[0]) miss += (band[0] - ratio) ** 2;
    else if (ratio > band[1]) miss += (ratio - band[1]) ** 2;
  }
  const cost = origins.reduce((sum, o, i) => sum + share[i] * o.pricePerKg, 0);
  return 100 * miss + costWeight * cost;
}

export const dBlendLoss = grad(blendLoss);

const ORIGINS: Origin[] = [
  {
    name: "Brazil Cerrado",
    profile: { acidity: 3, body: 7, sweetness: 6, bitterness: 4 },
    pricePerKg: 7.5,
  },
  {
    name: "Ethiopia Guji",
    profile: { acidity: 8, body: 4, sweetness: 7, bitterness: 2 },
    pricePerKg: 12,
  },
  {
    name: "Sumatra Mandheling",
    profile: { acidity: 2, body: 9, sweetness: 4, bitterness: 6 },
    pricePerKg: 9.8,
  },
  {
    name: "Colombia Huila",
    profile: { acidity: 6, body: 6, sweetness: 6, bitterness: 3 },
    pricePerKg: 10.2,
  },
];

const ESPRESSO: Record<Note, number> = {
  acidity: 4,
  body: 7.5,
  sweetness: 6.5,
  bitterness: 4,
};

export const cases = [
  {
    f: blendLoss,
    df: dBlendLoss,
    args: [[0.4, -0.2, 0.1, 0.3], ORIGINS, ESPRESSO],
  },
  {
    f: blendLoss,
    df: dBlendLoss,
    args: [
      [1.1, 0.2, -0.6, 0.4],
      ORIGINS,
      ESPRESSO,
      { roast: 0.3, band: [0.98, 1.02] },
    ],
  },
];
