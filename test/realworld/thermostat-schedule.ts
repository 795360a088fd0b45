// Thermostat schedule with an enum mode and a Map of hourly setpoints.
import { grad } from "tsgrad";

enum Mode {
  Off,
  Heat,
  Cool,
}

interface Hour {
  outside: number;
  mode: Mode;
}

export function comfortCost(
  setpoints: number[],
  hours: Hour[],
  comfort = 21,
): number {
  let cost = 0;
  let inside = comfort;
  hours.forEach(({ outside, mode }, h) => {
    const target = setpoints[h % setpoints.length]!;
    let power = 0;
    switch (mode) {
      case Mode.Heat:
        power = Math.max(0, target - inside) * 0.8;
        break;
      case Mode.Cool:
        power = -Math.max(0, inside - target) * 0.6;
        break;
      default:
        power = 0;
    }
    inside += 0.1 * (outside - inside) + power;
    cost += Math.abs(power) * 0.15 + 0.05 * (inside - comfort) ** 2;
  });
  return cost;
}

export const dComfort = grad(comfortCost);
const hours: Hour[] = Array.from({ length: 12 }, (_, h) => ({
  outside: 10 + 8 * Math.sin(h / 2),
  mode: h < 6 ? Mode.Heat : h < 9 ? Mode.Off : Mode.Cool,
}));
export const cases = [
  { f: comfortCost, df: dComfort, args: [[20.3, 21.7, 22.1], hours] },
];
