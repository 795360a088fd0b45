// Ground-station design for a small satellite downlink. The dish diameters at
// both ends are the design variables: a bigger dish buys gain (in dB) but
// costs money and, on the spacecraft, mass. The link margin above what the
// modem needs comes out of the classic link budget; the objective wants every
// pass geometry to close with some margin, at the least cost.
import { grad } from "tsgrad";

export interface Pass {
  readonly label: string;
  readonly slantRangeKm: number;
  readonly elevationDeg: number;
  readonly rainAttenuationDb?: number;
}

export interface Radio {
  readonly frequencyGhz: number;
  readonly txPowerW: number;
  readonly systemNoiseTempK: number;
  readonly dataRateBps: number;
  readonly requiredEbN0Db: number;
  readonly apertureEfficiency?: number;
}

const C = 299792458;
const BOLTZMANN_DBW = -228.6;

const db = (x: number) => 10 * Math.log10(x);

function dishGainDb(diameterM: number, frequencyGhz: number, efficiency = 0.6): number {
  const wavelength = C / (frequencyGhz * 1e9);
  return db(efficiency * ((Math.PI * diameterM) / wavelength) ** 2);
}

function freeSpaceLossDb(rangeKm: number, frequencyGhz: number): number {
  return 20 * Math.log10(rangeKm) + 20 * Math.log10(frequencyGhz) + 92.45;
}

function atmosphericLossDb({ elevationDeg, rainAttenuationDb = 0 }: Pass): number {
  // zenith loss of 0.3 dB stretched by the air mass at low elevation
  const airMass = 1 / Math.sin((elevationDeg * Math.PI) / 180);
  return 0.3 * airMass + rainAttenuationDb;
}

function marginDb(dishes: [ground: number, space: number], pass: Pass, radio: Radio): number {
  const [ground, space] = dishes;
  const eirp = db(radio.txPowerW) + dishGainDb(space, radio.frequencyGhz, radio.apertureEfficiency);
  const gOverT = dishGainDb(ground, radio.frequencyGhz, radio.apertureEfficiency) - db(radio.systemNoiseTempK);
  const cOverN0 =
    eirp - freeSpaceLossDb(pass.slantRangeKm, radio.frequencyGhz) - atmosphericLossDb(pass) + gOverT - BOLTZMANN_DBW;
  return cOverN0 - db(radio.dataRateBps) - radio.requiredEbN0Db;
}

export function designCost(dishes: [number, number], passes: readonly Pass[], radio: Radio): number {
  const [ground, space] = dishes;
  const hardware = 8000 * ground ** 2 + 150000 * space ** 2;
  const wanted = 3; // dB of margin on every pass
  const shortfalls = passes.map((p) => wanted - marginDb(dishes, p, radio));
  const penalty = shortfalls.filter((s) => s > 0).reduce((sum, s) => sum + 5000 * s ** 2, 0);
  return hardware + penalty;
}

export const dDesign = grad(designCost);

const PASSES: Pass[] = [
  { label: "overhead", slantRangeKm: 550, elevationDeg: 85 },
  { label: "mid", slantRangeKm: 1100, elevationDeg: 30, rainAttenuationDb: 0.5 },
  { label: "low", slantRangeKm: 1900, elevationDeg: 12, rainAttenuationDb: 1.2 },
];

const X_BAND: Radio = {
  frequencyGhz: 8.2,
  txPowerW: 1,
  systemNoiseTempK: 180,
  dataRateBps: 200e6,
  requiredEbN0Db: 4.5,
};

export const cases = [
  { f: designCost, df: dDesign, args: [[2.4, 0.12], PASSES, X_BAND] },
  {
    f: designCost,
    df: dDesign,
    args: [[3.1, 0.2], PASSES, { ...X_BAND, apertureEfficiency: 0.55, dataRateBps: 400e6 }],
  },
];
