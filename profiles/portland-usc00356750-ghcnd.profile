# Daily weather, GHCN-D USC00356750 Portland Weather Forecast Office (no wind column).
[format]
kind = weather
header = yes

[time]
timezone = America/Los_Angeles
format = %Y-%m-%d

[columns]
date = DATE
tmax = TMAX
tmin = TMIN
prcp = PRCP
snow = SNOW

[units]
temperature = F
precipitation = in
snow = in
