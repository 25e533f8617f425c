/** Where the scheduled reports go on AWS: the reports bucket (S3) and the alert topic (SNS → Chatbot → Slack, e-mail). */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ReportNotifier, ReportStore } from '../usecases/publish-report';

export class S3ReportStore implements ReportStore {
  constructor(
    private readonly client: Pick<S3Client, 'send'>,
    private readonly bucket: string,
  ) {}

  location(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  async put(key: string, body: string, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }
}

export class SnsReportNotifier implements ReportNotifier {
  constructor(
    private readonly client: Pick<SNSClient, 'send'>,
    private readonly topicArn: string,
  ) {}

  async publish(subject: string, message: { slack: string; email: string }): Promise<void> {
    // One message per protocol: Chatbot (https) reads its JSON, e-mail gets the text.
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: subject,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: message.slack, https: message.slack, email: message.email }),
      }),
    );
  }
}
