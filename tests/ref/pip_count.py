#!/usr/bin/python3
"""Independent count of points per polygon by even-odd ray casting (numpy).

usage: pip_count.py POINTS.csv LONCOL LATCOL AREAS.geojson IDFIELD [--unique]
--unique counts identical records once (as vigie does for sources without ids).
--crs EPSG:N  casts rays in that projected plane (coordinates converted by
PROJ's own `cs2cs` command), as vigie does: lines straight in lon/lat and in
metres differ by centimetres, which matters for points on a boundary.
Prints "area_id,count" lines, plus "outside,N".  Shares no code with vigie:
plain lon/lat ray casting on the GeoJSON rings (holes handled by even-odd).
"""
import csv
import json
import subprocess
import sys

import numpy as np


def to_plane(xs, ys, crs):
    text = "".join(f"{y!r} {x!r}\n" for x, y in zip(xs, ys))
    res = subprocess.run(["cs2cs", "-f", "%.6f", "EPSG:4326", crs], input=text.encode(),
                         capture_output=True, check=True).stdout.decode().split("\n")
    e = np.array([float(l.split()[0]) for l in res if l.strip()])
    n = np.array([float(l.split()[1]) for l in res if l.strip()])
    return e, n


def main():
    pts_path, loncol, latcol, geo_path, idfield = sys.argv[1:6]
    lon, lat = [], []
    seen = set()
    unique = "--unique" in sys.argv[6:]
    with open(pts_path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if unique:
                key = tuple(row.values())
                if key in seen:
                    continue
                seen.add(key)
            try:
                x, y = float(row[loncol]), float(row[latcol])
            except ValueError:
                continue
            if x == 0 and y == 0:
                continue
            lon.append(x)
            lat.append(y)
    crs = sys.argv[sys.argv.index("--crs") + 1] if "--crs" in sys.argv else None
    px, py = np.array(lon), np.array(lat)
    if crs:
        px, py = to_plane(px, py, crs)
    owner = np.full(len(px), -1)
    feats = json.load(open(geo_path, encoding="utf-8"))["features"]
    ids = []
    for k, feat in enumerate(feats):
        ids.append(str(feat["properties"][idfield]))
        g = feat["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        inside = np.zeros(len(px), dtype=bool)
        if crs:
            polys = [[np.column_stack(to_plane(np.array(r)[:, 0], np.array(r)[:, 1], crs))
                      for r in poly] for poly in polys]
        # Even-odd over every ring of the feature: a ring nested in another
        # is a hole even when the file lists it as a separate polygon (the
        # Chicago file does this for the villages enclosed by Norwood Park).
        allr = np.concatenate([np.array(r) for poly in polys for r in poly])
        bb = (px >= allr[:, 0].min()) & (px <= allr[:, 0].max()) & \
             (py >= allr[:, 1].min()) & (py <= allr[:, 1].max())
        idx = np.nonzero(bb)[0]
        x, y = px[idx], py[idx]
        odd = np.zeros(len(idx), dtype=bool)
        for poly in polys:
            for ring in poly:
                r = np.array(ring)
                x1, y1 = r[:-1, 0], r[:-1, 1]
                x2, y2 = r[1:, 0], r[1:, 1]
                for j in range(len(x1)):
                    c = (y1[j] > y) != (y2[j] > y)
                    if not c.any():
                        continue
                    xi = x1[j] + (y - y1[j]) * (x2[j] - x1[j]) / (y2[j] - y1[j] + 0.0)
                    odd ^= c & (x < xi)
        inside[idx] = odd
        owner[inside & (owner < 0)] = k
    counts = np.bincount(owner[owner >= 0], minlength=len(feats))
    for k, i in enumerate(ids):
        print(f"{i},{counts[k]}")
    print(f"outside,{int((owner < 0).sum())}")


main()
