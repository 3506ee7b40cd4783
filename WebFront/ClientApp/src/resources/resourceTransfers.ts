import { ApiError } from '../lib/api';
import { consoleHeader } from '../lib/session';
import { uploadWithProgress } from '../lib/transfer';

/** Uploads files into a folder of `resources/`, with progress (0 to 100). Rejects with the API's error envelope. */
export function uploadResources(folder: string, files: File[], overwrite: boolean, onProgress: (percent: number) => void): Promise<string[]> {
  const form = new FormData();
  for (const file of files) form.append('files', file, file.name);
  return uploadWithProgress<string[]>(`/api/v1/resources/upload?path=${encodeURIComponent(folder)}&overwrite=${overwrite}`, form, onProgress);
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
