// A real PostgreSQL for data sources to connect to: a server of the test's own on 127.0.0.1 (the
// WebFront's embedded one listens on a socket hidden from scripts), with a login role and a
// database. Started from the machine's binaries, as an unprivileged user when the tests run as
// root (initdb refuses root); its folder is under TMPDIR, where ./test.sh stops what is left.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const bin = process.env.ORLEANSFUNC_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);
// The unprivileged user the server's own embedded PostgreSQL runs as; it exists once a server started.
const osUser = 'orleansfunc';
const superuser = 'browser_admin';
const superPassword = 'browser-admin-password';

const freePort = () => new Promise((resolve, reject) => {
  const probe = createServer();
  probe.once('error', reject);
  probe.listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

const asOsUser = (tool, args) =>
  process.getuid() === 0 ? run('runuser', ['-u', osUser, '--', join(bin, tool), ...args]) : run(join(bin, tool), args);

/** Starts the server; returns its port and a stop function. */
async function startPostgres() {
  const folder = mkdtempSync(join(tmpdir(), 'orleansfunc-browser-pg-'));
  chmodSync(folder, 0o777);
  const pwfile = join(folder, 'pw');
  writeFileSync(pwfile, superPassword, { mode: 0o644 });
  const data = join(folder, 'pg');
  await asOsUser('initdb', ['-D', data, '-U', superuser, '--pwfile', pwfile, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale']);
  const port = await freePort();
  await asOsUser('pg_ctl', ['-D', data, '-l', join(folder, 'server.log'), '-w', '-t', '120',
    '-o', `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=''`, 'start']);
  return { port, stop: () => asOsUser('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']) };
}

export async function createPostgresDatabase({ user, password, database }) {
  const server = await startPostgres();
  // Each -c runs on its own: CREATE DATABASE may not share a transaction.
  await run(join(bin, 'psql'), [
    '-h', '127.0.0.1', '-p', String(server.port), '-U', superuser, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1',
    '-c', `CREATE ROLE ${user} LOGIN PASSWORD '${password}'`,
    '-c', `CREATE DATABASE ${database} OWNER ${user}`,
  ], { env: { ...process.env, PGPASSWORD: superPassword } });
  return { host: '127.0.0.1', port: server.port, user, password, database, stop: server.stop };
}
