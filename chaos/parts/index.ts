/** The chaos suite's parts, by name (`npm run chaos -- --only <names>`), in the order they run. */
import type { ChaosPart } from '../types';
import { faults } from './faults';
import { fuzz } from './fuzz';
import { killPostgres } from './kill-postgres';
import { killRuntime } from './kill-runtime';
import { races } from './races';

export const PARTS: Record<string, ChaosPart> = {
  fuzz,
  'kill-runtime': killRuntime,
  'kill-postgres': killPostgres,
  races,
  faults,
};
