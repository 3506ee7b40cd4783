import { ApiError } from './api';
import { consoleHeader } from './session';

/** How far a transfer has come: bytes moved, and of how many when the other side said. */
export type TransferProgress = (loaded: number, total: number | null) => void;

/**
 * Sends a request with the browser's progress events (fetch has none for uploads): `body` is a multipart form or a JSON
 * value. Resolves with the envelope's data, rejects with the API's error envelope.
 */
export function send<T>(method: 'POST' | 'PUT', url: string, body: FormData | unknown,
  progress: { onUpload?: TransferProgress; onDownload?: TransferProgress } = {}): Promise<T> {
  const request = new XMLHttpRequest();
  request.open(method, url);
  for (const [name, value] of Object.entries(consoleHeader)) request.setRequestHeader(name, value);
  const isForm = body instanceof FormData;
  if (!isForm) request.setRequestHeader('Content-Type', 'application/json');
  const report = (to: TransferProgress | undefined) => (event: ProgressEvent) => to?.(event.loaded, event.lengthComputable ? event.total : null);
  request.upload.onprogress = report(progress.onUpload);
  request.onprogress = report(progress.onDownload);
  return new Promise((resolve, reject) => {
    request.onload = () => {
      const envelope = request.responseText ? JSON.parse(request.responseText) : {};
      if (request.status === 200) resolve(envelope.data as T);
      else reject(new ApiError(request.status, envelope.error ?? request.status, envelope.reason ?? '', envelope.message ?? request.statusText, envelope.detail ?? {}));
    };
    request.onerror = () => reject(new Error('The connection was cut off'));
    request.send(isForm ? body : JSON.stringify(body));
  });
}

/** Posts a multipart form; `onProgress` gets 0 to 100 as it uploads. */
export function uploadWithProgress<T>(url: string, form: FormData, onProgress: (percent: number) => void): Promise<T> {
  return send<T>('POST', url, form, { onUpload: (loaded, total) => total && onProgress(Math.round((loaded / total) * 100)) });
}
