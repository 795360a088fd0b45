// Sizing a resistive ladder attenuator: the resistance seen looking into each
// section is a continued fraction (the series resistor plus the shunt in
// parallel with the rest of the ladder), evaluated by a recursive inner
// function as the circuit is drawn; the loss matches a target input
// resistance and the attenuation of the first section.
import { grad } from "tsgrad";

export interface Ladder {
  series: number[];
  shunt: number[];
}

const LOAD_OHMS = 50;
const TARGET = { inputOhms: 75, firstStageGain: 0.6 };

const parallel = (a: number, b: number): number => (a * b) / (a + b);

export function ladderLoss(ladder: Ladder, load: number = LOAD_OHMS): number {
  const { series, shunt } = ladder;
  const sections = series.length;
  // Resistance looking into section k with everything after it connected.
  function inputResistance(k: number): number {
    if (k === sections) return load;
    return series[k] + parallel(shunt[k], inputResistance(k + 1));
  }
  const rIn = inputResistance(0);
  const rest = parallel(shunt[0], inputResistance(1));
  const gain = rest / (series[0] + rest);
  return ((rIn - TARGET.inputOhms) / TARGET.inputOhms) ** 2 + (gain - TARGET.firstStageGain) ** 2;
}

export const dLadder = grad(ladderLoss);

export const cases = [
  { f: ladderLoss, df: dLadder, args: [{ series: [30, 22, 15], shunt: [150, 120, 100] }] },
  { f: ladderLoss, df: dLadder, args: [{ series: [25, 40], shunt: [90, 200] }, 75] },
];
