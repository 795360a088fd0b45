// Transform calls of and through functions declared in a .d.ts file.
import { grad } from "tsgrad";

export function throughBlackBox(x: number): number {
  return blackBox(x) * x;
}

export function throughFactor(x: number): number {
  return Ambient.factor * x;
}

export const dBlackBox = () => grad(blackBox);
export const dThrough = () => grad(throughBlackBox);
export const dScale = () => grad(Ambient.scale);
export const dFactor = () => grad(throughFactor);
