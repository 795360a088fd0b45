// Splitting a discharge between the parallel strings of a battery pack that was
// assembled from whatever cells were in stock: each string is one cell model
// in series, and the models differ in capacity, internal resistance and how
// much current the datasheet allows. We pick the string currents that deliver
// the power the inverter asks for while keeping heat down and the strings at
// similar C-rates, so they age together.
import { grad, valueAndGrad } from "tsgrad";

export interface CellModel {
  readonly partNumber: string;
  readonly capacityAh: number;
  readonly resistanceOhm: number;
  readonly ocvSlope: number; // volts per unit of state of charge
  readonly maxCurrentA?: number; // not every datasheet gives one
}

export interface Demand {
  powerW: number;
  stateOfCharge: number;
  cellsInSeries: number;
}

const BASE_OCV = 3.0;

class PackString {
  constructor(
    readonly current: number,
    readonly cell: CellModel,
    readonly cellsInSeries: number,
  ) {}

  get heatW(): number {
    return this.current ** 2 * this.cell.resistanceOhm * this.cellsInSeries;
  }

  get cRate(): number {
    return this.current / this.cell.capacityAh;
  }

  terminalVoltage(soc: number): number {
    const ocv = BASE_OCV + this.cell.ocvSlope * soc;
    return this.cellsInSeries * (ocv - this.current * this.cell.resistanceOhm);
  }

  overCurrentPenalty(): number {
    const limit = this.cell.maxCurrentA ?? 2 * this.cell.capacityAh;
    const excess = this.current - limit;
    return excess > 0 ? excess ** 2 : 0;
  }
}

export function dischargeLoss(
  currents: number[],
  cells: readonly CellModel[],
  demand: Demand,
): number {
  const strings = cells.map(
    (cell, i) => new PackString(currents[i], cell, demand.cellsInSeries),
  );

  const delivered = strings.reduce(
    (p, s) => p + s.current * s.terminalVoltage(demand.stateOfCharge),
    0,
  );
  const heat = strings.reduce((h, s) => h + s.heatW, 0);
  const meanRate = strings.reduce((r, s) => r + s.cRate, 0) / strings.length;
  const imbalance = strings.reduce(
    (acc, s) => acc + (s.cRate - meanRate) ** 2,
    0,
  );
  const penalties = strings
    .map((s) => s.overCurrentPenalty())
    .reduce((a, b) => a + b, 0);

  const shortfall = (delivered - demand.powerW) / demand.powerW;
  return 100 * shortfall ** 2 + heat / demand.powerW + imbalance + penalties;
}

export const lossAndGradient = valueAndGrad(dischargeLoss);
// how the best split depends on the datasheet numbers (which cell to buy more of)
export const datasheetSensitivity = grad(dischargeLoss, [0, 1]);

const STOCK: CellModel[] = [
  {
    partNumber: "NMC-21700-50",
    capacityAh: 5,
    resistanceOhm: 0.018,
    ocvSlope: 1.1,
    maxCurrentA: 9,
  },
  {
    partNumber: "NMC-18650-35",
    capacityAh: 3.5,
    resistanceOhm: 0.03,
    ocvSlope: 1.05,
  },
  {
    partNumber: "LFP-26650-32",
    capacityAh: 3.2,
    resistanceOhm: 0.022,
    ocvSlope: 0.4,
    maxCurrentA: 4,
  },
];

const EVENING_PEAK: Demand = {
  powerW: 600,
  stateOfCharge: 0.7,
  cellsInSeries: 14,
};

export const cases = [
  {
    f: dischargeLoss,
    df: lossAndGradient,
    args: [[5, 3.2, 4.6], STOCK, EVENING_PEAK],
    withValue: true,
  },
  {
    f: dischargeLoss,
    df: datasheetSensitivity,
    args: [[4.4, 3.1, 3.5], STOCK, EVENING_PEAK],
    wrt: [0, 1],
  },
];
