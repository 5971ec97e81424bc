/**
 * Rebuilds the dashboard's open-case figures (functions/adapters/open-figures-store.ts) from the open cases:
 *
 *   npm run ops:rebuild-figures -- --table <name> [--endpoint <url>] [--region <region>]
 *
 * Run it once after the deploy that adds the figures (the cases written before have none), and whenever the
 * figures are in doubt; in a quiet moment, as a case written during the run can be missing from the figures
 * until the next rebuild. Reads the open statuses' queues only, never history.
 */
import { DynamoOpenFigures } from '../functions/adapters/open-figures-store';
import { MigrateArgsError, operatorClients, parseMigrateArgs } from './migrate-timeline';

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const args = parseMigrateArgs(process.argv.slice(2));
    const { client, ddb } = operatorClients(args);
    const report = await new DynamoOpenFigures(ddb, args.table).rebuild();
    console.log(`Rebuilt the open-case figures from ${report.openCases} open cases (${report.keyed} given their attention index keys; ${report.days} deadline days).`);
    client.destroy();
  } catch (error) {
    if (!(error instanceof MigrateArgsError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}
