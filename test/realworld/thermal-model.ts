// A lumped thermal model of a building as a small class: rooms exchange heat
// with their neighbours and the outside; the parameters of the model are
// fitted to logged temperatures through the class's own loss method.
import { grad } from "tsgrad";

export interface ThermalParams {
  conductance: number[]; // per room, to the outside
  coupling: number; // between neighbouring rooms
  capacity: number;
}

export class BuildingModel {
  readonly dt = 0.25;

  constructor(
    private readonly outside: readonly number[],
    private readonly logged: readonly (readonly number[])[],
  ) {}

  static fromLog(rows: readonly { outside: number; rooms: number[] }[]): BuildingModel {
    return new BuildingModel(
      rows.map((r) => r.outside),
      rows.map((r) => r.rooms),
    );
  }

  get steps(): number {
    return this.outside.length;
  }

  private step(temps: number[], p: ThermalParams, outside: number): number[] {
    return temps.map((t, i) => {
      const left = i > 0 ? temps[i - 1] : t;
      const right = i + 1 < temps.length ? temps[i + 1] : t;
      const flow = p.conductance[i] * (outside - t) + p.coupling * (left + right - 2 * t);
      return t + (this.dt * flow) / p.capacity;
    });
  }

  loss(p: ThermalParams): number {
    let temps = [...this.logged[0]];
    let err = 0;
    for (let k = 1; k < this.steps; k++) {
      temps = this.step(temps, p, this.outside[k - 1]);
      err += temps.reduce((s, t, i) => s + (t - this.logged[k][i]) ** 2, 0);
    }
    return err / this.steps;
  }
}

export const building = BuildingModel.fromLog([
  { outside: 2.0, rooms: [20.0, 21.0, 19.5] },
  { outside: 1.5, rooms: [19.6, 20.6, 19.1] },
  { outside: 1.0, rooms: [19.1, 20.2, 18.7] },
  { outside: 0.8, rooms: [18.7, 19.8, 18.3] },
  { outside: 0.5, rooms: [18.3, 19.4, 17.9] },
]);

const objective = (p: ThermalParams): number => building.loss(p);
export const dObjective = grad((p: ThermalParams) => building.loss(p));

export const cases = [{ f: objective, df: dObjective, args: [{ conductance: [0.3, 0.2, 0.35], coupling: 0.1, capacity: 1.2 }] }];
