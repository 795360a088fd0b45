// Overnight charging plan for an electric car. The charger power for each
// hour is the decision; the battery's state of charge follows with a charging
// efficiency that drops as the pack fills. We pay the time-of-use tariff, wear
// the pack a little for every hour spent at high charge and high power, and
// pay a large penalty for a car that is not charged enough by morning.
import { grad } from "tsgrad";

export interface HourSlot {
  readonly hour: number; // 0..23
  readonly price: number; // $/kWh
}

export interface Pack {
  readonly capacityKwh: number;
  readonly startSoc: number; // 0..1
  readonly targetSoc: number;
  readonly maxPowerKw: number;
}

class Battery {
  soc: number;
  wear = 0;

  constructor(private readonly pack: Pack) {
    this.soc = pack.startSoc;
  }

  // efficiency falls from 95% to about 85% as the pack approaches full
  get efficiency(): number {
    return 0.95 - 0.1 * this.soc ** 4;
  }

  charge(powerKw: number): void {
    const stress = (powerKw / this.pack.maxPowerKw) ** 2 * this.soc;
    this.wear += stress;
    this.soc += (powerKw * this.efficiency) / this.pack.capacityKwh;
  }
}

function makeDegradationCost(dollarsPerStressHour: number): (b: Battery) => number {
  return (b) => b.wear * dollarsPerStressHour;
}

export function chargingCost(powers: number[], slots: readonly HourSlot[], pack: Pack): number {
  const battery = new Battery(pack);
  const degradation = makeDegradationCost(0.4);
  let energyCost = 0;
  for (let i = 0; i < slots.length; i++) {
    const p = powers[i];
    energyCost += p * slots[i].price;
    battery.charge(p);
  }
  const shortfall = Math.max(0, pack.targetSoc - battery.soc);
  // keep the power inside the charger's range with a soft barrier
  const barrier = powers.reduce((s, p) => s + 1e-3 * (1 / p + 1 / (pack.maxPowerKw - p)), 0);
  return energyCost + degradation(battery) + 200 * shortfall ** 2 + barrier;
}

export const dChargingCost = grad(chargingCost);

const NIGHT: HourSlot[] = [
  { hour: 22, price: 0.31 },
  { hour: 23, price: 0.18 },
  { hour: 0, price: 0.12 },
  { hour: 1, price: 0.1 },
  { hour: 2, price: 0.1 },
  { hour: 3, price: 0.11 },
  { hour: 4, price: 0.14 },
  { hour: 5, price: 0.22 },
];

const PACK: Pack = { capacityKwh: 60, startSoc: 0.25, targetSoc: 0.8, maxPowerKw: 7.4 };

export const cases = [
  { f: chargingCost, df: dChargingCost, args: [[1, 3, 6, 6.5, 6.5, 5, 3, 1], NIGHT, PACK] },
  { f: chargingCost, df: dChargingCost, args: [[0.5, 2, 4, 4, 4, 4, 2, 0.5], NIGHT, { ...PACK, startSoc: 0.4 }] },
];
