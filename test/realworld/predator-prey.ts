// Ecology: Lotka–Volterra predator–prey dynamics (snowshoe hares and lynx),
// integrated with classical RK4, and fitted to yearly pelt counts by least
// squares on log abundances. The four rates and the two initial populations
// are the parameters.
import { grad } from "tsgrad";

type Populations = [prey: number, predator: number];

export interface Rates {
  preyGrowth: number; // alpha, 1/yr
  predation: number; // beta
  conversion: number; // delta
  predatorDeath: number; // gamma, 1/yr
}

export interface EcoParams {
  rates: Rates;
  initial: Populations;
}

interface Census {
  year: number;
  hares: number;
  lynx: number;
}

class LotkaVolterra {
  constructor(private readonly r: Rates) {}

  derivative([prey, predator]: Populations): Populations {
    const { preyGrowth, predation, conversion, predatorDeath } = this.r;
    return [prey * (preyGrowth - predation * predator), predator * (conversion * prey - predatorDeath)];
  }

  step(y: Populations, h: number): Populations {
    const axpy = (a: number, [dx, dy]: Populations, [x, yy]: Populations = y): Populations => [x + a * dx, yy + a * dy];
    const k1 = this.derivative(y);
    const k2 = this.derivative(axpy(h / 2, k1));
    const k3 = this.derivative(axpy(h / 2, k2));
    const k4 = this.derivative(axpy(h, k3));
    return [
      y[0] + (h / 6) * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]),
      y[1] + (h / 6) * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]),
    ];
  }
}

export function trajectory({ rates, initial }: EcoParams, years: number, substeps = 40): Populations[] {
  const model = new LotkaVolterra(rates);
  const out: Populations[] = [[...initial]];
  let y: Populations = [...initial];
  for (let year = 0; year < years; year++) {
    for (let s = 0; s < substeps; s++) y = model.step(y, 1 / substeps);
    out.push(y);
  }
  return out;
}

export function logFitError(params: EcoParams, census: Census[]): number {
  const first = census[0]?.year ?? 0;
  const years = Math.max(...census.map((c) => c.year)) - first;
  const path = trajectory(params, years);
  return census.reduce((s, { year, hares, lynx }) => {
    const [prey, predator] = path[year - first];
    return s + Math.log(prey / hares) ** 2 + Math.log(predator / lynx) ** 2;
  }, 0);
}

export const dParams = grad(logFitError);

// Hudson's Bay Company pelt counts (thousands), 1900–1920.
const HARES = [
  30, 47.2, 70.2, 77.4, 36.3, 20.6, 18.1, 21.4, 22, 25.4, 27.1, 40.3, 57, 76.6, 52.3, 19.5, 11.2, 7.6, 14.6, 16.2, 24.7,
];
const LYNX = [
  4, 6.1, 9.8, 35.2, 59.4, 41.7, 19, 13, 8.3, 9.1, 7.4, 8, 12.3, 19.5, 45.7, 51.1, 29.7, 15.8, 9.7, 10.1, 8.6,
];
const CENSUS: Census[] = HARES.map((hares, i) => ({
  year: 1900 + i,
  hares,
  lynx: LYNX[i],
}));

export const cases = [
  {
    f: logFitError,
    df: dParams,
    args: [
      {
        rates: {
          preyGrowth: 0.55,
          predation: 0.028,
          conversion: 0.024,
          predatorDeath: 0.8,
        },
        initial: [33, 6],
      },
      CENSUS,
    ],
  },
  {
    f: logFitError,
    df: dParams,
    args: [
      {
        rates: {
          preyGrowth: 0.5,
          predation: 0.025,
          conversion: 0.02,
          predatorDeath: 0.9,
        },
        initial: [30, 4],
      },
      CENSUS.slice(0, 10),
    ],
  },
];
