/**
 * The quick slice of the chaos suite's fuzz part (chaos/parts/fuzz.ts): a few hundred malformed,
 * forged and oversized requests against a real runtime; the full run is `npm run chaos`.
 */
import { fuzz } from '../../../chaos/parts/fuzz';

describe('chaos: fuzz (quick)', () => {
  it('answers every fuzzed request in the contract, with no 5xx, no reset, no crash', async () => {
    // act
    const lines: string[] = [];
    const result = await fuzz({ quick: true, seed: 20_261_207, log: (l) => lines.push(l) });

    // assess
    expect(result.failures).toEqual([]);
    expect(result).toMatchObject({ name: 'fuzz', failed: 0 });
    expect(result.passed).toBe(result.tried);
    expect(result.counts).toMatchObject({
      status5xx: 0,
      crashes: 0,
      outsideEnvelope: 0,
      resets: 0,
      noResponse: 0,
      slowClientsNotClosed: 0,
      unexpectedStatus: 0,
    });
    expect(result.counts.requests).toBeGreaterThanOrEqual(400);
    // It did reach both sides of the contract: accepted requests and refused ones.
    expect(result.counts.status2xx).toBeGreaterThan(0);
    expect(result.counts.status4xx).toBeGreaterThan(result.counts.status2xx!);
  }, 120_000);
});
