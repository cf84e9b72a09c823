# San Francisco incidents July–December 2012, 4 categories (GeoDa lab data).
# Columns: IncidntNum, Date (YYYYMMDD), DayOfWeek, Category, Descript, PdDistrict,
# Resolution, Location, Longitude, Latitude, X_StatePlaneCA3_ftUS, Y_StatePlaneCA3_ftUS
# The time of day was lost upstream: incidents cover their whole day.
# One row per offence: an incident number may repeat across categories.
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
lon = Longitude
lat = Latitude

[coordinates]
bbox = -122.53,37.70,-122.35,37.84

[record]
source = police_records
origin = reported

[crosswalk]
DRUG/NARCOTIC = usage_stupefiants
VANDALISM = destructions_degradations
VEHICLE THEFT = vol_vehicule
ROBBERY = vol_violent
