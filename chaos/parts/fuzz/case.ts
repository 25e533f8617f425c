/** One fuzz case: bytes to send, and what must come back. */
import type { RawOptions, RawPart } from '../../../harness/raw-http';
import type { AuthCase } from './tokens';

export type Expectation =
  /** `count` responses (default 1), each with one of `statuses` when given. */
  | { kind: 'response'; count?: number; statuses?: readonly number[] }
  /** A slow client: the server must close the connection within `withinMs`. */
  | { kind: 'close'; withinMs: number }
  /** Nothing is owed (the client broke the protocol beyond an answer); whatever comes must still be right. */
  | { kind: 'any' };

export interface FuzzCase {
  index: number;
  category: 'api' | 'big-body' | 'pipelined' | 'raw' | 'mutated' | 'slow';
  /** One line a person can read: method, target, what is wrong with it. */
  summary: string;
  parts: RawPart[];
  options: RawOptions;
  expect: Expectation;
  /** HTTP requests in the case (pipelined cases send several). */
  requests: number;
  /** Method of each request, so HEAD answers are not held to the envelope. */
  methods: string[];
}

export interface FuzzContext {
  auth: AuthCase[];
  /** Processes created for user a and user b before the fuzz. */
  processes: { a: string[]; b: string[] };
}
