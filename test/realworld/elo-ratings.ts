// Bradley-Terry / Elo ratings fitted by maximum likelihood: ratings keyed by
// player name, games as records naming the winner and the loser.
import { grad } from "tsgrad";

export type Ratings = Record<string, number>;

interface Game {
  winner: string;
  loser: string;
}

const GAMES: Game[] = [
  { winner: "ada", loser: "bob" },
  { winner: "ada", loser: "cyd" },
  { winner: "bob", loser: "cyd" },
  { winner: "cyd", loser: "ada" },
  { winner: "bob", loser: "ada" },
  { winner: "ada", loser: "bob" },
];

const SCALE = 400 / Math.LN10;

export function ratingNll(ratings: Ratings, games: Game[] = GAMES): number {
  let nll = 0;
  for (const { winner, loser } of games) {
    const diff = (ratings[winner] - ratings[loser]) / SCALE;
    nll += Math.log1p(Math.exp(-diff));
  }
  // A weak prior keeps the ratings centred on 1500.
  for (const name of Object.keys(ratings)) nll += 1e-6 * (ratings[name] - 1500) ** 2;
  return nll;
}

export const dRatings = grad(ratingNll);

export const cases = [{ f: ratingNll, df: dRatings, args: [{ ada: 1550, bob: 1500, cyd: 1470 }] }];
