// Chemical equilibrium of an aqueous carbonate system solved as least squares:
// the unknowns are log10 concentrations of each species; the residuals are the
// mass-action laws of each reaction and the mass and charge balances.
import { grad } from "tsgrad";

const SPECIES = ["H+", "OH-", "CO2", "HCO3-", "CO3--"] as const;
type Species = (typeof SPECIES)[number];

interface Reaction {
  label: string;
  stoich: Partial<Record<Species, number>>; // products positive, reactants negative
  log10K: number;
}

const REACTIONS: Reaction[] = [
  { label: "water", stoich: { "H+": 1, "OH-": 1 }, log10K: -14 },
  { label: "first dissociation", stoich: { CO2: -1, "H+": 1, "HCO3-": 1 }, log10K: -6.35 },
  { label: "second dissociation", stoich: { "HCO3-": -1, "H+": 1, "CO3--": 1 }, log10K: -10.33 },
];

const CHARGE: Record<Species, number> = { "H+": 1, "OH-": -1, CO2: 0, "HCO3-": -1, "CO3--": -2 };
const TOTAL_CARBON = 2e-3; // mol/L
const CARBON_SPECIES: Species[] = ["CO2", "HCO3-", "CO3--"];
const SODIUM = 1.5e-3; // a spectator cation, mol/L

function massAction(logC: number[], { stoich, log10K }: Reaction): number {
  let lhs = 0;
  for (const [name, nu] of Object.entries(stoich) as [Species, number][]) {
    lhs += nu * logC[SPECIES.indexOf(name)];
  }
  return lhs - log10K;
}

export function equilibriumResidual(logC: number[], weights = { balance: 1 }): number {
  const conc = logC.map((l) => 10 ** l);
  const lawResiduals = REACTIONS.map((r) => massAction(logC, r));
  const carbon = CARBON_SPECIES.reduce((s, name) => s + conc[SPECIES.indexOf(name)], 0);
  const charge = SPECIES.reduce((s, name, i) => s + CHARGE[name] * conc[i], SODIUM);
  // Balances are relative to their scale so the two kinds of residual compare.
  const balances = [carbon / TOTAL_CARBON - 1, charge / SODIUM];
  const sq = (xs: number[]): number => xs.reduce((s, x) => s + x * x, 0);
  return sq(lawResiduals) + weights.balance * sq(balances);
}

export const dResidual = grad(equilibriumResidual);

export const cases = [{ f: equilibriumResidual, df: dResidual, args: [[-8.2, -5.9, -3.6, -2.9, -5.1]] }];
