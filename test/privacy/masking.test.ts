import { describe, expect, it } from 'vitest';
import { maskEmail, maskName, maskPhone, reporterView } from '../../functions/privacy/masking';

describe('masking', () => {
  it.each([
    ['王大明', '王○明'],
    ['王明', '王○'],
    ['歐陽大明', '歐○○明'],
    ['王', '○'],
    ['  林小美 ', '林○美'],
  ])('the name %s is shown as %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it.each([
    ['0912345678', '0912-***-678'],
    ['034251234', '03-***-234'],
    ['0227208889#123', '02-***-889'],
    ['12345', '***'],
  ])('the phone %s is shown as %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it.each([
    ['wang.da-ming@example.org', 'w***@example.org'],
    ['a@example.org', 'a***@example.org'],
    ['@example.org', '***'],
  ])('the e-mail %s is shown as %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });

  it('a masked reporter keeps the notification choice and says it is masked', () => {
    const view = reporterView({ name: '王大明', phone: '0912345678', email: 'wang@example.org', anonymous: false, notify: 'sms' }, false);

    expect(view).toEqual({ name: '王○明', phone: '0912-***-678', email: 'w***@example.org', anonymous: false, notify: 'sms', masked: true });
  });

  it('an erased reporter shows nothing but when it was erased', () => {
    const view = reporterView({ anonymous: false, notify: 'none', erasedAt: '2027-12-01T00:00:00.000Z' }, false);

    expect(view).toEqual({ anonymous: false, notify: 'none', masked: true, erasedAt: '2027-12-01T00:00:00.000Z' });
  });
});
