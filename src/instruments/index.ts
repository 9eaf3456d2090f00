/** Instruments as plain data and their pure payoffs (see terms.ts). */
export * from './payoff.ts';
export * from './terms.ts';
