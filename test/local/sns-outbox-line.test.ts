/** The terminal line per outbox entry: one line each, readable when a burst of department notices arrives. */
import { describe, expect, it } from 'vitest';
import { EMAIL_PREVIEW_CHARS, outboxLine, type OutboxEntry } from '../../local/sns/outbox';
import { sesOutboxLine } from '../../local/ses/server';

const notice = ['【1999 新派案】案件 20261128-00002', '類別：路燈故障', '地點：中壢區 中壢區中央西路二段 30 號前', '承辦單位：中壢區公所', '請於 2026-11-30 10:30 前簽收。'.repeat(5)].join('\n');

function entry(over: Partial<OutboxEntry>): OutboxEntry {
  return { id: 'd-1', at: '2026-11-28T01:00:00.000Z', protocol: 'email', endpoint: 'dist-zhongli-1999@example.org', messageId: 'm-1', message: notice, status: 'stored', ...over };
}

describe('outbox terminal lines', () => {
  it('an e-mail shows its subject and the start of its body on one line, cut with an ellipsis', () => {
    const line = outboxLine(entry({ subject: '[1999 新派案] 20261128-00002 路燈故障 / New case' }));

    expect(line).not.toContain('\n');
    expect(line).toContain('«[1999 新派案] 20261128-00002 路燈故障 / New case»');
    expect(line).toContain('【1999 新派案】案件 20261128-00002 ↵ 類別：路燈故障');
    expect(line.endsWith('…')).toBe(true);
    expect(line.length).toBeLessThan(notice.length);
  });

  it('an SMS is one segment and shown whole, its recipient masked as in the handlers\' logs', () => {
    const text = '桃園市1999：您反映的案件20261128-00022（違規停車）已處理完成，謝謝您。';
    expect(outboxLine(entry({ protocol: 'sms', endpoint: '+886912000110', message: text }))).toBe(`[sns sms] to [phone]: ${text}`);
  });

  it('no terminal line carries a phone number or an e-mail address; the outbox entry keeps them', () => {
    const sms = entry({ protocol: 'sms', endpoint: '+886912000110', message: '請回電 0912-345-678' });
    const mail = entry({ endpoint: 'wang.da-ming@example.org', message: '聯絡人 wang@example.org' });
    for (const line of [outboxLine(sms), outboxLine(mail), sesOutboxLine({ ...mail, from: '1999@citydesk.local' })]) {
      expect(line).not.toMatch(/0912|886912|@example\.org/);
    }
    expect(sms.endpoint).toBe('+886912000110');
  });

  it('a citizen e-mail through the local SES is cut the same way', () => {
    const line = sesOutboxLine(entry({ from: '1999@citydesk.local', subject: '案件已處理完成' }));
    const body = line.slice(line.indexOf('»: ') + 3);
    expect(body).toHaveLength(EMAIL_PREVIEW_CHARS + 1);
    expect(body.endsWith('…')).toBe(true);
  });
});
