// Transportation: the Lighthill–Whitham–Richards model of traffic on a ring
// road, solved by the Godunov (cell transmission) scheme with the Greenshields
// fundamental diagram. The free-flow speed and jam density of the road are
// calibrated to loop-detector densities recorded at a few cells.
import { grad } from "tsgrad";

export interface RoadParams {
  freeSpeed: number; // km/h
  jamDensity: number; // veh/km
}

interface Detector {
  cell: number;
  step: number;
  density: number;
}

interface Grid {
  cells: number;
  cellKm: number;
  dtHours: number;
  steps: number;
}

const flux = ({ freeSpeed, jamDensity }: RoadParams, rho: number): number => freeSpeed * rho * (1 - rho / jamDensity);

/** Godunov flux between a cell of density `left` and one of density `right`. */
function interfaceFlux(road: RoadParams, left: number, right: number): number {
  const critical = road.jamDensity / 2;
  const demand = left < critical ? flux(road, left) : flux(road, critical);
  const supply = right > critical ? flux(road, right) : flux(road, critical);
  return Math.min(demand, supply);
}

export function simulate(road: RoadParams, initial: number[], grid: Grid): number[][] {
  const history: number[][] = [initial.slice()];
  let rho = initial.slice();
  const ratio = grid.dtHours / grid.cellKm;
  for (let t = 0; t < grid.steps; t++) {
    const fluxes = rho.map((r, i) => interfaceFlux(road, r, rho[(i + 1) % rho.length]));
    rho = rho.map((r, i) => r - ratio * (fluxes[i] - fluxes[(i - 1 + rho.length) % rho.length]));
    history.push(rho);
  }
  return history;
}

export function calibrationLoss(road: RoadParams, initial: number[], grid: Grid, detectors: Detector[]): number {
  const history = simulate(road, initial, grid);
  return detectors.reduce((s, d) => s + ((history[d.step]?.[d.cell] ?? 0) - d.density) ** 2, 0) / detectors.length;
}

export const dRoad = grad(calibrationLoss);

const GRID: Grid = { cells: 40, cellKm: 0.1, dtHours: 0.001, steps: 60 };
// A queue sitting downstream of lighter traffic: a dense platoon on cells 10–17.
const INITIAL = Array.from({ length: GRID.cells }, (_, i) => 30 + 25 * Math.exp(-(((i - 14) / 3) ** 2)));
const DETECTORS: Detector[] = [5, 12, 20, 28].flatMap((cell) =>
  [15, 30, 45, 60].map((step) => ({
    cell,
    step,
    density: 30 + 20 * Math.exp(-(((cell - 14 - step / 8) / 4) ** 2)),
  })),
);

export const cases = [
  {
    f: calibrationLoss,
    df: dRoad,
    args: [{ freeSpeed: 90, jamDensity: 150 }, INITIAL, GRID, DETECTORS],
  },
  {
    f: calibrationLoss,
    df: dRoad,
    args: [{ freeSpeed: 75, jamDensity: 180 }, INITIAL, GRID, DETECTORS],
  },
];
