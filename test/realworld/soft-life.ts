// A differentiable Game of Life: each cell's next state is a smooth step of
// its neighbour count, two boards swapped every generation. The gradient of
// how far the board ends from a target pattern, with respect to the starting
// board, is what "find an initial state" searches use.
import { grad } from "tsgrad";

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function neighbours(board: number[][], r: number, c: number): number {
  let count = 0;
  for (let dr = -1; dr <= 1; dr++) {
    for (let dc = -1; dc <= 1; dc++) {
      if (dr === 0 && dc === 0) continue;
      const rr = r + dr;
      const cc = c + dc;
      if (rr >= 0 && rr < board.length && cc >= 0 && cc < board[rr].length) count += board[rr][cc];
    }
  }
  return count;
}

export function lifeDistance(start: number[][], target: number[][], generations = 3, sharpness = 4): number {
  let board = start.map((row) => row.map((cell) => sigmoid(cell)));
  let scratch = start.map((row) => row.map(() => 0));
  for (let g = 0; g < generations; g++) {
    for (let r = 0; r < board.length; r++) {
      for (let c = 0; c < board[r].length; c++) {
        const n = neighbours(board, r, c);
        // Born with 3 neighbours, survives with 2 or 3: a smooth bump around 2.5-3.
        const birth = sigmoid(sharpness * (n - 2.5)) * sigmoid(sharpness * (3.5 - n));
        const survive = sigmoid(sharpness * (n - 1.5)) * sigmoid(sharpness * (3.5 - n));
        scratch[r][c] = board[r][c] * survive + (1 - board[r][c]) * birth;
      }
    }
    const previous = board;
    board = scratch;
    scratch = previous;
  }
  let distance = 0;
  for (let r = 0; r < board.length; r++) {
    for (let c = 0; c < board[r].length; c++) distance += (board[r][c] - target[r][c]) ** 2;
  }
  return distance;
}

export const dStart = grad(lifeDistance);

const start = [
  [-2, 1.5, -1, -2, -1],
  [-1, 2, 1.2, -2, -1.5],
  [-2, -1, 1.8, -1, -2],
  [-1.5, -2, -1, 0.5, -1],
];
const target = [
  [0, 0, 0, 0, 0],
  [0, 1, 1, 0, 0],
  [0, 1, 1, 0, 0],
  [0, 0, 0, 0, 0],
];

export const cases = [{ f: lifeDistance, df: dStart, args: [start, target] }];
