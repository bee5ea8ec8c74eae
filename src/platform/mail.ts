/**
 * Email (nodemailer over SMTP): record links, batch reports, challenge outcomes. Messages
 * carry personal details by nature; the log only ever gets the subject's kind and the
 * message id, never the address or the body.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** A short label for the log, e.g. "record-link"; never personal. */
  kind: string;
}

export interface Mailer {
  send(mail: Mail): Promise<{ sent: boolean; messageId?: string }>;
  close(): void;
}

export function createMailer(config: Config, log: Pick<Logger, 'info' | 'warn'>): Mailer {
  if (!config.smtpUrl) {
    return {
      async send(mail) {
        log.warn({ kind: mail.kind }, 'mail not sent: SMTP_URL is not set');
        return { sent: false };
      },
      close() {},
    };
  }
  const transport: Transporter = nodemailer.createTransport(config.smtpUrl);
  return {
    async send(mail) {
      const info = (await transport.sendMail({
        from: config.mailFrom,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
      })) as { messageId: string };
      log.info({ kind: mail.kind, messageId: info.messageId }, 'mail sent');
      return { sent: true, messageId: info.messageId };
    },
    close() {
      transport.close();
    },
  };
}
