# Cincinnati burglaries 2016–2018 (Police Data Initiative via crimemappingdata).
# Columns: incident_no, offense_date, offense, longitude, latitude
# offense_date is the END of the possible-occurrence window (DATE_TO); it is the
# only time given, so it is used as the occurrence time.  Times are local
# wall-clock times written with a "Z": z_is_local makes vigie read them as
# America/New_York local times.  One row per offence/victim: rows sharing an
# incident number and category are duplicates of one incident.
[format]
kind = incidents
header = yes

[time]
timezone = America/New_York
format = iso
z_is_local = yes
midnight_unknown = yes

[columns]
id = incident_no
start = offense_date
category = offense
lon = longitude
lat = latitude

[coordinates]
bbox = -84.85,39.00,-84.25,39.30

[record]
source = police_records
origin = reported

[crosswalk]
BURGLARY = cambriolage_logement
AGGRAVATED BURGLARY = cambriolage_logement
