// Sports science: a cyclist's critical power (CP) and anaerobic work capacity
// (W′) from the W′-balance model (Skiba). Each recorded interval session is
// replayed second by second; W′ drains above CP and recovers exponentially
// below it. The fit asks that W′ balance reach about zero at the moments the
// rider reported exhaustion, and that the 3- and 12-minute best efforts lie on
// the two-parameter power–duration curve.
import { grad } from "tsgrad";

export interface PowerProfile {
  cp: number; // watts
  wPrime: number; // joules
  tauScale: number; // recovery time-constant multiplier
}

type Segment = readonly [seconds: number, watts: number];

interface Session {
  name: string;
  segments: Segment[];
  exhaustedAtEnd: boolean;
}

interface BestEffort {
  seconds: number;
  watts: number;
}

const RECOVERY_BASE_S = 546;

class WPrimeBalance {
  private balance: number;
  lowest: number;

  constructor(private readonly profile: PowerProfile) {
    this.balance = profile.wPrime;
    this.lowest = profile.wPrime;
  }

  get fraction(): number {
    return this.balance / this.profile.wPrime;
  }

  ride(watts: number, seconds: number): void {
    const { cp, wPrime, tauScale } = this.profile;
    for (let s = 0; s < seconds; s++) {
      if (watts > cp) {
        this.balance -= watts - cp;
      } else {
        const tau = tauScale * (RECOVERY_BASE_S * Math.exp(-0.01 * (cp - watts)) + 316);
        this.balance = wPrime - (wPrime - this.balance) * Math.exp(-1 / tau);
      }
      this.lowest = Math.min(this.lowest, this.balance);
    }
  }
}

export function profileLoss(profile: PowerProfile, sessions: Session[], efforts: BestEffort[]): number {
  const exhaustion = sessions
    .filter((s) => s.exhaustedAtEnd)
    .map(({ segments }) => {
      const model = new WPrimeBalance(profile);
      segments.forEach(([seconds, watts]) => model.ride(watts, seconds));
      return model.fraction ** 2;
    });
  const curve = efforts.map(({ seconds, watts }) => {
    const predicted = profile.cp + profile.wPrime / seconds;
    return ((predicted - watts) / watts) ** 2;
  });
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return sum(exhaustion) + 10 * sum(curve) + 0.1 * (profile.tauScale - 1) ** 2;
}

export const dProfile = grad(profileLoss);

const repeat = (times: number, ...block: Segment[]): Segment[] => Array.from({ length: times }, () => block).flat();

const SESSIONS: Session[] = [
  { name: "5x3min", segments: [[600, 180], ...repeat(5, [180, 330], [120, 150])], exhaustedAtEnd: true },
  { name: "30/30s", segments: [[600, 170], ...repeat(14, [30, 420], [30, 120])], exhaustedAtEnd: true },
  { name: "endurance", segments: [[3600, 210]], exhaustedAtEnd: false },
];

const EFFORTS: BestEffort[] = [
  { seconds: 180, watts: 372 },
  { seconds: 720, watts: 305 },
];

export const cases = [{ f: profileLoss, df: dProfile, args: [{ cp: 282, wPrime: 17500, tauScale: 1.05 }, SESSIONS, EFFORTS] }];
