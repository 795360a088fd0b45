// Two-parameter item response theory for a short quiz: each student has an
// ability, each question a discrimination and a difficulty. Abilities are
// estimated by maximum a posteriori under a standard-normal prior, keyed by
// student id; the item bank is a fixed calibration.
import { grad, valueAndGrad } from "tsgrad";

interface Item {
  readonly id: string;
  readonly discrimination: number;
  readonly difficulty: number;
  readonly guessing?: number; // 3PL lower asymptote, when calibrated
}

interface Response {
  student: string;
  item: string;
  correct: boolean;
}

const ITEM_BANK: Item[] = [
  { id: "q1", discrimination: 1.2, difficulty: -0.5 },
  { id: "q2", discrimination: 0.8, difficulty: 0.3, guessing: 0.2 },
  { id: "q3", discrimination: 1.7, difficulty: 1.1 },
  { id: "q4", discrimination: 1.0, difficulty: 0.0, guessing: 0.25 },
];

function probabilityCorrect(theta: number, item: Item): number {
  const c = item.guessing ?? 0;
  const logistic = 1 / (1 + Math.exp(-item.discrimination * (theta - item.difficulty)));
  return c + (1 - c) * logistic;
}

export function negLogPosterior(abilities: Record<string, number>, responses: Response[], priorSd = 1): number {
  let nll = 0;
  for (const r of responses) {
    const item = ITEM_BANK.find((it) => it.id === r.item);
    if (!item) throw new Error(`unknown item ${r.item}`);
    const p = probabilityCorrect(abilities[r.student], item);
    nll -= r.correct ? Math.log(p) : Math.log(1 - p);
  }
  for (const [, theta] of Object.entries(abilities)) {
    nll += (0.5 * theta * theta) / (priorSd * priorSd);
  }
  return nll;
}

export const dAbilities = grad(negLogPosterior);
export const posteriorAndGrad = valueAndGrad(negLogPosterior);

const RESPONSES: Response[] = [
  { student: "amira", item: "q1", correct: true },
  { student: "amira", item: "q2", correct: true },
  { student: "amira", item: "q3", correct: false },
  { student: "amira", item: "q4", correct: true },
  { student: "ben", item: "q1", correct: false },
  { student: "ben", item: "q2", correct: true },
  { student: "ben", item: "q4", correct: false },
  { student: "chen", item: "q1", correct: true },
  { student: "chen", item: "q3", correct: true },
  { student: "chen", item: "q4", correct: true },
];

export const cases = [
  { f: negLogPosterior, df: dAbilities, args: [{ amira: 0.4, ben: -0.6, chen: 1.1 }, RESPONSES] },
  { f: negLogPosterior, df: posteriorAndGrad, args: [{ amira: 0.1, ben: 0.2, chen: 0.3 }, RESPONSES, 1.5], withValue: true },
];
