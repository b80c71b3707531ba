import { StopSignals } from '../../lambdas/local/stop-signals.ts';

/** A StopSignals whose forced exits and lines are recorded instead of ending the test process. */
const signalsUnderTest = () => {
  const exits: number[] = [];
  const lines: string[] = [];
  const signals = new StopSignals({
    print: (line) => lines.push(line),
    repeatWindowMs: 50,
    exit: (code) => exits.push(code),
  });
  return { signals, exits, lines };
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('StopSignals (how tally dev answers SIGINT and SIGTERM)', () => {
  it('asks for a clean stop on the first signal', async () => {
    const { signals, exits } = signalsUnderTest();
    expect(signals.stopRequested).toBe(false);

    signals.receive('SIGINT');

    await expect(signals.requested).resolves.toBe('SIGINT');
    expect(signals.stopRequested).toBe(true);
    expect(exits).toEqual([]);
  });

  it('ignores copies of one keypress (the terminal signals the group and npm relays it again)', () => {
    const { signals, exits } = signalsUnderTest();

    signals.receive('SIGINT');
    signals.receive('SIGINT');
    signals.receive('SIGTERM');

    expect(exits).toEqual([]);
  });

  it('exits at once with 128 + the signal number on a later signal while the stop is still running', async () => {
    const { signals, exits, lines } = signalsUnderTest();

    signals.receive('SIGINT');
    await pause(80);
    signals.receive('SIGINT');

    expect(exits).toEqual([130]);
    expect(lines.join('\n')).toMatch(/SIGINT again: exiting without finishing the stop/);
  });

  it('exits with 143 on a later SIGTERM', async () => {
    const { signals, exits } = signalsUnderTest();

    signals.receive('SIGTERM');
    await pause(80);
    signals.receive('SIGTERM');

    expect(exits).toEqual([143]);
  });

  it('changes nothing once the clean stop is over', async () => {
    const { signals, exits } = signalsUnderTest();

    signals.receive('SIGINT');
    signals.stopped();
    await pause(80);
    signals.receive('SIGINT');

    expect(exits).toEqual([]);
  });
});
