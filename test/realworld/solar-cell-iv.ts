// Photovoltaics: the single-diode model of a solar cell. At each terminal
// voltage the current solves the implicit equation
//   I = Iph − I0·(exp((V + I·Rs)/(n·Vt)) − 1) − (V + I·Rs)/Rsh,
// found here by a few Newton steps from the short-circuit current. The five
// parameters are fitted to a measured I–V curve; the log of the saturation
// current is fitted, since I0 spans many decades.
import { grad } from "tsgrad";

export interface DiodeParams {
  photoCurrent: number; // A
  logSaturation: number; // ln(A)
  ideality: number;
  seriesOhms: number;
  shuntOhms: number;
}

type IvPoint = [volts: number, amps: number];

const BOLTZMANN = 1.380649e-23;
const CHARGE = 1.602176634e-19;

export class Cell {
  constructor(
    readonly params: DiodeParams,
    readonly tempC = 25,
  ) {}

  get thermalVoltage(): number {
    return (BOLTZMANN * (this.tempC + 273.15)) / CHARGE;
  }

  /** Residual of the implicit equation and its derivative with respect to I. */
  private residual(v: number, i: number): [number, number] {
    const { photoCurrent, logSaturation, ideality, seriesOhms, shuntOhms } = this.params;
    const nvt = ideality * this.thermalVoltage;
    const e = Math.exp((v + i * seriesOhms) / nvt);
    const i0 = Math.exp(logSaturation);
    const r = photoCurrent - i0 * (e - 1) - (v + i * seriesOhms) / shuntOhms - i;
    const dr = (-i0 * e * seriesOhms) / nvt - seriesOhms / shuntOhms - 1;
    return [r, dr];
  }

  current(v: number, iterations = 12): number {
    let i = this.params.photoCurrent;
    for (let k = 0; k < iterations; k++) {
      const [r, dr] = this.residual(v, i);
      i -= r / dr;
    }
    return i;
  }

  power(v: number): number {
    return v * this.current(v);
  }
}

export function curveError(params: DiodeParams, measured: IvPoint[], tempC?: number): number {
  const cell = new Cell(params, tempC);
  const errors = measured.map(([v, i]) => (cell.current(v) - i) / 0.05);
  return errors.reduce((s, e) => s + e * e, 0) / errors.length;
}

export const dParams = grad(curveError);

const TRUTH: DiodeParams = {
  photoCurrent: 8.2,
  logSaturation: -20.5,
  ideality: 1.3,
  seriesOhms: 0.008,
  shuntOhms: 120,
};
const truthCell = new Cell(TRUTH);
const MEASURED: IvPoint[] = Array.from({ length: 25 }, (_, k): IvPoint => {
  const v = 0.025 * k;
  return [v, truthCell.current(v, 40) + 0.01 * Math.sin(3 * k)];
});

export const cases = [
  {
    f: curveError,
    df: dParams,
    args: [
      {
        photoCurrent: 8.0,
        logSaturation: -20.0,
        ideality: 1.35,
        seriesOhms: 0.01,
        shuntOhms: 100,
      },
      MEASURED,
    ],
  },
  {
    f: curveError,
    df: dParams,
    args: [
      {
        photoCurrent: 8.3,
        logSaturation: -21,
        ideality: 1.28,
        seriesOhms: 0.006,
        shuntOhms: 150,
      },
      MEASURED,
      35,
    ],
  },
];
