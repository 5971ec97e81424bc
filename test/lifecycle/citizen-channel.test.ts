import { describe, expect, it } from 'vitest';
import { citizenChannel, deliveryText } from '../../functions/usecases/lifecycle/notify-citizen';

describe('which channel reaches a reporter', () => {
  it('SMS needs a Taiwanese mobile: a foreign number falls back to e-mail when there is one', () => {
    expect(citizenChannel({ phone: '+44 1632 960123', email: 'visitor@example.org', anonymous: false, notify: 'sms' })).toEqual({ channel: 'email' });
  });

  it('a foreign number and no e-mail: nothing is sent, and the timeline says why', () => {
    const channel = citizenChannel({ phone: '+44 1632 960123', anonymous: false, notify: 'sms' });

    expect(channel).toEqual({ channel: 'none', reason: 'not-a-mobile' });
    expect(deliveryText({ ...channel, delivered: false })).toBe('未通知民眾（電話非台灣行動電話，無法簡訊通知） / Citizen not told (not-a-mobile)');
  });

  it('a Taiwanese mobile is texted', () => {
    expect(citizenChannel({ phone: '0912345678', anonymous: false, notify: 'sms' })).toEqual({ channel: 'sms' });
  });
});
