// Structural engineering: a stepped cantilever (a signpost arm, a crane jib)
// made of rectangular hollow sections. Bending moment from the tip load and
// self-weight is integrated twice along the arm for slope and deflection; the
// wall thickness of each segment is sized for the least steel mass that keeps
// the tip deflection under span/250 and every section under the yield stress.
import { grad } from "tsgrad";

export interface Segment {
  length: number; // m
  width: number; // m, outer
  height: number; // m, outer
}

interface LoadCase {
  tipLoad: number; // N
  label: string;
}

const STEEL = { E: 210e9, density: 7850, yield: 355e6 } as const;
const GRAVITY = 9.81;

class HollowSection {
  constructor(
    readonly outer: Segment,
    readonly wall: number,
  ) {}

  get area(): number {
    const { width: b, height: h } = this.outer;
    return b * h - (b - 2 * this.wall) * (h - 2 * this.wall);
  }

  get secondMoment(): number {
    const { width: b, height: h } = this.outer;
    const bi = b - 2 * this.wall;
    const hi = h - 2 * this.wall;
    return (b * h ** 3 - bi * hi ** 3) / 12;
  }

  stress(moment: number): number {
    return (moment * this.outer.height) / 2 / this.secondMoment;
  }
}

/** Which segment holds station x (measured from the wall), and the segment's start. */
function locate(segments: Segment[], x: number): [index: number, start: number] {
  let start = 0;
  for (const [i, seg] of segments.entries()) {
    if (x < start + seg.length || i === segments.length - 1) return [i, start];
    start += seg.length;
  }
  throw new Error(`station ${x} m is beyond the arm`);
}

export function deflectionProfile(
  walls: number[],
  segments: Segment[],
  { tipLoad }: LoadCase,
  stations = 400,
): number[] {
  const sections = segments.map((seg, i) => new HollowSection(seg, walls[i]));
  const span = segments.reduce((s, seg) => s + seg.length, 0);
  const dx = span / stations;
  // Moment at each station: tip load plus the weight of the arm beyond it.
  const moments: number[] = [];
  for (let k = 0; k <= stations; k++) {
    const x = k * dx;
    let weightMoment = 0;
    for (let j = k; j < stations; j++) {
      const xm = (j + 0.5) * dx;
      const [i] = locate(segments, xm);
      weightMoment += sections[i].area * STEEL.density * GRAVITY * dx * (xm - x);
    }
    moments.push(tipLoad * (span - x) + weightMoment);
  }
  let slope = 0;
  let deflection = 0;
  const profile = [0];
  for (let k = 0; k < stations; k++) {
    const [i] = locate(segments, (k + 0.5) * dx);
    const curvature = (0.5 * (moments[k] + moments[k + 1])) / (STEEL.E * sections[i].secondMoment);
    deflection += slope * dx + 0.5 * curvature * dx * dx;
    slope += curvature * dx;
    profile.push(deflection);
  }
  return profile;
}

export function designCost(walls: number[], segments: Segment[], loads: LoadCase[]): number {
  const sections = segments.map((seg, i) => new HollowSection(seg, walls[i]));
  const span = segments.reduce((s, seg) => s + seg.length, 0);
  const mass = sections.reduce((m, s, i) => m + s.area * segments[i].length * STEEL.density, 0);
  let penalty = 0;
  for (const load of loads) {
    const tip = deflectionProfile(walls, segments, load).at(-1) ?? 0;
    const limit = span / 250;
    if (tip > limit) penalty += ((tip - limit) / limit) ** 2;
    const rootStress = sections[0].stress(load.tipLoad * span);
    penalty += Math.max(0, rootStress / STEEL.yield - 0.8) ** 2;
  }
  return mass / 100 + 1000 * penalty;
}

export const dWalls = grad(designCost);

const ARM: Segment[] = [
  { length: 2.0, width: 0.2, height: 0.3 },
  { length: 2.0, width: 0.16, height: 0.24 },
  { length: 1.5, width: 0.12, height: 0.18 },
];
const LOADS: LoadCase[] = [
  { tipLoad: 6000, label: "sign and ice" },
  { tipLoad: 9000, label: "maintenance" },
];

export const cases = [
  { f: designCost, df: dWalls, args: [[0.008, 0.006, 0.005], ARM, LOADS] },
  { f: designCost, df: dWalls, args: [[0.004, 0.003, 0.0025], ARM, LOADS] },
];
