// A sports club splits its budget across departments; each department's
// contribution has diminishing returns, and the scouting report scores
// players by weighted attributes. Budgets are a Record keyed by department,
// handed to helpers the way application code does.
import { grad } from "tsgrad";

type Department = "scouting" | "training" | "medical";
type Budget = Record<Department, number>;

const DEPARTMENTS: Department[] = ["scouting", "training", "medical"];

const RETURNS: Record<Department, { scale: number; saturation: number }> = {
  scouting: { scale: 3, saturation: 2 },
  training: { scale: 5, saturation: 4 },
  medical: { scale: 2, saturation: 1 },
};

interface Player {
  name: string;
  attributes: { pace: number; passing: number; stamina: number };
}

const SQUAD: Player[] = [
  { name: "Ines", attributes: { pace: 0.8, passing: 0.6, stamina: 0.7 } },
  { name: "Tomas", attributes: { pace: 0.5, passing: 0.9, stamina: 0.6 } },
];

function expectedPoints(budget: Budget): number {
  let points = 0;
  for (const dept of DEPARTMENTS) {
    const { scale, saturation } = RETURNS[dept];
    points += scale * (1 - Math.exp(-budget[dept] / saturation));
  }
  return points;
}

function overspend(budget: Budget, limit: number): number {
  const total = DEPARTMENTS.reduce((sum, dept) => sum + budget[dept], 0);
  return Math.max(0, total - limit) ** 2;
}

function squadRating({ attributes }: Player, trainingBoost: number): number {
  let rating = 0;
  for (const [attribute, value] of Object.entries(attributes)) {
    const weight = attribute === "stamina" ? 1 + trainingBoost : 1;
    rating += weight * value;
  }
  return rating;
}

export function seasonObjective(budget: Budget): number {
  const points = expectedPoints(budget);
  const boost = 0.1 * Math.sqrt(budget.training);
  const squad = SQUAD.reduce((sum, p) => sum + squadRating(p, boost), 0);
  return -(points + squad) + 10 * overspend(budget, 6);
}

export const dObjective = grad(seasonObjective);

const budget: Budget = { scouting: 1.5, training: 3, medical: 2 };

export const cases = [{ f: seasonObjective, df: dObjective, args: [budget] }];
