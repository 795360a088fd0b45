// Audio synthesis: an additive synthesizer voice (a few partials with their own
// gains and detune) shaped by an ADSR envelope, matched to a recorded pluck
// by comparing RMS loudness per analysis frame in decibels.
import { grad } from "tsgrad";

export interface Envelope {
  attack: number; // s
  decay: number; // s
  sustain: number; // level 0..1
  release: number; // s
}

export interface Partial {
  ratio: number; // of the fundamental
  gain: number;
  detuneCents?: number;
}

export interface Voice {
  envelope: Envelope;
  partials: Partial[];
}

type Phase = "attack" | "decay" | "sustain" | "release";

const SAMPLE_RATE = 8000;
const FRAME = 200;
const NOTE_OFF_S = 0.3;
const FUNDAMENTAL_HZ = 220;

function phaseAt(t: number, { attack, decay }: Envelope): Phase {
  if (t >= NOTE_OFF_S) return "release";
  if (t < attack) return "attack";
  return t < attack + decay ? "decay" : "sustain";
}

function level(t: number, env: Envelope): number {
  const { attack, decay, sustain, release } = env;
  switch (phaseAt(t, env)) {
    case "attack":
      return t / attack;
    case "decay":
      return 1 - (1 - sustain) * ((t - attack) / decay);
    case "sustain":
      return sustain;
    case "release":
      return sustain * Math.exp(-(t - NOTE_OFF_S) / release);
  }
}

const hz = (p: Partial): number => FUNDAMENTAL_HZ * p.ratio * 2 ** ((p.detuneCents ?? 0) / 1200);

export function render(voice: Voice, seconds: number): number[] {
  const n = Math.round(seconds * SAMPLE_RATE);
  return Array.from({ length: n }, (_, i) => {
    const t = i / SAMPLE_RATE;
    const tone = voice.partials.reduce((s, p) => s + p.gain * Math.sin(2 * Math.PI * hz(p) * t), 0);
    return level(t, voice.envelope) * tone;
  });
}

const toDb = (rms: number): number => 20 * Math.log10(rms + 1e-6);

export function loudnessMismatch(voice: Voice, targetDb: number[]): number {
  const samples = render(voice, (targetDb.length * FRAME) / SAMPLE_RATE);
  let loss = 0;
  targetDb.forEach((target, frame) => {
    const slice = samples.slice(frame * FRAME, (frame + 1) * FRAME);
    const rms = Math.sqrt(slice.reduce((s, x) => s + x * x, 0) / FRAME);
    loss += (toDb(rms) - target) ** 2;
  });
  return loss / targetDb.length;
}

export const dVoice = grad(loudnessMismatch);

const PLUCK_DB = [-9, -4, -5, -7, -8, -8.5, -9, -9, -9.5, -10, -10, -10.5, -16, -22, -28, -33];

export const cases = [
  {
    f: loudnessMismatch,
    df: dVoice,
    args: [
      {
        envelope: { attack: 0.0123, decay: 0.08, sustain: 0.55, release: 0.06 },
        partials: [
          { ratio: 1, gain: 0.6 },
          { ratio: 2, gain: 0.3, detuneCents: 4 },
          { ratio: 3, gain: 0.15, detuneCents: -3 },
        ],
      },
      PLUCK_DB,
    ],
    // a partial's phase 2π·220·ratio·t turns a radian per 1e-3 of its ratio over the note
    relativeStep: 1e-6,
  },
];
