// Optics: designing an anti-reflection coating for a glass lens. The
// reflectance of a stack of thin dielectric layers follows from the
// characteristic-matrix (transfer-matrix) method with complex arithmetic;
// the layer thicknesses are tuned to minimise the photopically weighted
// reflectance across the visible band at normal and 30° incidence.
import { grad } from "tsgrad";

class Complex {
  constructor(
    readonly re: number,
    readonly im: number = 0,
  ) {}

  add(o: Complex): Complex {
    return new Complex(this.re + o.re, this.im + o.im);
  }

  sub(o: Complex): Complex {
    return new Complex(this.re - o.re, this.im - o.im);
  }

  mul(o: Complex): Complex {
    return new Complex(this.re * o.re - this.im * o.im, this.re * o.im + this.im * o.re);
  }

  scale(k: number): Complex {
    return new Complex(this.re * k, this.im * k);
  }

  get abs2(): number {
    return this.re * this.re + this.im * this.im;
  }

  div(o: Complex): Complex {
    const d = o.abs2;
    return new Complex((this.re * o.re + this.im * o.im) / d, (this.im * o.re - this.re * o.im) / d);
  }
}

type Matrix2 = [[Complex, Complex], [Complex, Complex]];

export interface Layer {
  material: "MgF2" | "TiO2" | "SiO2" | "Al2O3";
  thicknessNm: number;
}

function refractiveIndex(material: Layer["material"], wavelengthNm: number): number {
  const um2 = (wavelengthNm / 1000) ** 2;
  switch (material) {
    case "MgF2":
      return 1.3777 + 0.0035 / um2;
    case "SiO2":
      return 1.4498 + 0.00354 / um2;
    case "Al2O3":
      return 1.7545 + 0.0077 / um2;
    case "TiO2":
      return 2.2 + 0.047 / um2;
  }
}

function matmul(a: Matrix2, b: Matrix2): Matrix2 {
  return [
    [a[0][0].mul(b[0][0]).add(a[0][1].mul(b[1][0])), a[0][0].mul(b[0][1]).add(a[0][1].mul(b[1][1]))],
    [a[1][0].mul(b[0][0]).add(a[1][1].mul(b[1][0])), a[1][0].mul(b[0][1]).add(a[1][1].mul(b[1][1]))],
  ];
}

export function reflectance(stack: Layer[], wavelengthNm: number, angleDeg = 0, substrate = 1.52): number {
  const sinAir = Math.sin((angleDeg * Math.PI) / 180);
  // s-polarisation admittances: n·cos(theta) in each medium.
  const admittance = (n: number): number => Math.sqrt(n * n - sinAir * sinAir);
  let m: Matrix2 = [
    [new Complex(1), new Complex(0)],
    [new Complex(0), new Complex(1)],
  ];
  for (const { material, thicknessNm } of stack) {
    const eta = admittance(refractiveIndex(material, wavelengthNm));
    const delta = (2 * Math.PI * eta * thicknessNm) / wavelengthNm;
    const layer: Matrix2 = [
      [new Complex(Math.cos(delta)), new Complex(0, Math.sin(delta) / eta)],
      [new Complex(0, eta * Math.sin(delta)), new Complex(Math.cos(delta))],
    ];
    m = matmul(m, layer);
  }
  const etaS = admittance(substrate);
  const etaAir = admittance(1);
  const b = m[0][0].add(m[0][1].scale(etaS));
  const c = m[1][0].add(m[1][1].scale(etaS));
  const numerator = b.scale(etaAir).sub(c);
  const denominator = b.scale(etaAir).add(c);
  return numerator.div(denominator).abs2;
}

/** Photopic luminosity, a Gaussian approximation peaking at 555 nm. */
const photopic = (nm: number): number => Math.exp(-0.5 * ((nm - 555) / 45) ** 2);

export function weightedReflectance(
  thicknesses: number[],
  materials: Layer["material"][],
  angles: number[] = [0, 30],
): number {
  const stack = materials.map((material, i): Layer => ({
    material,
    thicknessNm: thicknesses[i],
  }));
  let total = 0;
  let weights = 0;
  for (let nm = 400; nm <= 700; nm += 5) {
    for (const angle of angles) {
      total += photopic(nm) * reflectance(stack, nm, angle);
      weights += photopic(nm);
    }
  }
  return (100 * total) / weights; // percent
}

export const dThicknesses = grad(weightedReflectance);

export const cases = [
  {
    f: weightedReflectance,
    df: dThicknesses,
    args: [
      [95, 60],
      ["MgF2", "TiO2"],
    ],
  },
  {
    f: weightedReflectance,
    df: dThicknesses,
    args: [
      [88, 120, 70, 20],
      ["MgF2", "TiO2", "Al2O3", "SiO2"],
      [0, 15, 30],
    ],
  },
];
