// Arrays of records with constants next to their numbers under jvp, grad of
// grad and the types (test/record-trees.test.ts).
import { grad, jvp, valueAndGrad } from "tsgrad";

export interface Sphere {
  label: string;
  visible: boolean;
  center: [number, number];
  radius: number;
  weights: number[];
}

export function scene(spheres: Sphere[], k: number): number {
  let s = 0;
  for (const { center, radius, weights, visible } of spheres) {
    if (!visible) continue;
    s +=
      Math.sin(center[0] * k) * radius ** 2 +
      center[1] * weights.reduce((a, w) => a + w * w * k, 0);
  }
  return s;
}

export const dScene = grad(scene);
export const dSceneBoth = valueAndGrad(scene, [0, 1]);
export const tScene = jvp(scene);
/** d/dk of the gradient with respect to the spheres (a mixed second derivative), and d2/dk2. */
export const dK = grad(scene, 1);
export const dkOfK = grad(grad(scene, 1), 1);

/** The types say the gradient keeps the constants: an id is a string, a flag a boolean. */
export function labels(spheres: Sphere[]): string[] {
  const g = dScene(spheres, 0.5);
  const label: string = g[0]!.label;
  const visible: boolean = g[0]!.visible;
  const radius: number = g[0]!.radius;
  return [label, String(visible), String(radius)];
}

export interface Joint {
  readonly name: string;
  readonly angle: number;
  readonly limit?: readonly [min: number, max: number];
}

/** A helper that destructures an element holding a name, and an optional tuple field tested before it is read. */
function penalty({ angle, limit }: Joint): number {
  if (!limit) return 0;
  const [min, max] = limit;
  return Math.max(0, min - angle) ** 2 + Math.max(0, angle - max) ** 2;
}

export function limits(chain: readonly Joint[]): number {
  return chain
    .map((j) => penalty(j) + Math.sin(j.angle))
    .reduce((a, b) => a + b, 0);
}

export const dLimits = grad(limits);
