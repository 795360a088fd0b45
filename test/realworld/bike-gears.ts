// Drivetrain losses of a road bike over a ride: the chain tension follows from
// the rider's torque and the chainring radius, and the losses from the tension,
// the cross-chaining angle and the cog size. The rider chooses the crank length
// and a cadence per segment; the objective trades the drivetrain loss against
// the rider's discomfort away from a preferred cadence.
import { grad } from "tsgrad";

type Gear = readonly [chainring: number, cog: number];

const CHAINRINGS = [50, 34] as const;
const COGS = [11, 13, 15, 17, 19, 21, 24, 28] as const;
const PITCH_M = 0.0127; // half-inch chain pitch
const WHEEL_CIRCUMFERENCE_M = 2.105;

interface Segment {
  speedKph: number;
  powerW: number;
  gear: Gear;
  minutes: number;
}

export interface RiderSetup {
  crankMm: number;
  cadences: number[]; // rpm, one per segment
}

const sprocketRadius = (teeth: number): number => PITCH_M / (2 * Math.sin(Math.PI / teeth));

function chainLine([ring, cog]: Gear): number {
  // Offset of the chain between the ring and the cog, in millimetres.
  const ringIndex = CHAINRINGS.indexOf(ring as (typeof CHAINRINGS)[number]);
  const cogIndex = COGS.indexOf(cog as (typeof COGS)[number]);
  return Math.abs(ringIndex * 5 - (cogIndex - 3.5) * 4);
}

function segmentLoss(segment: Segment, cadence: number, crankMm: number): [lossW: number, discomfort: number] {
  const { speedKph, powerW, gear } = segment;
  const [ring, cog] = gear;
  const wheelRpm = (speedKph * 1000) / 60 / WHEEL_CIRCUMFERENCE_M;
  const geared = (cadence * ring) / cog;
  const slip = (geared - wheelRpm) / wheelRpm;
  const crankTorque = powerW / ((cadence * 2 * Math.PI) / 60);
  const tension = crankTorque / sprocketRadius(ring);
  const angle = Math.atan(chainLine(gear) / 400);
  const efficiencyLoss = 0.008 + 2e-5 * tension * (1 + 3 * angle) + 0.04 / cog;
  const lossW = powerW * efficiencyLoss + 50 * slip * slip;
  const preferred = 85 + 0.1 * (crankMm - 172.5);
  const discomfort = ((cadence - preferred) / 10) ** 2 + 0.002 * (crankMm - 170) ** 2;
  return [lossW, discomfort];
}

export function rideCost(setup: RiderSetup, segments: Segment[], comfortWeight = 5): number {
  let energy = 0;
  let discomfort = 0;
  for (let i = 0; i < segments.length; i++) {
    const [loss, pain] = segmentLoss(segments[i], setup.cadences[i], setup.crankMm);
    energy += loss * segments[i].minutes * 60;
    discomfort += pain * segments[i].minutes;
  }
  console.log(`ride: ${energy.toFixed(0)} J lost, discomfort ${discomfort.toFixed(2)}`);
  return energy / 1000 + comfortWeight * discomfort;
}

export const dSetup = grad(rideCost);

const RIDE: Segment[] = [
  { speedKph: 32, powerW: 210, gear: [50, 17], minutes: 20 },
  { speedKph: 14, powerW: 260, gear: [34, 24], minutes: 8 },
  { speedKph: 45, powerW: 150, gear: [50, 11], minutes: 4 },
  { speedKph: 27, powerW: 190, gear: [34, 13], minutes: 12 },
];

export const cases = [
  { f: rideCost, df: dSetup, args: [{ crankMm: 172.5, cadences: [88, 75, 92, 80] }, RIDE] },
  { f: rideCost, df: dSetup, args: [{ crankMm: 165, cadences: [95, 70, 90, 84] }, RIDE, 2] },
];
