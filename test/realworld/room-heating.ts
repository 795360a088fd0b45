// A small building model: each room keeps its temperature, whether it has a
// heater and its name; a day of hourly steps, heaters switching on below the
// set point (a smooth thermostat, so the cost has a gradient everywhere). We
// tune heater power and wall insulation for comfort.
import { grad } from "tsgrad";

interface RoomSpec {
  name: string;
  start: number;
  heated: boolean;
}

const ROOMS: RoomSpec[] = [
  { name: "kitchen", start: 17, heated: true },
  { name: "hall", start: 15, heated: false },
  { name: "bedroom", start: 16, heated: true },
  { name: "office", start: 18, heated: true },
];

const OUTSIDE = [4, 3, 3, 2, 2, 3, 5, 7, 9, 11, 12, 13, 13, 12, 11, 9, 7, 6, 5, 5, 4, 4, 3, 3];
const SET_POINT = 20;

class Room {
  heaterOn = 0;

  constructor(
    public temperature: number,
    public readonly hasHeater: boolean,
    public readonly name: string,
  ) {}

  step(outside: number, insulation: number, power: number): void {
    const loss = (this.temperature - outside) / insulation;
    // The heater's duty: near 1 well below the set point, near 0 above it.
    this.heaterOn = this.hasHeater ? 1 / (1 + Math.exp(2 * (this.temperature - SET_POINT))) : 0;
    this.temperature += this.heaterOn * power - loss;
  }
}

function shareHeat(rooms: Room[], a: number, b: number, rate: number): void {
  const flow = rate * (rooms[a].temperature - rooms[b].temperature);
  rooms[a].temperature -= flow;
  rooms[b].temperature += flow;
}

export function discomfort(power: number, insulation: number): number {
  const rooms = ROOMS.map((spec) => new Room(spec.start, spec.heated, spec.name));
  let penalty = 0;
  for (const outside of OUTSIDE) {
    rooms.forEach((room) => room.step(outside, insulation, power));
    for (let r = 0; r + 1 < rooms.length; r++) shareHeat(rooms, r, r + 1, 0.1);
    for (const room of rooms) {
      const weight = room.name === "bedroom" ? 2 : 1;
      penalty += weight * (room.temperature - SET_POINT) ** 2;
    }
  }
  return penalty / (OUTSIDE.length * rooms.length);
}

export const dDiscomfort = grad(discomfort, [0, 1]);

export const cases = [
  { f: discomfort, df: dDiscomfort, args: [1.5, 8], wrt: [0, 1] },
  { f: discomfort, df: dDiscomfort, args: [0.8, 12], wrt: [0, 1] },
];
