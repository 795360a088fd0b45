// Satellite navigation: a single-epoch GNSS position fix. Each pseudorange is
// the geometric range from the receiver to the satellite plus the receiver's
// clock bias, with a tropospheric delay that grows as the elevation drops;
// measurements are weighted by elevation. The unknowns are the receiver's
// ECEF position and clock bias (metres), solved by weighted least squares.
import { grad } from "tsgrad";

type Vec3 = [x: number, y: number, z: number];
export type Fix = [x: number, y: number, z: number, clockBias: number];

interface Observation {
  prn: string;
  satellite: Vec3;
  pseudorange: number;
  cn0?: number; // dB-Hz
}

const EARTH_RADIUS = 6371e3;

const sub = ([a, b, c]: Vec3, [d, e, f]: Vec3): Vec3 => [a - d, b - e, c - f];
const dot = (u: Vec3, v: Vec3): number => u.reduce((s, ui, i) => s + ui * v[i], 0);
const norm = (v: Vec3): number => Math.sqrt(dot(v, v));

function elevation(receiver: Vec3, satellite: Vec3): number {
  const los = sub(satellite, receiver);
  const up = receiver.map((c) => c / norm(receiver)) as Vec3;
  return Math.asin(dot(los, up) / norm(los));
}

function troposphere(elevationRad: number, zenithDelay = 2.4): number {
  return zenithDelay / Math.sin(Math.max(elevationRad, 0.05));
}

export function weightedResiduals(fix: Fix, observations: Observation[], { minElevationDeg = 10 } = {}): number {
  const [x, y, z, clockBias] = fix;
  const receiver: Vec3 = [x, y, z];
  let cost = 0;
  for (const obs of observations) {
    const el = elevation(receiver, obs.satellite);
    if (el < (minElevationDeg * Math.PI) / 180) continue;
    const predicted = norm(sub(obs.satellite, receiver)) + clockBias + troposphere(el);
    const sigma = 3 / Math.sin(el) / Math.sqrt(10 ** (((obs.cn0 ?? 40) - 40) / 10));
    cost += ((predicted - obs.pseudorange) / sigma) ** 2;
  }
  return cost;
}

export const dFix = grad(weightedResiduals);

// A receiver near Zurich, and six satellites of a 26,560 km orbit shell.
const latLon = (latDeg: number, lonDeg: number, r: number): Vec3 => {
  const lat = (latDeg * Math.PI) / 180;
  const lon = (lonDeg * Math.PI) / 180;
  return [r * Math.cos(lat) * Math.cos(lon), r * Math.cos(lat) * Math.sin(lon), r * Math.sin(lat)];
};
const RECEIVER = latLon(47.37, 8.54, EARTH_RADIUS + 410);
const TRUE_BIAS = 1234.5;
const SATS: [string, Vec3, number][] = [
  ["G02", latLon(60, 20, 26560e3), 45],
  ["G05", latLon(30, -10, 26560e3), 42],
  ["G12", latLon(10, 40, 26560e3), 38],
  ["G17", latLon(55, -40, 26560e3), 36],
  ["G24", latLon(75, 100, 26560e3), 40],
  ["G29", latLon(20, 5, 26560e3), 44],
];
const OBS: Observation[] = SATS.map(([prn, satellite, cn0], i) => ({
  prn,
  satellite,
  cn0,
  pseudorange:
    norm(sub(satellite, RECEIVER)) + TRUE_BIAS + troposphere(elevation(RECEIVER, satellite)) + 2 * Math.sin(7 * i),
}));

export const cases = [
  {
    f: weightedResiduals,
    df: dFix,
    args: [[RECEIVER[0] + 35, RECEIVER[1] - 20, RECEIVER[2] + 50, 1200], OBS],
  },
  {
    f: weightedResiduals,
    df: dFix,
    args: [[RECEIVER[0] - 300, RECEIVER[1] + 150, RECEIVER[2] - 80, 1300], OBS, { minElevationDeg: 5 }],
  },
];
