import { ApiError } from './api';
import { consoleHeader } from './session';

/**
 * Posts a multipart form with the browser's progress events (fetch has none for uploads); `onProgress` gets 0 to 100.
 * Resolves with the envelope's data, rejects with the API's error envelope.
 */
export function uploadWithProgress<T>(url: string, form: FormData, onProgress: (percent: number) => void): Promise<T> {
  const request = new XMLHttpRequest();
  request.open('POST', url);
  for (const [name, value] of Object.entries(consoleHeader)) request.setRequestHeader(name, value);
  request.upload.onprogress = event => { if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100)); };
  return new Promise((resolve, reject) => {
    request.onload = () => {
      const body = request.responseText ? JSON.parse(request.responseText) : {};
      if (request.status === 200) resolve(body.data as T);
      else reject(new ApiError(request.status, body.error ?? request.status, body.reason ?? '', body.message ?? request.statusText, body.detail ?? {}));
    };
    request.onerror = () => reject(new Error('The upload was cut off'));
    request.send(form);
  });
}
