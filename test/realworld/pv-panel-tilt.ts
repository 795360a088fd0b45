// Tilt and azimuth of a fixed solar array chosen to maximise a day's energy:
// the sun's direction per hour from a simple solar-position model, the
// incidence angle on the panel from its normal vector, plane-of-array
// irradiance with an isotropic diffuse term, and a temperature derating.
import { grad, valueAndGrad } from "tsgrad";

type Vec3 = [number, number, number];

export interface SiteConfig {
  latitudeDeg: number;
  dayOfYear: number;
  albedo: number;
  tempCoeff: number; // per °C above 25
}

const DEG = Math.PI / 180;
const HOURS = Array.from({ length: 15 }, (_, i) => 5 + i); // 05:00 .. 19:00 solar time

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

class Panel {
  constructor(
    public tiltDeg: number,
    public azimuthDeg: number,
  ) {}

  /** Unit normal in east–north–up coordinates (azimuth measured from south, west positive). */
  get normal(): Vec3 {
    const t = this.tiltDeg * DEG;
    const a = this.azimuthDeg * DEG;
    return [-Math.sin(t) * Math.sin(a), -Math.sin(t) * Math.cos(a), Math.cos(t)];
  }
}

function sunDirection(site: SiteConfig, hour: number): Vec3 | null {
  const declination = 23.45 * DEG * Math.sin((2 * Math.PI * (284 + site.dayOfYear)) / 365);
  const hourAngle = (hour - 12) * 15 * DEG;
  const lat = site.latitudeDeg * DEG;
  const up = Math.sin(lat) * Math.sin(declination) + Math.cos(lat) * Math.cos(declination) * Math.cos(hourAngle);
  if (up <= 0.02) return null; // below (or on) the horizon
  const east = -Math.cos(declination) * Math.sin(hourAngle);
  const north = Math.cos(lat) * Math.sin(declination) - Math.sin(lat) * Math.cos(declination) * Math.cos(hourAngle);
  return [east, north, up];
}

export function negativeDailyEnergy(panel: Panel, site: SiteConfig, ambientC: number[]): number {
  const n = panel.normal;
  const tilt = panel.tiltDeg * DEG;
  let energy = 0;
  HOURS.forEach((hour, i) => {
    const sun = sunDirection(site, hour);
    if (sun === null) return;
    const clearness = 0.75 ** (1 / sun[2] ** 0.678); // air-mass attenuation
    const beam = 1000 * clearness * Math.max(0, dot(n, sun));
    const diffuse = 0.15 * 1000 * clearness * ((1 + Math.cos(tilt)) / 2);
    const ground = site.albedo * 1000 * clearness * sun[2] * ((1 - Math.cos(tilt)) / 2);
    const poa = beam + diffuse + ground;
    const cellTemp = ambientC[i] + 0.03 * poa;
    energy += poa * (1 + site.tempCoeff * (cellTemp - 25));
  });
  return -energy / 1000;
}

export const dPanel = grad(negativeDailyEnergy);
export const energyAndGrad = valueAndGrad(negativeDailyEnergy);

const SITE: SiteConfig = { latitudeDeg: 47.4, dayOfYear: 172, albedo: 0.2, tempCoeff: -0.004 };
const AMBIENT = HOURS.map((h) => 18 + 8 * Math.sin(((h - 9) * Math.PI) / 12));

export const cases = [
  { f: negativeDailyEnergy, df: dPanel, args: [new Panel(30, 10), SITE, AMBIENT] },
  { f: negativeDailyEnergy, df: energyAndGrad, args: [new Panel(22, -15), { ...SITE, dayOfYear: 300 }, AMBIENT], withValue: true },
];
