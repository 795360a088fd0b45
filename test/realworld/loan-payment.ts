// Monthly payment of an amortizing loan and the total interest paid, with
// options destructured in the parameter list and defaults for the term.
import { grad } from "tsgrad";

interface LoanOptions {
  principal: number;
  years?: number;
  paymentsPerYear?: number;
}

export function monthlyPayment(
  annualRate: number,
  { principal, years = 30, paymentsPerYear = 12 }: LoanOptions,
): number {
  const r = annualRate / paymentsPerYear;
  const n = years * paymentsPerYear;
  return (principal * r) / (1 - Math.pow(1 + r, -n));
}

export function totalInterest(annualRate: number, options: LoanOptions): number {
  const payment = monthlyPayment(annualRate, options);
  let balance = options.principal;
  let interest = 0;
  const periods = (options.years ?? 30) * (options.paymentsPerYear ?? 12);
  for (let k = 0; k < periods; k++) {
    const due = (balance * annualRate) / (options.paymentsPerYear ?? 12);
    interest += due;
    balance -= payment - due;
  }
  return interest;
}

export const dPayment = grad(monthlyPayment);
export const dInterest = grad(totalInterest);

export const cases = [
  { f: monthlyPayment, df: dPayment, args: [0.05, { principal: 300000 }] },
  {
    f: totalInterest,
    df: dInterest,
    args: [0.04, { principal: 20000, years: 5 }],
  },
];
