# Portland (OR) calls for service, Aug–Sep 2016 (NIJ Real-Time Crime Forecasting Challenge).
# Columns: CATEGORY, CALL_GROUP, final_case, CASE_DESC, occ_date (YYYYMMDD),
# x_coordina, y_coordina (Oregon North State Plane, international feet), census_tra
# No incident id and no time of day.
[format]
kind = incidents
header = yes

[time]
timezone = America/Los_Angeles
format = compact

[columns]
start = occ_date
category = CATEGORY
text = CASE_DESC
x = x_coordina
y = y_coordina

[coordinates]
# NAD83(HARN) / Oregon North (ft) — international feet
crs = EPSG:2913
bbox = -122.90,45.40,-122.40,45.70

[record]
source = calls
origin = reported

[crosswalk]
BURGLARY = cambriolage_logement
MOTOR VEHICLE THEFT = vol_vehicule
STREET CRIMES = troubles_tranquillite
OTHER = autre
