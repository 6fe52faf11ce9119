/** Today's date (UTC) as `YYYY-MM-DD`. Policies take a clock so tests can pin the date. */
export type Clock = () => string;

export const systemClock: Clock = () => new Date().toISOString().slice(0, 10);
