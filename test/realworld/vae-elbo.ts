// The negative ELBO of a tiny variational autoencoder on 4-pixel images:
// a linear encoder gives the mean and log-variance of a 2-d latent, the
// reparameterisation trick draws z with fixed noise, and a decoder with a
// sigmoid output gives Bernoulli pixel probabilities.
import { grad } from "tsgrad";

export interface Layer {
  W: number[][];
  b: number[];
}

export interface Vae {
  encMean: Layer;
  encLogVar: Layer;
  dec: Layer;
}

const LATENT = 2;

function dense({ W, b }: Layer, x: number[]): number[] {
  return W.map((row, i) => b[i] + row.reduce((s, w, j) => s + w * x[j], 0));
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

function bernoulliLogLik(pixels: number[], probs: number[]): number {
  const eps = 1e-7;
  return pixels.reduce((acc, p, i) => acc + p * Math.log(probs[i] + eps) + (1 - p) * Math.log(1 - probs[i] + eps), 0);
}

function klToStandardNormal(mean: number[], logVar: number[]): number {
  let kl = 0;
  for (let k = 0; k < mean.length; k++) {
    kl += 0.5 * (Math.exp(logVar[k]) + mean[k] ** 2 - 1 - logVar[k]);
  }
  return kl;
}

export function negativeElbo(vae: Vae, images: number[][], noise: number[][], beta = 1): number {
  const perImage = images.map((x, n) => {
    const mean = dense(vae.encMean, x);
    const logVar = dense(vae.encLogVar, x);
    const z = mean.map((m, k) => m + Math.exp(0.5 * logVar[k]) * noise[n][k]);
    const probs = dense(vae.dec, z).map(sigmoid);
    return -bernoulliLogLik(x, probs) + beta * klToStandardNormal(mean, logVar);
  });
  return perImage.reduce((a, b) => a + b, 0) / images.length;
}

export const dVae = grad(negativeElbo);

const layer = (rows: number, cols: number, seed: number): Layer => ({
  W: Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => 0.3 * Math.cos(seed + 2.1 * i - 1.3 * j))),
  b: Array.from({ length: rows }, (_, i) => 0.05 * (i - 1)),
});

const MODEL: Vae = { encMean: layer(LATENT, 4, 0.2), encLogVar: layer(LATENT, 4, 1.4), dec: layer(4, LATENT, 2.9) };

const IMAGES = [
  [1, 0, 0, 1],
  [0, 1, 1, 0],
  [1, 1, 0, 0],
];
const NOISE = [
  [0.3, -1.1],
  [-0.4, 0.8],
  [1.2, 0.1],
];

export const cases = [
  { f: negativeElbo, df: dVae, args: [MODEL, IMAGES, NOISE] },
  { f: negativeElbo, df: dVae, args: [MODEL, IMAGES, NOISE, 0.5] },
];
