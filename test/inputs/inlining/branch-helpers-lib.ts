// A helper with statements in another file: called through its adjoint where it stands.
export function remote(x: number, u: number): number {
  const t = x * u;
  return t * t + Math.cos(x);
}
