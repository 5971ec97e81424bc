/**
 * dynalite in a child process on a LevelDB folder: seeding 100,000 cases keeps one core busy in dynalite, and a
 * separate process gives the seeding client (and the gateway's handlers) the other core. dynalite has no
 * transactions, which every case change uses: the local cloud's transaction front stands before it here as it
 * does in `npm start` (local/dynamodb.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startTransactionFront } from '../../local/dynamodb-transactions';
import { ROOT } from './functions';

const SCRIPT = `
const dynalite = require('dynalite');
const server = dynalite({ path: process.argv[1], createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => process.stdout.write('port ' + server.address().port + '\\n'));
`;

export async function startDynaliteProcess(dataDir: string): Promise<{ endpoint: string; close(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SCRIPT, path.join(dataDir, 'dynamodb')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`dynalite exited with ${code}`)));
  });
  const front = await startTransactionFront(`http://127.0.0.1:${port}`, { host: '127.0.0.1', port: 0 });
  return {
    endpoint: front.endpoint,
    close: async () => {
      await front.close();
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}
