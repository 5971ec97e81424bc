/**
 * Notifier over SNS (topics and citizen SMS) and SES v2 (citizen e-mail: SNS cannot e-mail an address that never
 * subscribed). Owns every publish the workflow's Lambda tasks make, the department's dispatch notice (RouteCase)
 * included.
 */
import { PublishCommand, type MessageAttributeValue, type SNSClient } from '@aws-sdk/client-sns';
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Notifier } from '../usecases/ports';

/** No verified sender is configured for this stage (env CITIZEN_EMAIL_FROM): citizens are not e-mailed. */
export class EmailNotConfiguredError extends Error {
  constructor() {
    super('No sender address configured for citizen e-mail (CITIZEN_EMAIL_FROM)');
    this.name = 'EmailNotConfigured';
  }
}

export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly ses: SESv2Client,
    private readonly emailFrom: string,
  ) {}

  async publish(
    topicArn: string,
    message: { default: string; email?: string; sms?: string; https?: string },
    subject?: string,
    attributes: Record<string, string | number> = {},
  ): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify(message),
        MessageStructure: 'json',
        ...(subject ? { Subject: subject } : {}),
        ...(Object.keys(attributes).length ? { MessageAttributes: messageAttributes(attributes) } : {}),
      }),
    );
  }

  async sms(phone: string, text: string): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        PhoneNumber: phone,
        Message: text,
        // Transactional: delivered even to numbers that opted out of promotional messages, with higher priority.
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      }),
    );
  }

  async email(to: string, subject: string, text: string): Promise<void> {
    if (!this.emailFrom) throw new EmailNotConfiguredError();
    await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.emailFrom,
        Destination: { ToAddresses: [to] },
        Content: { Simple: { Subject: { Data: subject, Charset: 'UTF-8' }, Body: { Text: { Data: text, Charset: 'UTF-8' } } } },
      }),
    );
  }
}

function messageAttributes(attributes: Record<string, string | number>): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(attributes).map(([k, v]) => [k, typeof v === 'number' ? { DataType: 'Number', StringValue: String(v) } : { DataType: 'String', StringValue: v }]),
  );
}
