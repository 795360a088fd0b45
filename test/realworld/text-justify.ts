// Typesetting: TeX-style badness of a paragraph already broken into lines.
// Each word has a natural width; interword glue stretches or shrinks by the
// adjustment ratio of its line. The font designer tunes the glue (natural
// space, stretchability, shrinkability) and a tracking amount so that a
// sample of typical paragraphs sets with the least total demerits.
import { grad } from "tsgrad";

export interface Glue {
  space: number; // em
  stretch: number;
  shrink: number;
  tracking: number; // em added per letter
}

type Word = { text: string; width: number };
type Line = Word[];

interface Paragraph {
  measure: number; // line width in em
  lines: Line[];
  hyphenatedLines?: number[];
}

const LINE_PENALTY = 10;
const HYPHEN_PENALTY = 50;
const OVERFULL = 100;

function naturalWidth(line: Line, glue: Glue): [width: number, gaps: number] {
  const letters = line.reduce((n, w) => n + w.text.length, 0);
  const words = line.reduce((s, w) => s + w.width, 0);
  const gaps = line.length - 1;
  return [words + letters * glue.tracking + gaps * glue.space, gaps];
}

function adjustmentRatio(line: Line, measure: number, glue: Glue): number {
  const [width, gaps] = naturalWidth(line, glue);
  const slack = measure - width;
  if (gaps === 0) return 0;
  return slack >= 0 ? slack / (gaps * glue.stretch) : slack / (gaps * glue.shrink);
}

/** TeX's badness 100 |r|^3, smooth here (no cap at 10000) so the designer can tune it. */
const badness = (r: number): number => 100 * Math.abs(r) ** 3;

export function demerits(glue: Glue, paragraphs: Paragraph[]): number {
  let total = 0;
  paragraphs.forEach(({ measure, lines, hyphenatedLines = [] }) => {
    // The last line of a paragraph is set ragged, so only the others count.
    lines.slice(0, -1).forEach((line, i) => {
      const r = adjustmentRatio(line, measure, glue);
      const overfull = r < -1 ? OVERFULL * (-1 - r) ** 2 : 0;
      const penalty = hyphenatedLines.includes(i) ? HYPHEN_PENALTY : 0;
      total += (LINE_PENALTY + badness(r)) ** 2 + penalty ** 2 + overfull;
    });
  });
  return total / paragraphs.length;
}

export const dGlue = grad(demerits);

const w = (text: string, perLetter = 0.5): Word => ({ text, width: text.length * perLetter });
const line = (text: string): Line => text.split(" ").map((t) => w(t));

const SAMPLE: Paragraph[] = [
  {
    measure: 14,
    lines: [line("The quick brown fox jumps"), line("over the lazy dog and then"), line("naps.")],
    hyphenatedLines: [0],
  },
  {
    measure: 10,
    lines: [line("Glue stretches and"), line("shrinks between all"), line("words of a line")],
  },
];

export const cases = [
  { f: demerits, df: dGlue, args: [{ space: 0.33, stretch: 0.17, shrink: 0.11, tracking: 0.01 }, SAMPLE] },
  { f: demerits, df: dGlue, args: [{ space: 0.4, stretch: 0.2, shrink: 0.15, tracking: -0.02 }, SAMPLE] },
];
