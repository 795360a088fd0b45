// Tune a PID controller on a first-order plant: gains in a record, the
// integral and the previous error kept in closure state, a debug print that
// stays off in production.
import { grad } from "tsgrad";

export interface Gains {
  kp: number;
  ki: number;
  kd: number;
}

const SETTINGS = {
  dt: 0.05,
  steps: 80,
  timeConstant: 0.8,
  setpoint: 1.0,
  debug: false,
};

export function trackingCost(gains: Gains): number {
  const { kp, ki, kd } = gains;
  let integral = 0;
  let previousError = SETTINGS.setpoint;
  const control = (error: number): number => {
    integral += error * SETTINGS.dt;
    const derivative = (error - previousError) / SETTINGS.dt;
    previousError = error;
    return kp * error + ki * integral + kd * derivative;
  };
  let y = 0;
  let cost = 0;
  for (let k = 0; k < SETTINGS.steps; k++) {
    const error = SETTINGS.setpoint - y;
    const u = control(error);
    y += ((u - y) / SETTINGS.timeConstant) * SETTINGS.dt;
    cost += error * error * SETTINGS.dt;
    if (SETTINGS.debug) console.log(`step ${k}: y=${y.toFixed(3)} u=${u.toFixed(3)}`);
  }
  return cost;
}

export const dTracking = grad(trackingCost);

export const cases = [{ f: trackingCost, df: dTracking, args: [{ kp: 1.2, ki: 0.5, kd: 0.05 }] }];
