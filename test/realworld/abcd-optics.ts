// Optics: paraxial design of a two-lens eyepiece with ray-transfer (ABCD)
// matrices. Each element of the system is a record (a thin lens or a stretch
// of free space); the system matrix is their product. The lens powers and the
// gap between them are tuned for a target effective focal length and back
// focal distance, and so that a marginal ray lands on the image plane.
import { grad } from "tsgrad";

type Matrix2 = number[][];
type Ray = [height: number, angle: number];

export type OpticalElement = { kind: "lens"; focalMm: number } | { kind: "space"; mm: number; index?: number };

export interface EyepieceDesign {
  field: number; // focal length of the field lens, mm
  eye: number; // focal length of the eye lens, mm
  gap: number; // mm
}

interface Targets {
  efl: number;
  bfd: number;
  weight?: { efl?: number; bfd?: number; spot?: number };
}

const identity = (): Matrix2 => [
  [1, 0],
  [0, 1],
];

function matrixOf(e: OpticalElement): Matrix2 {
  if (e.kind === "lens") {
    return [
      [1, 0],
      [-1 / e.focalMm, 1],
    ];
  }
  const n = e.index ?? 1;
  return [
    [1, e.mm / n],
    [0, 1],
  ];
}

function multiply(a: Matrix2, b: Matrix2): Matrix2 {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, aik, k) => s + aik * b[k][j], 0)));
}

/** Later elements multiply on the left: the ray meets the first element first. */
const systemMatrix = (elements: OpticalElement[]): Matrix2 =>
  elements.reduce((m, e) => multiply(matrixOf(e), m), identity());

const trace = (m: Matrix2, [y, u]: Ray): Ray => [m[0][0] * y + m[0][1] * u, m[1][0] * y + m[1][1] * u];

function layout({ field, eye, gap }: EyepieceDesign): OpticalElement[] {
  return [
    { kind: "lens", focalMm: field },
    { kind: "space", mm: gap },
    { kind: "lens", focalMm: eye },
  ];
}

export function designError(design: EyepieceDesign, targets: Targets): number {
  const { efl, bfd, weight: { efl: wEfl = 1, bfd: wBfd = 1, spot: wSpot = 10 } = {} } = targets;
  const [[, b], [c, d]] = systemMatrix(layout(design));
  const effectiveFocal = -1 / c;
  const backFocal = -d / c;
  // A ray from infinity at 4 mm height should cross the axis at the back focal plane.
  const imaged = systemMatrix([...layout(design), { kind: "space", mm: bfd }]);
  const [spot] = trace(imaged, [4, 0]);
  const thick = b < 0 ? b * b : 0; // the system must not fold back on itself
  return wEfl * ((effectiveFocal - efl) / efl) ** 2 + wBfd * ((backFocal - bfd) / bfd) ** 2 + wSpot * spot ** 2 + thick;
}

export const dDesign = grad(designError);

export const cases = [
  { f: designError, df: dDesign, args: [{ field: 28, eye: 22, gap: 19 }, { efl: 20, bfd: 8 }] },
  { f: designError, df: dDesign, args: [{ field: 35, eye: 18, gap: 24 }, { efl: 16, bfd: 6, weight: { spot: 2 } }] },
];
