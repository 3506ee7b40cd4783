import { ApiError } from '../lib/api';
import { consoleHeader } from '../lib/session';

/**
 * Uploads files into a folder of `resources/` with the browser's progress events (fetch has none for uploads);
 * `onProgress` gets 0 to 100. Rejects with the API's error envelope.
 */
export function uploadResources(folder: string, files: File[], overwrite: boolean, onProgress: (percent: number) => void): Promise<string[]> {
  const form = new FormData();
  for (const file of files) form.append('files', file, file.name);
  const request = new XMLHttpRequest();
  request.open('POST', `/api/v1/resources/upload?path=${encodeURIComponent(folder)}&overwrite=${overwrite}`);
  for (const [name, value] of Object.entries(consoleHeader)) request.setRequestHeader(name, value);
  request.upload.onprogress = event => { if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100)); };
  return new Promise((resolve, reject) => {
    request.onload = () => {
      const body = request.responseText ? JSON.parse(request.responseText) : {};
      if (request.status === 200) resolve(body.data as string[]);
      else reject(new ApiError(request.status, body.error ?? request.status, body.reason ?? '', body.message ?? request.statusText, body.detail ?? {}));
    };
    request.onerror = () => reject(new Error('The upload was cut off'));
    request.send(form);
  });
}

/** Downloads a file of `resources/` (the session cookie counts only with the console's header, so no plain link). */
export async function downloadResource(path: string): Promise<void> {
  const response = await fetch(`/api/v1/resources/download?path=${encodeURIComponent(path)}`, { headers: consoleHeader });
  if (!response.ok) throw ApiError.from(response, await response.json().catch(() => ({})));
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = path.split('/').pop() ?? 'file';
  link.click();
  URL.revokeObjectURL(link.href);
}
