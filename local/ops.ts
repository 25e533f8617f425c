/**
 * `npm run ops -- <command>`: the guide's appendix commands (便利なコマンド) and its daily, weekly
 * and monthly checks as reports, for the local runtime (or AWS where a command says so).
 * `npm run --silent ops -- --help` lists the commands; local/ops/ holds them.
 */
import { runOps } from './ops/cli';

runOps(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});
