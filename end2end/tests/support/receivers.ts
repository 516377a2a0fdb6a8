import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { createHmac } from 'crypto';

/** The real SMTP server (Python's aiosmtpd, started by the config beside the app) and the
 * local receiver standing in for a 企业微信 group robot (started by the test itself). */
export const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? '3325');
export const ROBOT_PORT = Number(process.env.E2E_ROBOT_PORT ?? '3326');
export const SMS_PORT = Number(process.env.E2E_SMS_PORT ?? '3327');
export const SMS_SECRET = 'e2e-sms-secret';
export const MAILDIR = path.resolve(
  __dirname, '..', '..', '..', process.env.E2E_DB_DIR ?? '.tmp/e2e', 'maildir');

/** The Python with aiosmtpd that scripts/test installs. */
export function python(): string {
  const found = process.env.GONGJIAN_TEST_PYTHON;
  if (!found) throw new Error('GONGJIAN_TEST_PYTHON is not set (run scripts/test)');
  return found;
}

export interface Mail { to: string; from: string; subject: string; body: string }

// Python's own e-mail parser decodes the headers and the body as a mail client would.
const READ = `
import email, json, pathlib, sys
from email import policy
new = pathlib.Path(sys.argv[1], "new")
for f in sorted(new.iterdir()) if new.exists() else []:
    m = email.message_from_bytes(f.read_bytes(), policy=policy.default)
    print(json.dumps({"to": str(m["to"]), "from": str(m["from"]),
                      "subject": str(m["subject"]), "body": m.get_content()}))
`;

/** The e-mails delivered so far. */
export function mails(): Mail[] {
  const out = execFileSync(python(), ['-c', READ, MAILDIR]).toString();
  return out.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

export interface RobotPost { key: string; content: string }

/** A group robot's webhook on ROBOT_PORT: records each text post and answers as 企业微信 does. */
export async function robotReceiver(): Promise<{ posts: RobotPost[]; close: () => Promise<void> }> {
  const posts: RobotPost[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${ROBOT_PORT}`);
      const sent = JSON.parse(body || '{}');
      posts.push({ key: url.searchParams.get('key') ?? '', content: sent?.text?.content ?? '' });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(ROBOT_PORT, '127.0.0.1', resolve));
  return { posts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface Text { phone: string; template: string; params: Record<string, string> }

/** Aliyun's percent-encoding (RFC 3986: a space is %20, `*` is %2A, `~` stays). */
const pop = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** Aliyun's SMS API on SMS_PORT: checks each request's signature as Aliyun does (HMAC-SHA1
 * over the sorted, encoded parameters) and records the texts it would send. */
export async function smsReceiver(): Promise<{ texts: Text[]; close: () => Promise<void> }> {
  const texts: Text[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${SMS_PORT}`);
    const given = url.searchParams.get('Signature');
    const canonical = [...url.searchParams.entries()]
      .filter(([k]) => k !== 'Signature')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${pop(k)}=${pop(v)}`)
      .join('&');
    const expected = createHmac('sha1', `${SMS_SECRET}&`)
      .update(`GET&${pop('/')}&${pop(canonical)}`)
      .digest('base64');
    res.setHeader('content-type', 'application/json');
    if (given !== expected) {
      res.end(JSON.stringify({ Code: 'SignatureDoesNotMatch' }));
      return;
    }
    texts.push({
      phone: url.searchParams.get('PhoneNumbers') ?? '',
      template: url.searchParams.get('TemplateCode') ?? '',
      params: JSON.parse(url.searchParams.get('TemplateParam') ?? '{}'),
    });
    res.end(JSON.stringify({ Code: 'OK', Message: 'OK' }));
  });
  await new Promise<void>((resolve) => server.listen(SMS_PORT, '127.0.0.1', resolve));
  return { texts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
