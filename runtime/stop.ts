// stopGradient: the identity on values, a constant to every derivative.
// The transformer recognises calls to it by their declaration (here); this
// body is what runs, in the primal and in the generated forward sweep.

/**
 * Returns `x` unchanged; inside differentiated code its derivative is zero
 * (JAX's `stop_gradient`, PyTorch's `detach`), for a number, an array or a
 * structure of them. `logSumExp`'s shift is the classic use:
 * `const a = stopGradient(max(x))` keeps the shift out of the gradient,
 * which is then exactly the softmax.
 */
export function stopGradient<T>(x: T): T {
  return x;
}
