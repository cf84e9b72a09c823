#!/usr/bin/python3
"""video_check.py — independent checks of recorded / live / exported video.

  video_check.py mask FILE W H "x,y x,y ..." [...]   pixels inside every
      polygon are black (Y <= 30, U,V ~ 128) and pixels outside are bright
      (Y >= 150) in every decoded frame (bright test pattern expected);
      only pixels at least 4 px from a polygon edge are judged (H.264
      ringing reaches 3 px at a sharp black/white edge at crf 26).
  video_check.py pts FILE FPS   frame timestamps are regular: no step larger
      than 1.5 frame durations; prints the frame count.

Decoding is done by the ffmpeg CLI, point-in-polygon by numpy (ray casting
and point-segment distance), independent of vigie's scanline fill.
"""
import subprocess, sys
import numpy as np


def frames_yuv(path, w, h):
    fmt = "yuvj420p" if path.endswith(".jpg") else "yuv420p"
    raw = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-f", "rawvideo",
                          "-pix_fmt", fmt, "-"], check=True, stdin=subprocess.DEVNULL,
                         capture_output=True).stdout
    fs = w * h * 3 // 2
    n = len(raw) // fs
    if n == 0:
        sys.exit(f"{path}: no frames decoded")
    a = np.frombuffer(raw[:n * fs], np.uint8).reshape(n, fs)
    y = a[:, :w * h].reshape(n, h, w)
    u = a[:, w * h:w * h + (w // 2) * (h // 2)].reshape(n, h // 2, w // 2)
    return y, u


def inside(poly, px, py):
    res = np.zeros(px.shape, bool)
    m = len(poly)
    for i in range(m):
        (x0, y0), (x1, y1) = poly[i - 1], poly[i]
        cross = (y0 > py) != (y1 > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            xs = x0 + (py - y0) * (x1 - x0) / (y1 - y0)
        res ^= cross & (px < xs)
    return res


def edge_dist(poly, px, py):
    d = np.full(px.shape, np.inf)
    for i in range(len(poly)):
        (x0, y0), (x1, y1) = poly[i - 1], poly[i]
        vx, vy = x1 - x0, y1 - y0
        t = np.clip(((px - x0) * vx + (py - y0) * vy) / (vx * vx + vy * vy), 0, 1)
        d = np.minimum(d, np.hypot(px - (x0 + t * vx), py - (y0 + t * vy)))
    return d


def check_mask(path, w, h, polys):
    y, u = frames_yuv(path, w, h)
    py, px = np.mgrid[0:h, 0:w].astype(float) + 0.5
    ins = np.zeros((h, w), bool)
    near = np.zeros((h, w), bool)
    for p in polys:
        ins |= inside(p, px, py)
        near |= edge_dist(p, px, py) < 4
    sure_in, sure_out = ins & ~near, ~ins & ~near
    if sure_in.sum() < 100:
        sys.exit("polygons too small to judge")
    cin = np.zeros((h // 2, w // 2), bool)
    cin |= sure_in[0::2, 0::2] & sure_in[1::2, 1::2]
    worst_in = int(y[:, sure_in].max())
    worst_out = int(y[:, sure_out].min())
    worst_u = int(np.abs(u[:, cin].astype(int) - 128).max())
    print(f"{path}: {len(y)} frames, inside max Y {worst_in}, outside min Y "
          f"{worst_out}, inside max |U-128| {worst_u}")
    if worst_in > 30 or worst_out < 150 or worst_u > 12:
        sys.exit(f"{path}: mask check failed")


def check_pts(path, fps):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0",
                          "-show_entries", "frame=pts_time", "-of", "csv=p=0",
                          path], check=True, capture_output=True, text=True).stdout
    vals = (x.strip(",") for x in out.split())
    t = np.array(sorted(float(x) for x in vals if x and x != "N/A"))
    steps = np.diff(t)
    big = steps.max() if len(steps) else 0
    print(f"{path}: {len(t)} frames, largest step {big:.4f} s")
    if len(steps) and big > 1.5 / fps:
        sys.exit(f"{path}: missing frames (step {big:.3f} s)")


if __name__ == "__main__":
    if sys.argv[1] == "mask":
        polys = [[tuple(map(float, v.split(","))) for v in p.split()]
                 for p in sys.argv[5:]]
        check_mask(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), polys)
    elif sys.argv[1] == "pts":
        check_pts(sys.argv[2], float(sys.argv[3]))
    else:
        sys.exit(__doc__)
