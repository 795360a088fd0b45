// A helper with statements in another file: called through its adjoint where it stands.
export function remote(x: number, u: number): number {
  const t = x * u;
  return t * t + Math.cos(x);
}

// Given a function: the classes pass inlines it, specialised to that function, though it is of another file.
export function applyTimes(x: number, f: (v: number) => number): number {
  let y = x;
  for (let i = 0; i < 3; i++) y = f(y);
  return y;
}

// A method of a class of another file: the classes pass inlines it wherever the class is declared.
export class Gain {
  constructor(readonly k: number) {}
  twice(x: number): number {
    let y = x;
    for (let i = 0; i < 2; i++) y = this.k * y + Math.sin(y);
    return y;
  }
}

// Given a function, one expression as written and a loop once desugared: the classes pass inlines it with statements.
export function sumOf(xs: number[], f: (v: number) => number): number {
  return xs.reduce((a, x) => a + f(x), 0);
}
