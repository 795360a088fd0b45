// Aerospace: a sounding rocket's vertical ascent, integrated with explicit
// Euler over 1500 steps of 0.1 s. Thrust follows a throttle schedule (one
// level per phase, linearly blended between phases); drag uses an exponential
// or a two-layer atmosphere. The throttle schedule is tuned so the apogee
// reaches the target altitude with as little propellant as possible.
import { grad } from "tsgrad";

export type Atmosphere = "exponential" | "two-layer";

export interface Vehicle {
  dryMass: number; // kg
  propellant: number; // kg
  maxThrust: number; // N
  isp: number; // s
  dragArea: number; // Cd·A, m²
}

export interface Mission {
  targetAltitude: number; // m
  dt: number;
  steps: number;
  phaseSeconds: number; // burn time per throttle level
  atmosphere: Atmosphere;
}

interface State {
  h: number;
  v: number;
  m: number;
}

const G0 = 9.80665;

function airDensity(h: number, model: Atmosphere): number {
  switch (model) {
    case "exponential":
      return 1.225 * Math.exp(-h / 8500);
    case "two-layer": {
      if (h < 11000) return 1.225 * (1 - h / 44300) ** 4.256;
      return 1.225 * (1 - 11000 / 44300) ** 4.256 * Math.exp(-(h - 11000) / 6340);
    }
    default:
      throw new Error(`unknown atmosphere ${model as string}`);
  }
}

/** Throttle at time t: the phases' levels blended linearly; the engine is off after the last. */
function throttleAt(levels: number[], t: number, phaseSeconds: number): number {
  const x = t / phaseSeconds;
  const k = Math.floor(x);
  if (k >= levels.length) return 0;
  const next = levels[k + 1] ?? levels[k];
  const frac = x - k;
  return levels[k] * (1 - frac) + next * frac;
}

export function flyToApogee(levels: number[], vehicle: Vehicle, mission: Mission): [apogee: number, used: number] {
  let state: State = { h: 0, v: 0, m: vehicle.dryMass + vehicle.propellant };
  let apogee = 0;
  for (let n = 0; n < mission.steps; n++) {
    const t = n * mission.dt;
    const fuelLeft = state.m - vehicle.dryMass;
    const throttle = fuelLeft > 0 ? throttleAt(levels, t, mission.phaseSeconds) : 0;
    const thrust = throttle * vehicle.maxThrust;
    const mdot = thrust / (vehicle.isp * G0);
    const drag = 0.5 * airDensity(state.h, mission.atmosphere) * vehicle.dragArea * state.v * Math.abs(state.v);
    const accel = (thrust - drag) / state.m - G0;
    state = {
      h: state.h + state.v * mission.dt,
      v: state.v + accel * mission.dt,
      m: state.m - mdot * mission.dt,
    };
    apogee = Math.max(apogee, state.h);
  }
  return [apogee, vehicle.dryMass + vehicle.propellant - state.m];
}

export function missionCost(levels: number[], vehicle: Vehicle, mission: Mission): number {
  const [apogee, used] = flyToApogee(levels, vehicle, mission);
  const miss = (apogee - mission.targetAltitude) / 1000;
  const outOfRange = levels.reduce((s, l) => s + Math.max(0, l - 1) ** 2 + Math.max(0, -l) ** 2, 0);
  return miss * miss + used / vehicle.propellant + 100 * outOfRange;
}

export const dLevels = grad(missionCost);

const VEHICLE: Vehicle = {
  dryMass: 120,
  propellant: 280,
  maxThrust: 16000,
  isp: 230,
  dragArea: 0.08,
};
const MISSION: Mission = {
  targetAltitude: 30000,
  dt: 0.1,
  steps: 1500,
  phaseSeconds: 10,
  atmosphere: "exponential",
};

export const cases = [
  {
    f: missionCost,
    df: dLevels,
    args: [[0.9, 0.75, 0.6, 0.5], VEHICLE, MISSION],
  },
];
