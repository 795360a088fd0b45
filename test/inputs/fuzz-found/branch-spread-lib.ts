// A helper of another file taking a rest parameter: lowering calls its generated
// jvp/vjp rather than inlining it, so `product(...xs, ...ys)` passes one joined array.
export const product = (...xs: number[]): number => {
  const [a, b] = xs;
  return a! * b!;
};
