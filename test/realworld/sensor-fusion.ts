// A complementary filter fusing a gyroscope rate with an accelerometer angle,
// tuned by gradient descent on its blending weight. Settings are merged over
// defaults, the readings are padded with the last sample, the loop advances
// its cursor in the condition, and the previous/current estimates rotate with
// a destructuring swap.
import { grad } from "tsgrad";

interface FilterSettings {
  dt: number;
  bias: number;
  warmup: number;
}

const DEFAULT_SETTINGS: FilterSettings = { dt: 0.01, bias: 0.02, warmup: 2 };

const GYRO = [0.1, 0.12, 0.08, 0.05, 0.02, -0.01, -0.03, -0.02];
const ACCEL = [0.0, 0.0011, 0.0024, 0.0031, 0.0036, 0.0035, 0.0031, 0.0029];
const TRUTH = [0.0, 0.001, 0.0022, 0.003, 0.0035, 0.0035, 0.0032, 0.003];

export function trackingError(alpha: number, gyroGain = 1, overrides: Partial<FilterSettings> = {}): number {
  const settings = { ...DEFAULT_SETTINGS, ...overrides };
  const accel = [...ACCEL, ACCEL[ACCEL.length - 1]];
  let previous = accel[0];
  let current = accel[0];
  let error = 0;
  let i = 0;
  while (i++ < GYRO.length - 1) {
    const predicted = current + gyroGain * (GYRO[i] - settings.bias) * settings.dt;
    const next = alpha * predicted + (1 - alpha) * accel[i];
    [previous, current] = [current, next];
    if (i < settings.warmup) continue;
    const smooth = 0.5 * (previous + current);
    error += (smooth - TRUTH[i]) ** 2;
  }
  return 1e6 * error;
}

export const dTracking = grad(trackingError, [0, 1]);

export const cases = [
  { f: trackingError, df: dTracking, args: [0.9], wrt: [0] },
  { f: trackingError, df: dTracking, args: [0.7, 1.2], wrt: [0, 1] },
  { f: trackingError, df: dTracking, args: [0.95, 0.8, { bias: 0, warmup: 4 }], wrt: [0, 1] },
];
