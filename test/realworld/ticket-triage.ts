// Tunes the per-team staffing weights of a help desk from last week's ticket
// log: each open ticket is routed to its team by a lookup, tickets tagged
// "spam" are dropped, and the cost is the squared gap between each team's
// predicted handling time and the hours it logged.
import { valueAndGrad } from "tsgrad";

type Team = "billing" | "shipping" | "accounts";

export interface Ticket {
  id: string;
  team: Team;
  tags: string[];
  status: "open" | "closed";
  minutes: number;
}

const TEAMS: readonly Team[] = ["billing", "shipping", "accounts"];
const LOGGED_HOURS: Record<Team, number> = { billing: 3.5, shipping: 2, accounts: 1.25 };

export const TICKETS: readonly Ticket[] = [
  { id: "T-1", team: "billing", tags: ["refund"], status: "open", minutes: 45 },
  { id: "T-2", team: "shipping", tags: ["late"], status: "closed", minutes: 30 },
  { id: "T-3", team: "billing", tags: ["spam"], status: "open", minutes: 5 },
  { id: "T-4", team: "accounts", tags: ["login", "urgent"], status: "open", minutes: 50 },
  { id: "T-5", team: "shipping", tags: [], status: "open", minutes: 70 },
  { id: "T-6", team: "billing", tags: ["invoice"], status: "closed", minutes: 60 },
];

export function staffingLoss(speed: number[], tickets: readonly Ticket[]): number {
  const real = tickets.filter((t) => !t.tags.includes("spam"));
  let loss = 0;
  for (const team of TEAMS) {
    const mine = real.filter((t) => t.team === team);
    const k = TEAMS.indexOf(team);
    let predicted = 0;
    for (const t of mine) {
      const urgency = t.tags.includes("urgent") ? 1.5 : 1;
      predicted += (urgency * t.minutes) / 60 / (1 + Math.exp(-speed[k]));
    }
    const gap = predicted - LOGGED_HOURS[team];
    loss += gap * gap;
  }
  const openCount = real.filter((t) => t.status === "open").length;
  return loss + 0.01 * openCount * speed.reduce((s, x) => s + x * x, 0);
}

export const lossAndGrad = valueAndGrad(staffingLoss);

export const cases = [{ f: staffingLoss, df: lossAndGrad, args: [[0.3, -0.2, 0.8], TICKETS], withValue: true }];
