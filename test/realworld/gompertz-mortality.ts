// Actuarial: a Gompertz–Makeham force of mortality fitted to a life table's
// deaths and exposures by Poisson maximum likelihood, with the fitted curve's
// life expectancy at 65 pulled toward the published figure (the insurer's
// annuity pricing uses it).
import { grad } from "tsgrad";

export interface Makeham {
  a: number; // accident hump, age independent
  b: number; // Gompertz level at age 0
  c: number; // Gompertz growth rate per year
}

interface AgeBand {
  fromAge: number;
  width: number;
  deaths: number;
  exposureYears: number;
}

export class LifeTable {
  constructor(
    readonly bands: AgeBand[],
    readonly publishedE65: number,
  ) {}

  get totalDeaths(): number {
    return this.bands.reduce((s, b) => s + b.deaths, 0);
  }

  midAge(band: AgeBand): number {
    return band.fromAge + band.width / 2;
  }
}

const hazard = ({ a, b, c }: Makeham, age: number): number => a + b * Math.exp(c * age);

/** ∫ hazard from x to x + t, in closed form. */
const cumulativeHazard = ({ a, b, c }: Makeham, x: number, t: number): number =>
  a * t + (b / c) * (Math.exp(c * (x + t)) - Math.exp(c * x));

/** Curtate-free life expectancy at `age`, by the trapezoid rule over survival. */
function lifeExpectancy(m: Makeham, age: number, { horizon = 60, step = 0.5 } = {}): number {
  const survival = (t: number) => Math.exp(-cumulativeHazard(m, age, t));
  let total = 0;
  for (let t = 0; t < horizon; t += step) {
    total += (step * (survival(t) + survival(t + step))) / 2;
  }
  return total;
}

export function negLogLikelihood(m: Makeham, table: LifeTable, weightE65 = 50): number {
  let nll = 0;
  for (const band of table.bands) {
    const expected = hazard(m, table.midAge(band)) * band.exposureYears;
    nll += expected - band.deaths * Math.log(expected);
  }
  const gap = lifeExpectancy(m, 65) - table.publishedE65;
  return nll / table.totalDeaths + weightE65 * (gap / 10) ** 2;
}

export const dMakeham = grad(negLogLikelihood);

const TABLE = new LifeTable(
  [
    { fromAge: 40, width: 10, deaths: 310, exposureYears: 142000 },
    { fromAge: 50, width: 10, deaths: 720, exposureYears: 131000 },
    { fromAge: 60, width: 10, deaths: 1580, exposureYears: 112000 },
    { fromAge: 70, width: 10, deaths: 2950, exposureYears: 81000 },
    { fromAge: 80, width: 10, deaths: 3900, exposureYears: 39000 },
  ],
  19.8,
);

export const cases = [
  // b is 3e-5: the finite-difference step must be on its scale, not 1e-5.
  { f: negLogLikelihood, df: dMakeham, args: [{ a: 0.0005, b: 0.00003, c: 0.095 }, TABLE], stepFloor: 1e-6 },
  { f: negLogLikelihood, df: dMakeham, args: [{ a: 0.0008, b: 0.00005, c: 0.088 }, TABLE, 5], stepFloor: 1e-6 },
];
