# The same San Francisco file read through its projected coordinates:
# NAD83 / California zone III in US survey feet (EPSG:2227).  Gives the same
# places as the lon/lat profile (a test checks it).
[format]
kind = incidents
header = yes

[time]
timezone = America/Los_Angeles
format = compact

[columns]
id = IncidntNum
start = Date
category = Category
text = Descript
address = Location
x = X_StatePlaneCA3_ftUS
y = Y_StatePlaneCA3_ftUS

[coordinates]
crs = EPSG:2227
bbox = -122.53,37.70,-122.35,37.84

[record]
source = police_records
origin = reported

[crosswalk]
DRUG/NARCOTIC = usage_stupefiants
VANDALISM = destructions_degradations
VEHICLE THEFT = vol_vehicule
ROBBERY = vol_violent
