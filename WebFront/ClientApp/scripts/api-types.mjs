// Copies the OpenAPI document of a running server (ORLEANSFUNC_URL, default the local one) to
// openapi.json, from which src/lib/api-schema.d.ts is generated.
import { writeFileSync } from 'node:fs';

const url = process.env.ORLEANSFUNC_URL ?? 'http://127.0.0.1:8088';
const response = await fetch(`${url}/swagger/v1/swagger.json`);
if (!response.ok) throw new Error(`${url}/swagger/v1/swagger.json answered ${response.status}`);
writeFileSync(new URL('../openapi.json', import.meta.url), `${JSON.stringify(await response.json(), null, 2)}\n`);
