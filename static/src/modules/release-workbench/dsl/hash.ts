/**
 * SHA-256 of a file chosen on the page, computed in the browser with Web Crypto: the file is read locally and
 * never uploaded. (Web Crypto hashes a whole buffer, so the file is read into memory once.)
 */
export interface FileDigest {
  name: string;
  sizeBytes: number;
  sha256: string;
}

export async function sha256OfFile(file: File): Promise<FileDigest> {
  const buffer = await file.arrayBuffer();
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return { name: file.name, sizeBytes: file.size, sha256: hex };
}
