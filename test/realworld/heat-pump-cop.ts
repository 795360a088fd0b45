// Seasonal electricity use of an air-source heat pump. The coefficient of
// performance is a fraction of the Carnot limit that degrades with the lift;
// in "defrost" mode part of the output is spent melting ice off the outdoor
// coil. The design parameters (Carnot fraction, lift penalty, defrost loss)
// are fitted to metered kWh.
import { grad } from "tsgrad";

export type Mode = "heating" | "cooling" | "defrost";

export interface HeatPumpDesign {
  carnotFraction: number;
  liftPenalty: number; // per kelvin of lift above 20 K
  defrostLoss: number; // fraction of heat lost to defrost cycles
}

interface HourlyLoad {
  outdoorC: number;
  loadKwh: number;
  mode: Mode;
  meteredKwh: number;
}

const KELVIN = 273.15;
const SUPPLY_HEATING_C = 35;
const SUPPLY_COOLING_C = 12;

export class Climate {
  constructor(
    public readonly indoorC: number,
    public readonly approachK: number,
  ) {}

  get indoorK(): number {
    return this.indoorC + KELVIN;
  }
}

function carnotCop(mode: Mode, outdoorK: number, supplyK: number): number {
  switch (mode) {
    case "heating":
    case "defrost":
      return supplyK / (supplyK - outdoorK);
    case "cooling":
      return supplyK / (outdoorK - supplyK);
  }
}

export function cop(design: HeatPumpDesign, hour: HourlyLoad, climate: Climate): number {
  const { carnotFraction, liftPenalty, defrostLoss } = design;
  const outdoorK = hour.outdoorC + KELVIN;
  const supplyK = (hour.mode === "cooling" ? SUPPLY_COOLING_C - climate.approachK : SUPPLY_HEATING_C + climate.approachK) + KELVIN;
  const lift = Math.abs(supplyK - outdoorK);
  const penalty = 1 / (1 + liftPenalty * Math.max(lift - 20, 0));
  let value = carnotFraction * carnotCop(hour.mode, outdoorK, supplyK) * penalty;
  if (hour.mode === "defrost") {
    value *= 1 - defrostLoss;
  }
  return value;
}

export function meterMisfit(design: HeatPumpDesign, hours: HourlyLoad[], climate: Climate = new Climate(21, 5)): number {
  let sum = 0;
  hours.forEach((hour) => {
    const predicted = hour.loadKwh / cop(design, hour, climate);
    const r = Math.log(predicted / hour.meteredKwh);
    sum += r * r;
  });
  return sum / hours.length;
}

export const dDesign = grad(meterMisfit);

const HOURS: HourlyLoad[] = [
  { outdoorC: -7, loadKwh: 6.2, mode: "defrost", meteredKwh: 2.9 },
  { outdoorC: 2, loadKwh: 4.8, mode: "heating", meteredKwh: 1.7 },
  { outdoorC: 7, loadKwh: 3.9, mode: "heating", meteredKwh: 1.2 },
  { outdoorC: 30, loadKwh: 2.5, mode: "cooling", meteredKwh: 0.8 },
  { outdoorC: 35, loadKwh: 3.4, mode: "cooling", meteredKwh: 1.3 },
];

export const cases = [
  { f: meterMisfit, df: dDesign, args: [{ carnotFraction: 0.45, liftPenalty: 0.01, defrostLoss: 0.12 }, HOURS] },
  { f: meterMisfit, df: dDesign, args: [{ carnotFraction: 0.5, liftPenalty: 0.02, defrostLoss: 0.2 }, HOURS, new Climate(19, 4)] },
];
