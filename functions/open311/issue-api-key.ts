/**
 * Issue (or revoke) an Open311 api_key for an integration client. The key is printed once and only its SHA-256
 * is stored, so write it down and hand it to the client over a safe channel.
 *
 *   npm run open311:key -- "Taoyuan Fix App"            issue a key to a client
 *   npm run open311:key -- --revoke c311_xxxxxxxx…      revoke a key (e.g. one a client reports leaked)
 *
 * The table comes from TABLE_NAME and the endpoint from the SDK's standard variables, as for every function:
 * on AWS, AWS_REGION (and credentials) of the stage's account; against the local cloud,
 * AWS_ENDPOINT_URL_DYNAMODB=<its DynamoDB endpoint> and TABLE_NAME=citydesk-local-cases.
 */
import { hashApiKey, issueApiKey } from './api-keys';
import { operatorApiKeyStore } from '../composition';

async function main(args: string[]): Promise<number> {
  const store = operatorApiKeyStore();
  if (args[0] === '--revoke') {
    const key = args[1];
    if (!key) return usage();
    const revoked = await store.revoke(hashApiKey(key));
    process.stdout.write(revoked ? 'Revoked.\n' : 'No such key.\n');
    return revoked ? 0 : 1;
  }
  const clientName = args.join(' ').trim();
  if (!clientName || clientName.startsWith('-')) return usage();
  const issued = await issueApiKey(store, clientName);
  process.stdout.write(`client:  ${issued.clientName}\nclient id (logs, case createdBy): ${issued.clientId}\napi_key: ${issued.key}\n\nThis key is shown once; only its SHA-256 is stored.\n`);
  return 0;
}

function usage(): number {
  process.stderr.write('usage: npm run open311:key -- "<client name>"   |   npm run open311:key -- --revoke <api_key>\n');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
