// Negative log-likelihood of i.i.d. Gaussian data; the parameters arrive as a
// destructured record, sigma is kept positive by the caller.
import { grad } from "tsgrad";

export interface Params {
  mu: number;
  sigma: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

export const negLogLikelihood = ({ mu, sigma }: Params, data: number[]): number =>
  data.reduce((nll, x) => nll + 0.5 * LOG_2PI + Math.log(sigma) + ((x - mu) * (x - mu)) / (2 * sigma * sigma), 0);

export const dNll = grad(negLogLikelihood);

export const data = [1.2, 0.7, 2.3, 1.9, 0.4, 1.6];

export const cases = [{ f: negLogLikelihood, df: dNll, args: [{ mu: 1.0, sigma: 0.8 }, data] }];
