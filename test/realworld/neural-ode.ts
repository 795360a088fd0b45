// A neural ODE: a two-dimensional state whose velocity field is a small tanh
// network, integrated with classic RK4 by a generic stepper, and fitted to an
// observed trajectory. The state is a small immutable class with arithmetic
// methods; the weights are a record of number[][] and number[].
import { valueAndGrad } from "tsgrad";

export class State {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}

  plus(other: State): State {
    return new State(this.x + other.x, this.y + other.y);
  }

  times(k: number): State {
    return new State(this.x * k, this.y * k);
  }

  distanceSquared(other: State): number {
    const dx = this.x - other.x;
    const dy = this.y - other.y;
    return dx * dx + dy * dy;
  }
}

export interface VectorField {
  readonly W1: number[][]; // hidden x 2
  readonly b1: number[];
  readonly W2: number[][]; // 2 x hidden
}

const field = (net: VectorField, s: State): State => {
  const hidden = net.W1.map((row, i) => Math.tanh(row[0] * s.x + row[1] * s.y + net.b1[i]));
  const [dx, dy] = net.W2.map((row) => row.reduce((acc, w, j) => acc + w * hidden[j], 0));
  return new State(dx, dy);
};

function rk4Step(f: (s: State) => State, s: State, h: number): State {
  const k1 = f(s);
  const k2 = f(s.plus(k1.times(h / 2)));
  const k3 = f(s.plus(k2.times(h / 2)));
  const k4 = f(s.plus(k3.times(h)));
  return s.plus(
    k1
      .plus(k2.times(2))
      .plus(k3.times(2))
      .plus(k4)
      .times(h / 6),
  );
}

export function trajectoryLoss(
  net: VectorField,
  start: State,
  observed: readonly State[],
  { dt = 0.1, substeps = 2 }: { dt?: number; substeps?: number } = {},
): number {
  let state = start;
  let loss = 0;
  for (const target of observed) {
    for (let k = 0; k < substeps; k++) {
      state = rk4Step((s) => field(net, s), state, dt / substeps);
    }
    loss += state.distanceSquared(target);
  }
  return loss / observed.length;
}

export const lossAndGrad = valueAndGrad(trajectoryLoss);

const NET: VectorField = {
  W1: [
    [0.5, -0.3],
    [0.2, 0.8],
    [-0.6, 0.1],
  ],
  b1: [0.1, -0.2, 0.05],
  W2: [
    [0.7, -0.4, 0.3],
    [-0.5, 0.6, 0.2],
  ],
};

const OBSERVED = [new State(1.05, 0.02), new State(1.08, 0.07), new State(1.1, 0.11), new State(1.13, 0.16)];

export const cases = [
  { f: trajectoryLoss, df: lossAndGrad, args: [NET, new State(1, 0), OBSERVED], withValue: true },
];
