# Daily Chicago weather 2001–2016 from R modeldata::Chicago (derived data; prefer O'Hare).
[format]
kind = weather
header = yes

[time]
timezone = America/Chicago
format = %Y-%m-%d

[columns]
date = date
tmax = temp_max
tmin = temp_min
prcp = percip
wind = wind

[units]
temperature = F
precipitation = in
wind = mph
