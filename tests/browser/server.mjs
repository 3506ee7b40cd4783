// Starts a real WebFront on a fresh install for the browser tests: its own data folder (the
// embedded PostgreSQL), free ports, and nothing set up, so the console shows its setup page.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The WebFront the tests run: the Debug build test.sh makes, unless ORLEANSFUNC_WEBFRONT_DLL names another. */
const webFrontDll = process.env.ORLEANSFUNC_WEBFRONT_DLL ?? join(repositoryRoot, 'WebFront', 'bin', 'Debug', 'net10.0', 'WebFront.dll');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

/** `environment` adds settings (e.g. `OrleansFunc__Engine__Sandbox`) to the server's defaults. */
export async function startServer(environment = {}) {
  // The embedded PostgreSQL runs as an unprivileged user when the tests run as root: it must reach the folder.
  const dataFolder = mkdtempSync(join(tmpdir(), 'orleansfunc-browser-'));
  chmodSync(dataFolder, 0o755);
  const [httpPort, siloPort, gatewayPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn('dotnet', [webFrontDll], {
    cwd: dirname(webFrontDll),
    env: {
      ...process.env,
      ORLEANSFUNC_DATA: dataFolder,
      ORLEANSFUNC_HTTP_PORT: String(httpPort),
      OrleansFunc__Cluster__SiloPort: String(siloPort),
      OrleansFunc__Cluster__GatewayPort: String(gatewayPort),
      OrleansFunc__Engine__Lanes__Sync__Workers: '1',
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', chunk => (output += chunk));
  child.stderr.on('data', chunk => (output += chunk));
  const baseUrl = `http://127.0.0.1:${httpPort}`;

  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WebFront exited during start:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`WebFront was not healthy within 180 s:\n${output}`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }

  return {
    baseUrl,
    dataFolder,
    output: () => output,
    /** Stops WebFront (it stops its PostgreSQL) and removes the data folder. */
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise(resolve => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataFolder, { recursive: true, force: true });
    },
  };
}
