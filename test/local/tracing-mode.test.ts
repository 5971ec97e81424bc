/**
 * The local cloud traces nothing, and starts the X-Ray SDK its handlers import in manual mode: in its default
 * mode the SDK puts an async hook on every promise of the process (cls-hooked), about a tenth of the local cloud's
 * CPU for a context nobody reads.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud';

// test/setup.ts sets it for every test process; this file shows the local cloud sets it on its own.
delete process.env.AWS_XRAY_MANUAL_MODE;
let cloud: LocalCloud | undefined;
afterAll(async () => cloud?.close());

describe('tracing on the local cloud', () => {
  it('serves a case and its routing with no X-Ray context hook in the process', async () => {
    const { startLocalCloud } = await import('../../local/cloud');
    cloud = await startLocalCloud({ port: 0, inMemory: true, demoData: false, quiet: true });
    const res = await fetch(`${cloud.urls.api}/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await cloud.token('agent1')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'street-light', description: '路燈整晚不亮', location: { district: 'zhongli', address: '中正路 100 號前' }, reporter: { anonymous: true, notify: 'none' }, channel: 'phone', attributes: {} }),
    });
    expect(res.status).toBe(201);
    // The handlers' tracer module is loaded (the SDK with it), and its automatic mode's namespace was never made.
    const { tracer } = await import('../../functions/adapters/clients');
    expect(tracer).toBeDefined();
    expect(Object.keys((process as unknown as { namespaces?: Record<string, unknown> }).namespaces ?? {})).not.toContain('AWSXRay');
  });
});
