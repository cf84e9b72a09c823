# Daily weather, GHCN-D USW00094846 Chicago O'Hare, NOAA CDO "standard" units.
# ../shared/data/weather/chicago-ohare-ghcnd/USW00094846_1995-01-01_2019-04-28.csv
[format]
kind = weather
header = yes

[time]
timezone = America/Chicago
format = %Y-%m-%d

[columns]
date = DATE
tmax = TMAX
tmin = TMIN
prcp = PRCP
snow = SNOW
wind = AWND

[units]
temperature = F
precipitation = in
snow = in
wind = mph
