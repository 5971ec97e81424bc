/** The console's reading of a timeline: access apart from work, one language, labels and the fields shown. */
import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '../../console/src/api/types';
import { actorIds, eventDetails, eventLabelKey, eventText, inLanguage, splitTimeline } from '../../console/src/logic/timeline';

const event = (type: CaseEvent['type'], extra: Partial<CaseEvent> = {}): CaseEvent => ({ id: `${type}-1`, at: '2026-11-27T01:00:00.000Z', type, by: 'workflow', ...extra });

describe('the console timeline', () => {
  it('puts views of and requests for personal data on the access tab, the work on the other', () => {
    const events = [event('created'), event('pii-viewed'), event('routed'), event('pii-access-requested'), event('pii-access-approved'), event('note')];

    const { work, access } = splitTimeline(events);

    expect(work.map((e) => e.type)).toEqual(['created', 'routed', 'note']);
    expect(access.map((e) => e.type)).toEqual(['pii-viewed', 'pii-access-requested', 'pii-access-approved']);
  });

  it("shows the reader's half of a text the workflow wrote in both languages", () => {
    const routed = event('routed', { text: '依 SOP 派案：工務局 / Routed by the SOP to: Public Works Department' });

    expect(eventText(routed, 'zh-TW')).toBe('依 SOP 派案：工務局');
    expect(eventText(routed, 'en')).toBe('Routed by the SOP to: Public Works Department');
    expect(inLanguage('待 1999 改派，期限 11/28 17:00 / In the dispatch queue; reassign by 11/28 17:00', 'en')).toBe('In the dispatch queue; reassign by 11/28 17:00');
  });

  it('keeps what people typed as they typed it, slashes and all', () => {
    const note = event('note', { by: 'agent-1', text: '路燈 / 電桿 3 號 / pole 3' });

    expect(eventText(note, 'en')).toBe('路燈 / 電桿 3 號 / pole 3');
    expect(inLanguage('A/B only', 'zh-TW')).toBe('A/B only');
  });

  it('labels the workflow start as such, not as a correction, and shows nothing else for it', () => {
    const started = event('updated', { by: 'agent-1', text: 'Case workflow started', data: { fields: 'executionArn' } });
    const corrected = event('updated', { by: 'agent-1', text: 'Corrected description, location', data: { fields: 'description,location' } });

    expect(eventLabelKey(started)).toBe('event.workflow-started');
    expect(eventText(started, 'zh-TW')).toBeUndefined();
    expect(eventDetails(started)).toEqual([]);
    expect(eventLabelKey(corrected)).toBe('event.updated');
    expect(eventText(corrected, 'zh-TW')).toBeUndefined();
    expect(eventDetails(corrected)).toEqual([{ field: 'fields', value: 'description,location' }]);
  });

  it('labels the receipt SMS apart from the outcome notice, in the UI language', () => {
    const receipt = event('citizen-notified', { by: 'workflow', text: '受理簡訊：已簡訊通知民眾 / Receipt SMS: Citizen told by SMS', data: { channel: 'sms', delivered: true, message: 'receipt' } });
    const outcome = event('citizen-notified', { by: 'workflow', text: '已簡訊通知民眾 / Citizen told by SMS', data: { channel: 'sms', delivered: true } });

    expect(eventLabelKey(receipt)).toBe('event.receipt-sms');
    expect(eventText(receipt, 'en')).toBe('Receipt SMS: Citizen told by SMS');
    expect(eventLabelKey(outcome)).toBe('event.citizen-notified');
  });

  it('shows the fields people need and never the bookkeeping', () => {
    const escalated = event('escalated', { data: { waitingFor: 'acknowledgement', dueAt: '2026-11-28T01:00:00.000Z', level: 1, reminder: false, mustAct: 'x', taskToken: 'tok' } });
    const notified = event('notified', { data: { waitingFor: 'acknowledgement', dueAt: '2026-11-28T01:00:00.000Z', level: 0, department: 'PWD', delivered: false, error: 'Timeout' } });

    expect(eventDetails(escalated)).toEqual([
      { field: 'level', value: 1 },
      { field: 'dueAt', value: '2026-11-28T01:00:00.000Z' },
    ]);
    expect(eventLabelKey(notified)).toBe('event.notify-failed');
    expect(eventDetails(notified).map((d) => d.field)).toEqual(['dueAt', 'error']);
  });

  it('asks the directory for everyone who acted and everyone whose request was approved', () => {
    const events = [event('created', { by: 'agent-1' }), event('pii-access-approved', { by: 'sup-1', data: { requester: 'staff-pwd', minutes: 30 } }), event('routed')];

    expect(actorIds(events).sort()).toEqual(['agent-1', 'staff-pwd', 'sup-1', 'workflow']);
  });

  it('an assignment names the staff member and the one before by id (the directory names them), the reason as typed', () => {
    const assigned = event('assigned', { by: 'lead-pwd', text: '熟悉 / 該路段', data: { assignee: 'ann-pwd', previousAssignee: 'bob-pwd', reason: '熟悉 / 該路段' } });

    expect(eventLabelKey(assigned)).toBe('event.assigned');
    expect(eventText(assigned, 'en')).toBe('熟悉 / 該路段');
    expect(eventDetails(assigned)).toEqual([
      { field: 'assignee', value: 'ann-pwd' },
      { field: 'previousAssignee', value: 'bob-pwd' },
    ]);
    expect(actorIds([assigned]).sort()).toEqual(['ann-pwd', 'bob-pwd', 'lead-pwd']);
  });
});
