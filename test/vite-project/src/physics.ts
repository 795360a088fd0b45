// Imported by model.ts: the differentiated code crosses files.

export function springEnergy(x: number, k: number): number {
  return 0.5 * k * x * x;
}
