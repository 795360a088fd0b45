// A household's monthly electricity bill from how many hours a day each
// appliance runs. Each appliance sits in a room; the bill is metered per
// circuit (one per room), each circuit's load is compared to its breaker
// rating, and the utility charges peak and off-peak rates. The app tunes the
// daily hours to trade the bill against how much the family loses in comfort.
import { grad } from "tsgrad";

type Room = "kitchen" | "living" | "laundry" | "office";

const ROOMS: readonly Room[] = ["kitchen", "living", "laundry", "office"];

export interface Appliance {
  readonly name: string;
  readonly room: Room;
  readonly watts: number;
  readonly peakShare: number; // fraction of its hours that fall in peak time
  readonly wantedHours: number;
}

// breaker ratings in watts (averaged over a day, a soft limit)
const CIRCUIT_LIMIT: Record<Room, number> = {
  kitchen: 900,
  living: 600,
  laundry: 700,
  office: 400,
};

export function monthlyCost(
  hours: number[],
  appliances: readonly Appliance[],
  {
    rates = [0.31, 0.12] as [peak: number, offPeak: number],
    comfortWeight = 0.8,
    days = 30,
  } = {},
): number {
  const [peakRate, offPeakRate] = rates;
  const kwhByRoom: Record<Room, number> = {
    kitchen: 0,
    living: 0,
    laundry: 0,
    office: 0,
  };
  let energyCost = 0;
  let discomfort = 0;
  appliances.forEach((a, i) => {
    const kwh = (a.watts * hours[i]) / 1000;
    kwhByRoom[a.room] += kwh;
    energyCost +=
      kwh * (a.peakShare * peakRate + (1 - a.peakShare) * offPeakRate);
    discomfort += ((hours[i] - a.wantedHours) / (a.wantedHours + 1)) ** 2;
  });
  // a circuit running close to its breaker rating is penalised smoothly
  const overload = ROOMS.reduce((sum, room) => {
    const averageWatts = (kwhByRoom[room] * 1000) / 24;
    return (
      sum + Math.log1p(Math.exp((averageWatts - CIRCUIT_LIMIT[room]) / 50))
    );
  }, 0);
  return days * energyCost + comfortWeight * discomfort + overload;
}

export const dMonthlyCost = grad(monthlyCost);

const HOME: Appliance[] = [
  {
    name: "oven",
    room: "kitchen",
    watts: 2400,
    peakShare: 0.7,
    wantedHours: 1,
  },
  {
    name: "dishwasher",
    room: "kitchen",
    watts: 1200,
    peakShare: 0.2,
    wantedHours: 1.5,
  },
  { name: "tv", room: "living", watts: 150, peakShare: 0.8, wantedHours: 4 },
  {
    name: "heat pump",
    room: "living",
    watts: 1800,
    peakShare: 0.5,
    wantedHours: 6,
  },
  {
    name: "dryer",
    room: "laundry",
    watts: 3000,
    peakShare: 0.4,
    wantedHours: 1,
  },
  {
    name: "desktop",
    room: "office",
    watts: 350,
    peakShare: 0.9,
    wantedHours: 8,
  },
];

export const cases = [
  {
    f: monthlyCost,
    df: dMonthlyCost,
    args: [[1.2, 1.4, 3.5, 7, 1.1, 9], HOME],
  },
  {
    f: monthlyCost,
    df: dMonthlyCost,
    args: [[0.8, 2, 5, 5.5, 0.6, 7], HOME, { rates: [0.42, 0.09], days: 31 }],
  },
];
