/**
 * `npm start`: the whole of CityDesk 1999 on this machine (see local/cloud.ts), with a banner that says where
 * everything is, and a clean stop on Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { DataDirInUseError } from './data-dir';
import { DEFAULT_PORT, startLocalCloud, type LocalCloud } from './cloud';

const HELP = `CityDesk 1999 local cloud: the API, workflows, notifications and console on one machine.

Usage: npm start -- [options]

Options:
  --port <n>               Gateway port (API, console, identity). Default ${DEFAULT_PORT}; the local AWS services
                           take the next ports (DynamoDB +1, Step Functions +2, SNS +3, SES +4, Secrets Manager +5, S3 +6). 0 = any free ports.
  --data-dir <dir>         Where data is kept between runs. Default .citydesk/ in the repository.
  --in-memory              Keep nothing on disk (a throwaway run).
  --dynamodb-endpoint <u>  Use this DynamoDB-compatible endpoint (DynamoDB Local, LocalStack) instead of the
                           built-in one, e.g. http://localhost:8000.
  --time-scale <n>         Local clock speed: 1 = real time, 3600 = an hour per second (LOCAL_TIME_SCALE).
  --no-demo-data           Do not create the demo cases.
  --quiet                  Print only the banner, warnings and errors (no request lines).
  --log-level <level>      Level of the handlers' JSON logs: DEBUG, INFO, WARN (default) or ERROR.
  -h, --help               This text.

Environment: LOCAL_TIME_SCALE (same as --time-scale).
`;

function parseCli(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    allowNegative: true,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'in-memory': { type: 'boolean' },
      'dynamodb-endpoint': { type: 'string' },
      'time-scale': { type: 'string' },
      'demo-data': { type: 'boolean', default: true },
      quiet: { type: 'boolean' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65529) throw new UsageError(`--port must be a port number, got "${values.port}"`);
  const timeScale = values['time-scale'] === undefined ? undefined : Number(values['time-scale']);
  if (timeScale !== undefined && (!Number.isFinite(timeScale) || timeScale < 0)) throw new UsageError(`--time-scale must be a non-negative number, got "${values['time-scale']}"`);
  const handlerLogLevel = (values['log-level'] ?? 'WARN').toUpperCase();
  if (!isLogLevel(handlerLogLevel)) throw new UsageError(`--log-level must be DEBUG, INFO, WARN or ERROR, got "${values['log-level']}"`);
  if (values['in-memory'] && values['data-dir']) throw new UsageError('--in-memory and --data-dir exclude each other');
  if (values['dynamodb-endpoint'] && !/^https?:\/\//.test(values['dynamodb-endpoint'])) throw new UsageError('--dynamodb-endpoint must be an http(s) URL');
  return {
    help: values.help ?? false,
    options: {
      port,
      dataDir: values['data-dir'],
      inMemory: values['in-memory'] ?? false,
      dynamodbEndpoint: values['dynamodb-endpoint'],
      timeScale,
      demoData: values['demo-data'],
      quiet: values.quiet ?? false,
      handlerLogLevel,
    },
  };
}

class UsageError extends Error {}

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
function isLogLevel(level: string): level is (typeof LOG_LEVELS)[number] {
  return (LOG_LEVELS as readonly string[]).includes(level);
}

const EXAMPLE_CASE = JSON.stringify({
  category: 'street-light',
  description: '路燈不亮',
  location: { district: 'zhongli', address: '中壢區中央西路二段 30 號' },
  reporter: { anonymous: true, notify: 'none' },
  channel: 'phone',
});

function banner(cloud: LocalCloud): string {
  const u = cloud.urls;
  const byRole = (role: string) => cloud.users.filter((x) => x.role === role).map((x) => x.username);
  const staff = byRole('staff');
  const lines = [
    '',
    'CityDesk 1999 local cloud is up' + ` (${(cloud.startupMs / 1000).toFixed(1)} s)`,
    '',
    `  Console         ${u.console}`,
    `  API             ${u.api}   (OpenAPI: ${u.api}/openapi.json)`,
    `  Issuer (OIDC)   ${u.issuer}   (JWKS: ${u.jwks})`,
    `  DynamoDB        ${u.dynamodb}   table ${cloud.tableName}`,
    u.stepFunctions ? `  Step Functions  ${u.stepFunctions}` : '  Step Functions  (not mounted)',
    u.sns ? `  SNS             ${u.sns}   (outbox: ${u.api}/_local/outbox)` : '  SNS             (not mounted)',
    u.ses ? `  SES v2          ${u.ses}   (citizen e-mail from ${cloud.handlerEnv.CITIZEN_EMAIL_FROM ?? '?'}, same outbox)` : '  SES v2          (not mounted)',
    u.secretsManager ? `  Secrets Manager ${u.secretsManager}   (the phone-hash and cursor keys)` : '  Secrets Manager (not mounted)',
    u.s3 ? `  S3              ${u.s3}   (bucket ${cloud.handlerEnv.ATTACHMENT_BUCKET_NAME ?? '?'}: case attachments)` : '  S3              (not mounted)',
    `  Data folder     ${cloud.dataDir ?? '(in memory: nothing is kept)'}`,
    `  Clock           ${cloud.clock.now().toISOString()}${cloud.clock.scale !== 1 ? `, ${cloud.clock.scale}x real time` : ''}`,
    cloud.demoData ? `  Demo data       ${cloud.demoData.cases} cases${cloud.demoData.skipped ? ' (seeded earlier)' : ''}` : '  Demo data       off',
    '',
    '  Demo users (any name below works with POST /_local/token or npm run token -- <name>):',
    `    agents        ${byRole('agent').join(', ')}`,
    `    staff         ${staff.slice(0, 4).join(', ')}${staff.length > 4 ? `, ... (${staff.length}: <dept>.staff, e.g. dist-zhongli.staff)` : ''}`,
    `    supervisors   ${byRole('supervisor').join(', ')}`,
    `    admin         ${byRole('admin').join(', ')}`,
    `    integration   ${byRole('integration').join(', ')} (client credentials)`,
    '',
    '  Try it:',
    `    TOKEN=$(curl -s -X POST ${u.api}/_local/token -H 'content-type: application/json' -d '{"username":"agent1"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`,
    `    curl -s ${u.api}/cases -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '${EXAMPLE_CASE}'`,
    `    curl -s "${u.api}/cases?status=ASSIGNED" -H "authorization: Bearer $TOKEN"`,
    `    aws --endpoint-url ${u.dynamodb} dynamodb scan --table-name ${cloud.tableName} --max-items 3`,
    '',
    '  Ctrl-C stops everything.',
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  let cli: ReturnType<typeof parseCli>;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (cli.help) {
    console.log(HELP);
    return;
  }

  let cloud: LocalCloud;
  try {
    cloud = await startLocalCloud(cli.options);
  } catch (e) {
    if (e instanceof DataDirInUseError) {
      console.error(`\n${e.message}\n`);
      process.exit(1);
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      console.error(`\nA port the local cloud needs is taken (${(e as Error).message}). Is another local cloud or server running? Try npm start -- --port ${cli.options.port + 10}\n`);
      process.exit(1);
    }
    throw e;
  }
  console.log(banner(cloud));
  for (const w of cloud.demoData?.warnings ?? []) console.warn(`  demo data: ${w}`);

  let stoppingSince: number | undefined;
  const stop = (signal: string) => {
    if (stoppingSince !== undefined) {
      // Ctrl-C reaches both npm/tsx and this process, which may relay it: only a deliberate second one forces.
      if (Date.now() - stoppingSince < 1_000) return;
      console.error('Stopping forcefully.');
      process.exit(130);
    }
    stoppingSince = Date.now();
    console.log(`\n${signal}: stopping the local cloud...`);
    const force = setTimeout(() => {
      console.error('Still stopping after 10 s; exiting anyway.');
      process.exit(1);
    }, 10_000);
    force.unref();
    cloud
      .close()
      .then(() => {
        console.log('Stopped. Data is kept in ' + (cloud.dataDir ?? '(nowhere: in memory)'));
        process.exit(0);
      })
      .catch((e: unknown) => {
        console.error('Error while stopping:', e);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
