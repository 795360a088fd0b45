// async functions, generators, await and for await near transform calls.
import { grad } from "tsgrad";

export async function fetchScale(x: number): Promise<number> {
  await Promise.resolve();
  return x * 2;
}

export function* counter(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

export async function* ticks(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}

export async function consume(): Promise<number> {
  let total = 0;
  for await (const t of ticks(3)) total += grad((x: number) => x * x * t)(1);
  for (const c of counter(3)) total += c;
  return total;
}

// @ts-expect-error a generator does not return a number
export const dGenerator = () => grad(function* (x: number) {
  yield x;
});
// @ts-expect-error an async function does not return a number
export const dAsync = () => grad(async (x: number) => x * 2);
