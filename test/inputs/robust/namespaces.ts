// Namespaces: transform calls inside a namespace, of a namespace function from
// outside, and nested namespaces.
import { grad } from "tsgrad";

export namespace Geometry {
  export function area(r: number): number {
    return Math.PI * r * r;
  }
  export const dAreaInside = grad(area)(1);

  export namespace Deep {
    export const cube = (x: number): number => x * x * x;
    export const dCube = grad(cube)(2);
  }
}

export const dArea = () => grad(Geometry.area)(2);
export const dDeepCube = () => grad(Geometry.Deep.cube)(1);
