// RF engineering: the beam pattern of a uniform linear antenna array with
// complex element weights (amplitude taper and phase). The weights are tuned
// so the main lobe points at the target bearing while the sidelobes in a set
// of protected sectors stay low, with an amplitude budget per element.
import { grad } from "tsgrad";

type Complex = [re: number, im: number];

export interface Element {
  amplitude: number;
  phase: number; // radians
}

interface Sector {
  fromDeg: number;
  toDeg: number;
  weight: number;
}

export interface ArraySpec {
  spacingWavelengths: number;
  steerDeg: number;
  protectedSectors: Sector[];
  maxAmplitude?: number;
}

const cmul = ([a, b]: Complex, [c, d]: Complex): Complex => [a * c - b * d, a * d + b * c];
const cadd = ([a, b]: Complex, [c, d]: Complex): Complex => [a + c, b + d];
const expi = (theta: number): Complex => [Math.cos(theta), Math.sin(theta)];
const abs2 = ([re, im]: Complex): number => re * re + im * im;
const rad = (deg: number): number => (deg * Math.PI) / 180;

function arrayFactor(elements: Element[], spacing: number, angleDeg: number): Complex {
  const k = 2 * Math.PI * spacing * Math.sin(rad(angleDeg));
  return elements
    .map(({ amplitude, phase }, n): Complex => cmul([amplitude, 0], expi(phase + n * k)))
    .reduce(cadd, [0, 0] as Complex);
}

function sectorAngles({ fromDeg, toDeg }: Sector, samples = 7): number[] {
  return Array.from({ length: samples }, (_, i) => fromDeg + ((toDeg - fromDeg) * i) / (samples - 1));
}

export function beamCost(elements: Element[], spec: ArraySpec): number {
  const { spacingWavelengths: d, steerDeg, protectedSectors, maxAmplitude = 1 } = spec;
  const peak = abs2(arrayFactor(elements, d, steerDeg));
  const sidelobes = protectedSectors.flatMap((sector) =>
    sectorAngles(sector).map((angle) => sector.weight * abs2(arrayFactor(elements, d, angle))),
  );
  const sidelobeLevel = sidelobes.reduce((s, v) => s + v, 0) / sidelobes.length;
  const overdrive = elements
    .filter((e) => e.amplitude > maxAmplitude)
    .reduce((s, e) => s + (e.amplitude - maxAmplitude) ** 2, 0);
  // Sidelobe-to-peak ratio in dB, plus the amplifier budget.
  return 10 * Math.log10(sidelobeLevel / peak) + 100 * overdrive;
}

export const dElements = grad(beamCost);

const SPEC: ArraySpec = {
  spacingWavelengths: 0.5,
  steerDeg: 20,
  protectedSectors: [
    { fromDeg: -60, toDeg: -25, weight: 1 },
    { fromDeg: 45, toDeg: 70, weight: 3 },
  ],
  maxAmplitude: 1,
};

/** A Hamming-tapered array with the progressive phase that steers it to `deg`. */
const steered = (count: number, deg: number): Element[] =>
  Array.from({ length: count }, (_, n) => ({
    amplitude: 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (count - 1)) + 0.05,
    phase: -n * Math.PI * Math.sin(rad(deg)) + 0.03 * n * n,
  }));

export const cases = [
  { f: beamCost, df: dElements, args: [steered(8, 20), SPEC] },
  { f: beamCost, df: dElements, args: [steered(6, 15).map((e, n) => ({ ...e, amplitude: e.amplitude * (n === 2 ? 1.9 : 1.1) })), SPEC] },
];
