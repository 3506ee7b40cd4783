/** Hands a base64 file from the API to the browser as a download named `fileName`; answers its size in bytes. */
export function downloadBase64(fileName: string, base64: string): number {
  const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the data to the download; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url));
  return bytes.length;
}

/** The bytes of a chosen file as base64, for the JSON form of an upload. */
export async function readAsBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // String.fromCharCode takes its arguments on the stack: a slice at a time keeps large files within it.
  for (let offset = 0; offset < bytes.length; offset += 0x8000) binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  return btoa(binary);
}
