/**
 * `npm run token -- <user> [--port 3000]`: prints a bearer token for a demo user of the running local cloud,
 * e.g. `curl -H "authorization: Bearer $(npm run -s token -- agent1)" localhost:3000/cases`.
 * It asks the running gateway (POST /_local/token), so the token carries that instance's issuer and key.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PORT } from './cloud';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { port: { type: 'string' }, url: { type: 'string' }, 'expires-in': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const base = (values.url ?? `http://localhost:${values.port ?? DEFAULT_PORT}`).replace(/\/+$/, '');
  const username = positionals[0];
  if (values.help || !username) {
    const users = await fetch(`${base}/_local/users`)
      .then((r) => r.json() as Promise<{ users: Array<{ username: string; role: string }> }>)
      .then((b) => b.users.map((u) => `${u.username} (${u.role})`).join(', '))
      .catch(() => '(start the local cloud to list them)');
    console.error(`Usage: npm run -s token -- <user> [--port ${DEFAULT_PORT}] [--expires-in <seconds>]\nUsers: ${users}`);
    process.exit(values.help ? 0 : 2);
  }
  const body: Record<string, unknown> = { username };
  if (values['expires-in'] !== undefined) body.expiresInSeconds = Number(values['expires-in']);
  let res: Response;
  try {
    res = await fetch(`${base}/_local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    console.error(`No local cloud answers at ${base}. Start it with npm start (or pass --port / --url).`);
    process.exit(1);
  }
  const answer = (await res.json()) as { token?: string; error?: { fields?: Array<{ message: string }> } };
  if (!res.ok || !answer.token) {
    console.error(answer.error?.fields?.[0]?.message ?? `The local cloud answered ${res.status}`);
    process.exit(1);
  }
  process.stdout.write(`${answer.token}\n`);
}

void main();
