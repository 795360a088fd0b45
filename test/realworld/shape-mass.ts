// Shapes with inheritance: area-weighted centroid fitting.
import { grad } from "tsgrad";

abstract class Shape {
  constructor(protected readonly density: number) {}
  abstract area(): number;
  mass(): number {
    return this.density * this.area();
  }
}

class Circle extends Shape {
  constructor(
    private readonly r: number,
    density = 1,
  ) {
    super(density);
  }
  area(): number {
    return Math.PI * this.r ** 2;
  }
}

class Rect extends Shape {
  constructor(
    private readonly w: number,
    private readonly h: number,
    density = 1,
  ) {
    super(density);
  }
  get aspect(): number {
    return this.w / this.h;
  }
  area(): number {
    return this.w * this.h;
  }
}

export function totalMassError(
  params: { r: number; w: number; h: number },
  target: number,
): number {
  const shapes: Shape[] = [
    new Circle(params.r, 2),
    new Rect(params.w, params.h),
  ];
  const total = shapes.reduce((acc, s) => acc + s.mass(), 0);
  const rect = new Rect(params.w, params.h);
  const squarePenalty = (rect.aspect - 1) ** 2;
  return (total - target) ** 2 + squarePenalty;
}

export const dMass = grad(totalMassError);
console.log(dMass({ r: 1, w: 2, h: 3 }, 10));
export const cases = [
  { f: totalMassError, df: dMass, args: [{ r: 1, w: 2, h: 3 }, 10] },
];
