// Energy of a signal in a frequency band, by an in-place radix-2 FFT with the
// usual bit-reversal permutation (integer shifts and masks on indices).
import { grad } from "tsgrad";

function fft(re: number[], im: number[]): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j |= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >>> 1;
    const angle = (-2 * Math.PI) / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const [wr, wi] = [Math.cos(angle * k), Math.sin(angle * k)];
        const a = start + k;
        const b = a + half;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

export function bandEnergy(signal: number[], lowBin = 1, highBin = 3): number {
  if ((signal.length & (signal.length - 1)) !== 0) throw new RangeError("signal length must be a power of two");
  const re = [...signal];
  const im = new Array<number>(signal.length).fill(0);
  fft(re, im);
  let energy = 0;
  for (let k = lowBin; k <= highBin; k++) energy += re[k] ** 2 + im[k] ** 2;
  return energy / signal.length;
}

export const dBand = grad(bandEnergy);

export const cases = [{ f: bandEnergy, df: dBand, args: [[0.3, 1.1, -0.4, 0.8, -0.9, 0.2, 0.6, -0.7]] }];
