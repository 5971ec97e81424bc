import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpHandler } from '../../functions/api/http';
import { logger, maskPersonalData, redactForLog } from '../../functions/shared/logger';
import { apiEvent, CLAIMS, lambdaContext } from './support/events';

function captureLogs(): { lines: () => Array<Record<string, unknown>>; raw: () => string } {
  const chunks: string[] = [];
  const grab = (chunk: unknown): boolean => {
    chunks.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(grab);
  vi.spyOn(process.stderr, 'write').mockImplementation(grab);
  return {
    raw: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

afterEach(() => {
  vi.restoreAllMocks();
  logger.resetKeys();
});

describe('log redaction', () => {
  it.each([
    ['0912-345-678'],
    ['0912345678'],
    ['0912 345 678'],
    ['+886 912 345 678'],
    ['+886912345678'],
    ['03-425-1234'],
    ['(03)4251234'],
    ['02-2720-8889'],
    ['+886-3-4251234'],
  ])('masks the Taiwanese phone number %s inside text', (phone) => {
    expect(maskPersonalData(`call back on ${phone} please`)).toBe('call back on [phone] please');
  });

  it('masks e-mail addresses inside text', () => {
    expect(maskPersonalData('reply to wang.da-ming+1999@mail.example.org.tw today')).toBe('reply to [email] today');
  });

  it.each([['20261127-00042'], ['2026-11-27T01:00:00.000Z'], ['arn:aws:states:ap-northeast-1:123456789012:execution:case:20261127-00042'], ['version 12345']])(
    'leaves %s alone',
    (text) => {
      expect(maskPersonalData(text)).toBe(text);
    },
  );

  it('drops reporter, name, phone, email and Authorization keys at any depth', () => {
    const out = redactForLog({
      caseNo: '20261127-00042',
      reporter: { name: '王大明', phone: '0912345678' },
      headers: { Authorization: 'Bearer abc', 'x-request-id': 'r1' },
      nested: [{ name: '王大明', email: 'a@example.org', district: 'zhongli' }],
    });
    expect(out).toEqual({ caseNo: '20261127-00042', headers: { 'x-request-id': 'r1' }, nested: [{ district: 'zhongli' }] });
  });

  it('drops keys that carry personal data under other names', () => {
    expect(redactForLog({ PhoneNumber: '+886912345678', reporterEmail: 'a@example.org', functionName: 'f', tableName: 't' })).toEqual({ functionName: 'f', tableName: 't' });
  });

  it('keeps an error its class name but masks its message', () => {
    const err = new RangeError('bad phone 0912-345-678');
    const out = redactForLog({ error: err }) as { error: { name: string; message: string } };
    expect(out.error.name).toBe('RangeError');
    expect(out.error.message).toBe('bad phone [phone]');
  });

  it('survives circular values', () => {
    const a: Record<string, unknown> = { caseNo: 'x' };
    a.self = a;
    expect(redactForLog(a)).toEqual({ caseNo: 'x', self: '[circular]' });
  });

  it('no personal data reaches the printed log lines', () => {
    const logs = captureLogs();
    logger.appendKeys({ caseNo: '20261127-00042' });

    logger.info('created case, call back 0912-345-678 or wang@example.org', {
      reporter: { name: '王大明', phone: '0912-345-678', email: 'wang@example.org' },
      body: { description: 'my number is 0912345678', reporter: { name: '王大明' } },
    });
    logger.error('failed', new Error('could not text 0912-345-678'));

    const text = logs.raw();
    expect(text).not.toMatch(/0912|wang@|王大明/);
    const [first, second] = logs.lines();
    expect(first).toMatchObject({ service: 'citydesk-1999', caseNo: '20261127-00042', body: { description: 'my number is [phone]' } });
    expect(first).not.toHaveProperty('reporter');
    expect(second).toMatchObject({ level: 'ERROR', error: { name: 'Error', message: 'could not text [phone]' } });
  });
});

describe('log keys under concurrent invocations', () => {
  it('two interleaved invocations each log with their own request id, actor and case number', async () => {
    const logs = captureLogs();
    const gates = new Map<string, () => void>();
    const waitFor = (caseNo: string) => new Promise<void>((r) => gates.set(caseNo, r));
    const handler = httpHandler('getCase', async ({ pathParameters }) => {
      logger.info('read started');
      await waitFor(pathParameters.caseNo);
      logger.appendKeys({ step: `after-${pathParameters.caseNo}` });
      logger.info('read finished');
      return { body: {} };
    });

    const a = handler(apiEvent('getCase', { pathParameters: { caseNo: '20261127-00001' }, claims: CLAIMS.agent, requestId: 'req-a' }), { ...lambdaContext, awsRequestId: 'lambda-a' });
    const b = handler(apiEvent('getCase', { pathParameters: { caseNo: '20261127-00002' }, claims: CLAIMS.supervisor, requestId: 'req-b' }), { ...lambdaContext, awsRequestId: 'lambda-b' });
    await vi.waitFor(() => expect(gates.size).toBe(2));
    gates.get('20261127-00002')!();
    await b;
    gates.get('20261127-00001')!();
    await a;

    const lines = logs.lines().filter((l) => String(l.message).startsWith('read'));
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      const mine = line.requestId === 'req-a' ? { caseNo: '20261127-00001', actorId: 'agent-1', function_request_id: 'lambda-a' } : { caseNo: '20261127-00002', actorId: 'sup-1', function_request_id: 'lambda-b' };
      expect(line).toMatchObject(mine);
      if (line.message === 'read finished') expect(line.step).toBe(`after-${mine.caseNo}`);
    }
    expect(lines.map((l) => l.requestId).sort()).toEqual(['req-a', 'req-a', 'req-b', 'req-b']);
  });

  it('after an invocation its keys are gone', async () => {
    const logs = captureLogs();
    await httpHandler('getCase', async () => ({ body: {} }))(apiEvent('getCase', { pathParameters: { caseNo: '20261127-00009' }, requestId: 'req-done' }), lambdaContext);

    logger.info('outside');

    expect(logs.lines().find((l) => l.message === 'outside')).not.toHaveProperty('caseNo');
  });
});
