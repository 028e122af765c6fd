/**
 * Strict UTF-8 (RFC 3629, Unicode table 3-7): no overlong forms, no surrogates (U+D800..DFFF),
 * nothing above U+10FFFF, no truncated sequence at the end. Written out here, independently of
 * the server's validator, for the oracle.
 */
export const isValidUtf8 = (bytes: Uint8Array): boolean => {
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i] ?? 0;
    if (b0 < 0x80) {
      i += 1;
      continue;
    }
    // The allowed range of the second byte depends on the first; later bytes are 80..BF.
    let size: number;
    let low = 0x80;
    let high = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) size = 2;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      size = 3;
      if (b0 === 0xe0) low = 0xa0; // overlong below U+0800
      if (b0 === 0xed) high = 0x9f; // surrogates
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      size = 4;
      if (b0 === 0xf0) low = 0x90; // overlong below U+10000
      if (b0 === 0xf4) high = 0x8f; // above U+10FFFF
    } else return false; // 80..C1 (continuation or overlong lead), F5..FF
    if (i + size > bytes.length) return false;
    const b1 = bytes[i + 1] ?? 0;
    if (b1 < low || b1 > high) return false;
    for (let k = 2; k < size; k++) {
      const b = bytes[i + k] ?? 0;
      if (b < 0x80 || b > 0xbf) return false;
    }
    i += size;
  }
  return true;
};
