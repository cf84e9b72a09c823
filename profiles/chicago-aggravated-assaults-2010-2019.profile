# Chicago aggravated assaults 2010–2019 (Crime Open Database via crimemappingdata).
# ../shared/data/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv
# Columns: date, loc_cat, longitude, latitude, district.  No incident id: duplicates are
# detected by a hash of the whole record.
[format]
kind = incidents
delimiter = ,
quote = "
decimal = .
encoding = utf-8
header = yes

[time]
timezone = America/Chicago
format = %Y-%m-%d %H:%M
# 441 rows carry exactly 00:00, the usual placeholder for "time unknown":
# they are stored as covering the whole day.
midnight_unknown = yes

[columns]
start = date
lon = longitude
lat = latitude

[coordinates]
# City of Chicago with a margin; points outside are rejected.
bbox = -87.95,41.62,-87.50,42.05

[record]
# NIBRS 13A aggravated assault → coups et blessures volontaires (SSMSI)
category = coups_blessures
source = police_records
origin = reported
