export function bump(x: number, u: number): number {
  const t = x * u;
  if (t > 2) return Math.sqrt(t);
  return t * t + Math.sin(x);
}
