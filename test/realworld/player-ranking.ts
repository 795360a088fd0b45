// A ranking model for a small league: each player has a strength keyed by
// name, a match is won with a logistic probability of the strength
// difference plus a home advantage, and draws count half. Fitted by gradient
// descent on the log-loss, with a prior pulling strengths towards zero.
import { grad } from "tsgrad";

export type Strengths = { [player: string]: number };

export interface Match {
  home: string;
  away: string;
  /** 1 home win, 0.5 draw, 0 away win. */
  result: number;
}

const HOME_ADVANTAGE = 0.25;

const MATCHES: Match[] = [
  { home: "lena", away: "marco", result: 1 },
  { home: "marco", away: "ines", result: 0.5 },
  { home: "ines", away: "lena", result: 0 },
  { home: "tom", away: "lena", result: 0 },
  { home: "marco", away: "tom", result: 1 },
  { home: "ines", away: "tom", result: 0.5 },
];

function winProbability(diff: number): number {
  return 1 / (1 + Math.exp(-diff));
}

export function logLoss(strengths: Strengths, matches: Match[] = MATCHES, priorWeight = 0.1): number {
  let loss = 0;
  for (const match of matches) {
    // A newcomer without a strength yet plays at the league average.
    const home = strengths[match.home] ?? 0;
    const away = strengths[match.away] ?? 0;
    const p = winProbability(home - away + HOME_ADVANTAGE);
    loss -= match.result * Math.log(p) + (1 - match.result) * Math.log(1 - p);
  }
  let prior = 0;
  for (const player in strengths) {
    prior += strengths[player] ** 2;
  }
  return loss + priorWeight * prior;
}

export const dLogLoss = grad(logLoss);

export function train(steps: number, rate: number): Strengths {
  let strengths: Strengths = { lena: 0, marco: 0, ines: 0, tom: 0 };
  for (let s = 0; s < steps; s++) {
    const g = dLogLoss(strengths);
    const next: Strengths = {};
    for (const [player, value] of Object.entries(strengths)) next[player] = value - rate * g[player];
    strengths = next;
  }
  return strengths;
}

export const cases = [
  { f: logLoss, df: dLogLoss, args: [{ lena: 0.4, marco: 0.1, ines: -0.2, tom: -0.5 }] },
  // "nia" has played no match yet; "tom" has no strength yet and plays at 0.
  { f: logLoss, df: dLogLoss, args: [{ lena: 0.3, nia: 0.2, marco: 0, ines: -0.1 }, MATCHES, 0.05] },
];
