// A generalized linear model with the link function chosen by the caller:
// Poisson regression (log link) by default, or an identity link.
import { grad } from "tsgrad";

type Link = "log" | "identity";

interface Observation {
  exposure: number;
  covariate: number;
  count: number;
}

const observations: Observation[] = [
  { exposure: 1.0, covariate: 0.2, count: 2 },
  { exposure: 2.0, covariate: -0.5, count: 1 },
  { exposure: 0.5, covariate: 1.3, count: 4 },
  { exposure: 1.5, covariate: 0.7, count: 3 },
];

function meanOf(eta: number, link: Link): number {
  return link === "log" ? Math.exp(eta) : eta;
}

export function poissonNll(beta: [number, number], link: Link = "log"): number {
  const [b0, b1] = beta;
  let nll = 0;
  for (const obs of observations) {
    const mu = obs.exposure * meanOf(b0 + b1 * obs.covariate, link);
    nll += mu - obs.count * Math.log(mu);
  }
  return nll;
}

export const dPoisson = grad(poissonNll);

export const cases = [
  { f: poissonNll, df: dPoisson, args: [[0.4, 0.6]] },
  { f: poissonNll, df: dPoisson, args: [[2.0, 0.5], "identity"] },
];
