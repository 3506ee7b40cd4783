// A login role and an empty database of its own on the test WebFront's embedded PostgreSQL: a
// real server for data sources to connect to, reached with the credentials the server keeps in
// its data folder and the port its postmaster.pid records.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const psql = process.env.ORLEANSFUNC_PSQL ?? '/usr/lib/postgresql/15/bin/psql';

export async function createPostgresDatabase(dataFolder, { user, password, database }) {
  const credentials = JSON.parse(readFileSync(join(dataFolder, 'pg-credentials.json'), 'utf8'));
  // postmaster.pid: PID, data folder, start time, port, ...
  const port = Number(readFileSync(join(dataFolder, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3]);
  // Each -c runs on its own: CREATE DATABASE may not share a transaction.
  await promisify(execFile)(psql, [
    '-h', '127.0.0.1', '-p', String(port), '-U', credentials.user, '-d', 'orleansfunc', '-v', 'ON_ERROR_STOP=1',
    '-c', `CREATE ROLE ${user} LOGIN PASSWORD '${password}'`,
    '-c', `CREATE DATABASE ${database} OWNER ${user}`,
  ], { env: { ...process.env, PGPASSWORD: credentials.password } });
  return { host: '127.0.0.1', port, user, password, database };
}
