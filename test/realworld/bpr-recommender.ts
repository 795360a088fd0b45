// Implicit-feedback recommender trained with Bayesian Personalised Ranking:
// for each (user, clicked item, skipped item) triple, the clicked item should
// score higher. Users and items are records carrying their id and factors.
import { grad } from "tsgrad";

export interface User {
  id: string;
  factors: number[];
}

export interface Item {
  sku: string;
  factors: number[];
  bias: number;
}

export interface Model {
  users: User[];
  items: Item[];
}

interface Triple {
  user: number;
  clicked: number;
  skipped: number;
}

const TRIPLES: Triple[] = [
  { user: 0, clicked: 0, skipped: 2 },
  { user: 0, clicked: 1, skipped: 2 },
  { user: 1, clicked: 2, skipped: 0 },
  { user: 2, clicked: 1, skipped: 0 },
  { user: 2, clicked: 0, skipped: 2 },
];

const REG = 0.01;

const score = (user: User, item: Item): number =>
  user.factors.reduce((sum, f, k) => sum + f * item.factors[k], item.bias);

const logSigmoid = (z: number): number => -Math.log1p(Math.exp(-z));

function l2(model: Model): number {
  const userNorm = model.users.reduce((s, u) => s + u.factors.reduce((a, f) => a + f * f, 0), 0);
  const itemNorm = model.items.reduce((s, it) => s + it.factors.reduce((a, f) => a + f * f, 0) + it.bias ** 2, 0);
  return userNorm + itemNorm;
}

export function bprLoss(model: Model, triples: Triple[] = TRIPLES): number {
  const terms = triples.map(({ user, clicked, skipped }) => {
    const u = model.users[user];
    const margin = score(u, model.items[clicked]) - score(u, model.items[skipped]);
    return -logSigmoid(margin);
  });
  return terms.reduce((a, b) => a + b, 0) / triples.length + REG * l2(model);
}

export const dBpr = grad(bprLoss);

const model: Model = {
  users: [
    { id: "u-ana", factors: [0.3, -0.1, 0.2] },
    { id: "u-ben", factors: [-0.2, 0.4, 0.1] },
    { id: "u-cai", factors: [0.1, 0.2, -0.3] },
  ],
  items: [
    { sku: "book-17", factors: [0.2, 0.1, -0.1], bias: 0.05 },
    { sku: "lamp-03", factors: [-0.1, 0.3, 0.2], bias: -0.02 },
    { sku: "mug-88", factors: [0.25, -0.2, 0.15], bias: 0.1 },
  ],
};

export const cases = [{ f: bprLoss, df: dBpr, args: [model] }];
