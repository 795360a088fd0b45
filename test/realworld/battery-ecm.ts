// A lithium-ion cell as a Thevenin equivalent circuit (series resistance R0
// and one RC pair), its open-circuit voltage a polynomial of the state of
// charge. The circuit parameters are fitted to a logged pulse-discharge test.
import { grad } from "tsgrad";

const OCV_COEFFS = [3.0, 1.9, -2.6, 1.45]; // V, in powers of soc

export class CellModel {
  constructor(
    public r0: number, // ohm
    public r1: number, // ohm
    public c1: number, // farad
    public capacityAh: number,
  ) {}

  get tau(): number {
    return this.r1 * this.c1;
  }

  get capacityCoulombs(): number {
    return this.capacityAh * 3600;
  }

  ocv(soc: number): number {
    return OCV_COEFFS.reduceRight((acc, c) => acc * soc + c, 0);
  }
}

interface LogRow {
  t: number; // s
  current: number; // A, discharge positive
  voltage: number; // V measured at the terminals
}

export function simulateTerminal(cell: CellModel, log: LogRow[], soc0 = 1): number[] {
  let soc = soc0;
  let vRc = 0;
  const predicted: number[] = [];
  let previousT = log[0].t;
  for (const { t, current } of log) {
    const dt = t - previousT;
    previousT = t;
    const decay = Math.exp(-dt / cell.tau);
    vRc = vRc * decay + current * cell.r1 * (1 - decay);
    soc -= (current * dt) / cell.capacityCoulombs;
    predicted.push(cell.ocv(soc) - current * cell.r0 - vRc);
  }
  return predicted;
}

export function fitError(cell: CellModel, log: LogRow[]): number {
  const predicted = simulateTerminal(cell, log);
  let sse = 0;
  log.forEach((row, i) => {
    sse += (predicted[i] - row.voltage) ** 2;
  });
  return (1e3 * sse) / log.length;
}

export const dCell = grad(fitError);

// A 10 s, 20 A pulse, then rest, sampled every 2 s.
const PULSE_LOG: LogRow[] = Array.from({ length: 30 }, (_, k) => {
  const t = 2 * k;
  const current = t >= 4 && t < 14 ? 20 : 0;
  const voltage = 4.12 - (current > 0 ? 0.25 + 0.004 * (t - 4) : 0.06 * Math.exp(-(t - 14) / 12)) * (t >= 4 ? 1 : 0);
  return { t, current, voltage };
});

export const cases = [
  { f: fitError, df: dCell, args: [new CellModel(0.011, 0.006, 1800, 5), PULSE_LOG] },
  { f: fitError, df: dCell, args: [new CellModel(0.014, 0.004, 2500, 4.8), PULSE_LOG] },
];
