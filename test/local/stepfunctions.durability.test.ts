import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { substitute } from '../../local/stepfunctions';
import { ACCOUNT, eventually, FIXTURES, readFixture, sfnClient, SUBSTITUTIONS, tokenFromHistory } from './fixtures/sfn-harness';

const CHILD = join(FIXTURES, 'sfn-child.ts');
const ROLE = `arn:aws:iam::${ACCOUNT}:role/test`;
const children: ChildProcess[] = [];
const clients: SFNClient[] = [];
let dataDir = '';

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Start the service in a child process (node + tsx) and return an SFN client pointed at it. */
async function startChild(scale: number): Promise<{ child: ChildProcess; sfn: SFNClient }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, SFN_DATA_DIR: dataDir, SFN_TIME_SCALE: String(scale) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout });
  const [first] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => ['exited'])])) as string[];
  if (first === 'exited') throw new Error('the Step Functions child process exited before it was ready');
  const { endpoint } = JSON.parse(first) as { endpoint: string };
  const sfn = sfnClient(endpoint);
  clients.push(sfn);
  return { child, sfn };
}

async function kill9(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  await once(child, 'exit');
}

async function historyTypes(sfn: SFNClient, executionArn: string): Promise<{ type: string; at: number }[]> {
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return (events ?? []).map((e) => ({ type: e.type!, at: e.timestamp!.getTime() }));
}

async function untilEvent(sfn: SFNClient, executionArn: string, type: string): Promise<void> {
  await eventually(async () => ((await historyTypes(sfn, executionArn)).some((e) => e.type === type) ? true : undefined));
}

async function finished(sfn: SFNClient, executionArn: string) {
  return eventually(async () => {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return described.status === 'RUNNING' ? undefined : described;
  });
}

describe('durability across kill -9', () => {
  it('an execution waiting on a task token completes after the process is killed and restarted on the same folder', async () => {
    // Arrange
    dataDir = await mkdtemp(join(tmpdir(), 'citydesk-sfn-durable-'));
    const first = await startChild(1);
    const definition = substitute(await readFixture('sfn-callback.asl.json'), SUBSTITUTIONS);
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'callback', definition, roleArn: ROLE }));
    const { executionArn } = await first.sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'case-20261127-00042', input: JSON.stringify({ caseNo: '20261127-00042', ackSeconds: 86_400 }) }),
    );
    await untilEvent(first.sfn, executionArn!, 'TaskSubmitted');
    const { events } = await first.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const token = tokenFromHistory(events ?? []);

    // Act
    await kill9(first.child);
    const second = await startChild(1);
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ by: 'staff-pwd-1' }) }));
    const done = await finished(second.sfn, executionArn!);

    // Assert
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ caseNo: '20261127-00042', by: 'staff-pwd-1' });
    const types = (await historyTypes(second.sfn, executionArn!)).map((e) => e.type);
    expect(types.filter((t) => t === 'TaskScheduled')).toHaveLength(1);
    expect(types.slice(-5)).toEqual(['TaskSucceeded', 'TaskStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    // The waiting task was not invoked again after the restart.
    expect((await readFile(join(dataDir, 'notify-calls.log'), 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('a Wait that expired while the process was down fires after the restart, with the down time counted', async () => {
    // Arrange: an hour of local time per real second; the Wait is three local hours.
    dataDir = await mkdtemp(join(tmpdir(), 'citydesk-sfn-durable-'));
    const first = await startChild(3600);
    const definition = JSON.stringify({
      StartAt: 'Hold',
      States: { Hold: { Type: 'Wait', Seconds: 10_800, Next: 'Remind' }, Remind: { Type: 'Pass', Result: 'reminded', End: true } },
    });
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'reminder', definition, roleArn: ROLE }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    await untilEvent(first.sfn, executionArn!, 'WaitStateEntered');
    const beforeKill = await first.sfn.send(new DescribeExecutionCommand({ executionArn }));

    // Act: down for longer than the Wait (3.5 real seconds = 3.5 local hours).
    await kill9(first.child);
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const second = await startChild(3600);
    const done = await finished(second.sfn, executionArn!);

    // Assert
    expect(beforeKill.status).toBe('RUNNING');
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toBe('"reminded"');
    const events = await historyTypes(second.sfn, executionArn!);
    expect(events.filter((e) => e.type === 'WaitStateEntered')).toHaveLength(1);
    const waited = events.find((e) => e.type === 'WaitStateExited')!.at - events.find((e) => e.type === 'WaitStateEntered')!.at;
    expect(waited).toBeGreaterThanOrEqual(10_800_000);
  });
});
