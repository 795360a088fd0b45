// Greenhouse climate control: each zone has a vent, described by how far it
// opens and how much it leaks, and the zone's air temperature follows the
// outside temperature through the vent with first-order lag. The vent settings
// are tuned so every zone stays near the setpoint over a day of hourly
// weather, with sensors (some with a calibration offset) reading the zones.
import { grad } from "tsgrad";

export type Vent = [opening: number, leak: number];

interface Sensor {
  zone: number;
  weight: number;
  offsetC?: number;
}

const HOURS = 24;
const SOLAR_GAIN = 0.8; // °C per hour at noon with the vents shut

function zoneTemperatures(
  vent: Vent,
  outside: number[],
  startC: number,
): number[] {
  const [opening, leak] = vent;
  const exchange = 0.05 + 0.6 * opening + leak;
  const temps = [startC];
  for (let h = 1; h < outside.length; h++) {
    const sun = SOLAR_GAIN * Math.max(0, Math.sin((Math.PI * (h - 6)) / 12));
    const prev = temps[h - 1];
    temps.push(prev + exchange * (outside[h] - prev) + sun);
  }
  return temps;
}

function meanOf(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

function swing(xs: number[]): number {
  const m = meanOf(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length;
}

export function climateLoss(
  vents: Vent[],
  outside: number[],
  sensors: Sensor[],
  setpointC = 24,
): number {
  let loss = 0;
  vents.forEach((vent, z) => {
    const temps = zoneTemperatures(vent, outside, setpointC);
    const readers = sensors.filter((s) => s.zone === z);
    loss += readers.reduce(
      (sum, { weight, offsetC = 0 }) =>
        sum + weight * (meanOf(temps) + offsetC - setpointC) ** 2,
      0,
    );
  });
  // the same day hour by hour for every zone, to penalise zones that swing
  const hourly = Array.from({ length: vents.length }, (_, z) =>
    Array.from(
      { length: HOURS },
      (_, h) => outside[h] * (1 - vents[z][0]) + setpointC * vents[z][0],
    ),
  );
  for (const row of hourly) loss += 0.1 * swing(row);
  const zoneMeans = hourly.map((row) => meanOf(row));
  return loss + 0.01 * zoneMeans.reduce((s, m) => s + (m - setpointC) ** 2, 0);
}

export const dVents = grad(climateLoss);

const OUTSIDE = Array.from(
  { length: HOURS },
  (_, h) => 14 + 8 * Math.sin((Math.PI * (h - 9)) / 12),
);
const SENSORS: Sensor[] = [
  { zone: 0, weight: 1 },
  { zone: 1, weight: 0.5, offsetC: -0.4 },
  { zone: 1, weight: 0.5 },
  { zone: 2, weight: 1, offsetC: 0.3 },
];

export const cases = [
  {
    f: climateLoss,
    df: dVents,
    args: [
      [
        [0.3, 0.02],
        [0.5, 0.05],
        [0.2, 0.01],
      ],
      OUTSIDE,
      SENSORS,
    ],
  },
  {
    f: climateLoss,
    df: dVents,
    args: [[[0.6, 0.03] as Vent, [0.1, 0.04] as Vent], OUTSIDE, SENSORS, 22],
  },
];
