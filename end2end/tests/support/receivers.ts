import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { execFileSync } from 'child_process';

/** The real SMTP server (Python's aiosmtpd, started by the config beside the app) and the
 * local receiver standing in for a 企业微信 group robot (started by the test itself). */
export const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? '3325');
export const ROBOT_PORT = Number(process.env.E2E_ROBOT_PORT ?? '3326');
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
