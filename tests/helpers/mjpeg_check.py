#!/usr/bin/python3
"""mjpeg_check.py — check a captured multipart/x-mixed-replace body.

  mjpeg_check.py FILE BOUNDARY MIN_PARTS OUTDIR
      every complete part has "--BOUNDARY", Content-Type: image/jpeg, a
      Content-Length equal to its payload, a payload starting with the JPEG
      SOI marker FF D8 and ending with EOI FF D9 and followed by CRLF; a cut
      last part (curl --max-time) is allowed.  At least MIN_PARTS complete
      parts.  Writes them as OUTDIR/part-N.jpg (OUTDIR/CAMERA-N.jpg for
      parts tagged "X-Camera: CAMERA"); prints "parts N distinct D" and
      "cameras A B ..." (the tags seen, sorted).

Parsing is written here from RFC 2046 framing, independent of vigie's
vlive.c which builds the parts.
"""
import hashlib, os, sys


def main():
    path, boundary, need, outdir = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3]), sys.argv[4]
    data = open(path, "rb").read()
    delim = b"--" + boundary + b"\r\n"
    if not data.startswith(delim):
        sys.exit(f"{path}: body does not start with {delim!r}: {data[:40]!r}")
    pos, parts = 0, []
    while pos < len(data):
        if not data.startswith(delim, pos):
            sys.exit(f"{path}: offset {pos}: expected boundary, got {data[pos:pos + 20]!r}")
        hend = data.find(b"\r\n\r\n", pos)
        if hend < 0:
            break  # headers cut by --max-time
        headers = {}
        for line in data[pos + len(delim):hend].split(b"\r\n"):
            k, _, v = line.partition(b":")
            headers[k.strip().lower()] = v.strip()
        if headers.get(b"content-type") != b"image/jpeg":
            sys.exit(f"{path}: part {len(parts)}: content-type {headers.get(b'content-type')!r}")
        n = int(headers[b"content-length"])
        body = data[hend + 4:hend + 4 + n]
        if len(body) < n or len(data) < hend + 4 + n + 2:
            break  # payload cut by --max-time
        if body[:2] != b"\xff\xd8" or body[-2:] != b"\xff\xd9":
            sys.exit(f"{path}: part {len(parts)}: not a whole JPEG (SOI/EOI markers)")
        if data[hend + 4 + n:hend + 6 + n] != b"\r\n":
            sys.exit(f"{path}: part {len(parts)}: payload not followed by CRLF")
        parts.append((headers.get(b"x-camera", b"").decode(), body))
        pos = hend + 6 + n
    os.makedirs(outdir, exist_ok=True)
    for i, (cam, b) in enumerate(parts):
        open(os.path.join(outdir, f"{cam or 'part'}-{i}.jpg"), "wb").write(b)
    distinct = len({hashlib.sha256(b).hexdigest() for _, b in parts})
    print(f"parts {len(parts)} distinct {distinct}")
    print("cameras " + " ".join(sorted({c for c, _ in parts if c})))
    if len(parts) < need:
        sys.exit(f"{path}: {len(parts)} complete parts, expected >= {need}")


if __name__ == "__main__":
    main()
