// Syntax errors in a file without transform calls.
export function f(x: number): number {
  return x * * 2;
}
export const = 3;
