/** `npm run --silent token -- <userId>` prints a bearer token the local API accepts (24 h). */
import { loadKeys, issueToken } from './auth';
import { loadLocalConfig } from './config';

async function main() {
  const userId = process.argv[2];
  if (!userId) {
    process.stderr.write('usage: npm run --silent token -- <userId>\n');
    process.exit(2);
  }
  const { dataDir } = loadLocalConfig();
  process.stdout.write(`${await issueToken(await loadKeys(dataDir), userId)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
