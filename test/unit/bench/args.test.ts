/** The bench command line: suites, modes, and a usage error for anything else. */
import { parseBenchArgs, UsageError } from '../../../bench/lib/args';
import { DEFAULT_SUITES } from '../../../bench/suites';

describe('parseBenchArgs', () => {
  it.each([
    [[], { suites: [...DEFAULT_SUITES], quick: false, profile: false }],
    [['--only', 'api,e2e'], { suites: ['api', 'e2e'], quick: false, profile: false }],
    [['--only=cleanup', '--quick'], { suites: ['cleanup'], quick: true, profile: false }],
    [['--profile'], { suites: [...DEFAULT_SUITES], quick: false, profile: true }],
  ])('reads %j', (argv, expected) => {
    expect(parseBenchArgs(argv)).toEqual(expected);
  });

  it.each([
    [['--only', 'api,speed'], 'Unknown suite speed'],
    [['--fast'], "Unknown option '--fast'"],
    [['api'], 'Unexpected argument'],
    [['--only'], "'--only"],
  ])('refuses %j with the usage', (argv, message) => {
    const attempt = () => parseBenchArgs(argv);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow('usage: npm run bench');
  });
});
