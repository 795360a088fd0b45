// Architectural acoustics: reverberation time of a lecture hall per octave band
// by Eyring's formula with air absorption, for a choice of surface treatments.
// The designer varies the area of acoustic panels on each wall (m²) to bring
// RT60 to the target in every band, at a cost per square metre, subject to
// each wall's available area.
import { grad } from "tsgrad";

const BANDS = [125, 250, 500, 1000, 2000, 4000] as const;
type Band = (typeof BANDS)[number];

type Absorption = Record<Band, number>;

const MATERIALS = {
  plaster: { 125: 0.013, 250: 0.015, 500: 0.02, 1000: 0.03, 2000: 0.04, 4000: 0.05 },
  carpet: { 125: 0.08, 250: 0.24, 500: 0.57, 1000: 0.69, 2000: 0.71, 4000: 0.73 },
  seatsOccupied: { 125: 0.39, 250: 0.57, 500: 0.8, 1000: 0.94, 2000: 0.92, 4000: 0.87 },
  panel: { 125: 0.28, 250: 0.72, 500: 0.98, 1000: 1.0, 2000: 0.95, 4000: 0.9 },
} satisfies Record<string, Absorption>;

type Material = keyof typeof MATERIALS;

interface Surface {
  name: string;
  area: number;
  material: Material;
  treatable?: boolean;
}

// Air absorption m (1/m) per band at 20 °C and 50 % humidity.
const AIR: Absorption = { 125: 0.0001, 250: 0.0003, 500: 0.0006, 1000: 0.001, 2000: 0.0024, 4000: 0.0073 };

class Room {
  constructor(
    readonly volume: number,
    readonly surfaces: Surface[],
  ) {}

  get totalArea(): number {
    return this.surfaces.reduce((s, { area }) => s + area, 0);
  }

  get treatable(): Surface[] {
    return this.surfaces.filter((s) => s.treatable);
  }
}

export function rt60(room: Room, panelAreas: number[], band: Band): number {
  let absorption = 0;
  room.treatable.forEach((surface, i) => {
    absorption += panelAreas[i] * MATERIALS.panel[band] + (surface.area - panelAreas[i]) * MATERIALS[surface.material][band];
  });
  for (const surface of room.surfaces) {
    if (!surface.treatable) absorption += surface.area * MATERIALS[surface.material][band];
  }
  const meanAlpha = absorption / room.totalArea;
  return (0.161 * room.volume) / (-room.totalArea * Math.log(1 - meanAlpha) + 4 * AIR[band] * room.volume);
}

export function treatmentCost(panelAreas: number[], room: Room, target = 0.9, eurosPerM2 = 65): number {
  const misfit = BANDS.map((band) => (rt60(room, panelAreas, band) / target - 1) ** 2).reduce((a, b) => a + b);
  let bounds = 0;
  for (const [i, surface] of room.treatable.entries()) {
    const area = panelAreas[i];
    if (area < 0) bounds += area ** 2;
    else if (area > surface.area) bounds += (area - surface.area) ** 2;
  }
  const euros = panelAreas.reduce((s, a) => s + a * eurosPerM2, 0);
  return 100 * misfit + euros / 10000 + bounds;
}

export const dPanels = grad(treatmentCost);

const HALL = new Room(2400, [
  { name: "floor", area: 380, material: "carpet" },
  { name: "audience", area: 220, material: "seatsOccupied" },
  { name: "ceiling", area: 400, material: "plaster", treatable: true },
  { name: "rear wall", area: 120, material: "plaster", treatable: true },
  { name: "side walls", area: 300, material: "plaster", treatable: true },
]);

export const cases = [
  { f: treatmentCost, df: dPanels, args: [[60, 40, 50], HALL] },
  { f: treatmentCost, df: dPanels, args: [[-5, 130, 80], HALL, 1.1, 80] },
];
