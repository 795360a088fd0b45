// Trimming a sailboat for the best speed toward the windward mark. For a
// heading relative to the true wind and a sail angle, the apparent wind comes
// from vector addition of the boat's motion; the sail makes lift and drag from
// its angle of attack, the hull resists as the square of speed, and boat speed
// is found by a few fixed-point iterations. We maximise velocity made good.
import { grad } from "tsgrad";

export interface Boat {
  readonly sailArea: number; // m²
  readonly hullDrag: number; // N per (m/s)²
  readonly liftSlope: number; // per radian
  readonly stallAngle: number; // radians
  readonly parasiticDrag: number;
}

export type Trim = [headingRad: number, sailAngleRad: number];

const AIR = 1.225;

interface Wind {
  speed: number;
  angle: number; // angle off the bow, radians
}

function apparentWind(trueSpeed: number, heading: number, boatSpeed: number): Wind {
  // wind from ahead-and-abeam in the boat frame plus the headwind of our own motion
  const along = trueSpeed * Math.cos(heading) + boatSpeed;
  const across = trueSpeed * Math.sin(heading);
  return { speed: Math.hypot(along, across), angle: Math.atan2(across, along) };
}

function sailForces(boat: Boat, attack: number): { lift: number; drag: number } {
  // lift rises linearly and rolls off smoothly past the stall angle
  const lift = boat.liftSlope * boat.stallAngle * Math.sin(attack / boat.stallAngle);
  const drag = boat.parasiticDrag + 0.08 * lift ** 2;
  return { lift, drag };
}

function boatSpeed(boat: Boat, [heading, sailAngle]: Trim, trueWind: number, iterations = 12): number {
  let v = 1;
  for (let k = 0; k < iterations; k++) {
    const w = apparentWind(trueWind, heading, v);
    const attack = w.angle - sailAngle;
    const { lift, drag } = sailForces(boat, attack);
    const q = 0.5 * AIR * w.speed ** 2 * boat.sailArea;
    // driving force along the boat's track
    const drive = q * (lift * Math.sin(w.angle) - drag * Math.cos(w.angle));
    const target = Math.sqrt(Math.max(drive, 0) / boat.hullDrag);
    v = 0.5 * v + 0.5 * target;
  }
  return v;
}

export function negativeVmg(trim: Trim, boat: Boat, trueWind = 6): number {
  const [heading] = trim;
  return -boatSpeed(boat, trim, trueWind) * Math.cos(heading);
}

export const dTrim = grad(negativeVmg);

const DINGHY: Boat = { sailArea: 10, hullDrag: 40, liftSlope: 5, stallAngle: 0.35, parasiticDrag: 0.05 };

export const cases = [
  { f: negativeVmg, df: dTrim, args: [[0.8, 0.3], DINGHY] },
  { f: negativeVmg, df: dTrim, args: [[0.75, 0.25], DINGHY, 8] },
];
