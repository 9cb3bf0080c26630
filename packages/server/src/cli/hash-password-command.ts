import { hashPassword } from '../platform/auth/passwords.js';

export const HASH_PASSWORD_USAGE = `Usage: fluoro hash-password < password-file

Reads a password from standard input (one line; the line break is not part of it) and prints its
scrypt hash, for the "password" of a user in the auth.keysFile:

  printf '%s' 'correct horse battery staple' | fluoro hash-password
`;

/** `fluoro hash-password`: a password from stdin, its hash on stdout. */
export async function hashPasswordCommand(
  input: NodeJS.ReadableStream,
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.from(chunk as Buffer));
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (password.length < 8) {
    err('fluoro hash-password: a password of at least 8 characters is expected on standard input\n');
    return 2;
  }
  out(`${await hashPassword(password)}\n`);
  return 0;
}
