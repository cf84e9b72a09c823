#!/usr/bin/python3
"""live_latency.py — glass-to-glass-ish latency of the camera wall.

  live_latency.py BASE_URL USER PASSWORD CAMERA SECONDS [FPS]

Logs in, reads GET /api/v1/cameras/CAMERA/live?fps=FPS for SECONDS, stamps
each multipart part with the local clock when its last byte arrives, then
decodes all the JPEGs in one ffmpeg run and reads the 32-bit millisecond
clock painted by bench/clock_cam.c into the top half of every frame.
latency = arrival - painted (same machine, same CLOCK_REALTIME).
Prints the count, delivered pictures/s and latency percentiles in ms.
"""
import http.client, json, subprocess, sys, time, urllib.parse
import numpy as np

W, H = 640, 360


def login(u, user, pw):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    c.request("POST", "/api/v1/login", json.dumps({"user": user, "password": pw}),
              {"Content-Type": "application/json"})
    r = c.getresponse()
    r.read()
    if r.status != 200:
        sys.exit(f"login: HTTP {r.status}")
    return r.getheader("Set-Cookie").split(";")[0]


def capture(u, cookie, cam, secs, fps):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    c.request("GET", f"/api/v1/cameras/{cam}/live?fps={fps}", headers={"Cookie": cookie})
    r = c.getresponse()
    if r.status != 200:
        sys.exit(f"live: HTTP {r.status} {r.read()[:200]!r}")
    buf, parts, end = b"", [], time.time() + secs
    while time.time() < end:
        chunk = r.read1(65536)
        if not chunk:
            break
        buf += chunk
        while True:
            h = buf.find(b"\r\n\r\n")
            if h < 0:
                break
            hdr = buf[:h].decode("latin1").lower()
            n = int(hdr.split("content-length:")[1].split("\r\n")[0])
            if len(buf) < h + 4 + n + 2:
                break
            parts.append((time.time(), buf[h + 4:h + 4 + n]))
            buf = buf[h + 6 + n:]
    c.close()
    return parts


def painted(parts):
    data = b"".join(p for _, p in parts)
    raw = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "mjpeg", "-i", "-",
                          "-f", "rawvideo", "-pix_fmt", "gray", "-"], input=data,
                         capture_output=True, check=True).stdout
    y = np.frombuffer(raw, np.uint8).reshape(-1, H, W)
    if len(y) != len(parts):
        sys.exit(f"decoded {len(y)} frames for {len(parts)} parts")
    bars = y[:, 60:120, :].reshape(len(y), 60, 32, 20)[:, :, :, 4:16].mean(axis=(1, 3)) > 128
    weights = (1 << np.arange(31, -1, -1, dtype=np.uint64))
    return (bars.astype(np.uint64) * weights).sum(axis=1)


def main():
    base, user, pw, cam, secs = sys.argv[1:6]
    fps = sys.argv[6] if len(sys.argv) > 6 else "25"
    u = urllib.parse.urlparse(base)
    parts = capture(u, login(u, user, pw), cam, float(secs), fps)
    if len(parts) < 10:
        sys.exit(f"only {len(parts)} pictures")
    v = painted(parts)
    arrival = np.array([int(t * 1000) % (1 << 32) for t, _ in parts], np.int64)
    lat = (arrival - v.astype(np.int64)) % (1 << 32)
    lat = lat[5:]  # the first parts are the picture waiting at connection time
    span = parts[-1][0] - parts[5][0]
    p = np.percentile(lat, [50, 90, 99])
    print(f"pictures {len(lat)} in {span:.1f} s ({(len(lat) - 1) / span:.1f}/s); latency ms: "
          f"min {lat.min()} median {p[0]:.0f} p90 {p[1]:.0f} p99 {p[2]:.0f} max {lat.max()}")


if __name__ == "__main__":
    main()
