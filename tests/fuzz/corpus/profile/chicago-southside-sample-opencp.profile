# Chicago South Side sample 2016 (open_cp / PredictCode quick start), 1,000 mixed incidents.
# Columns: Case Number, Date (MM/DD/YYYY hh:mm:ss AM/PM), Block, Primary Type, Latitude, Longitude
[format]
kind = incidents
header = yes

[time]
timezone = America/Chicago
format = us12
midnight_unknown = yes

[columns]
id = Case Number
start = Date
address = Block
category = Primary Type
lat = Latitude
lon = Longitude

[coordinates]
bbox = -87.95,41.62,-87.50,42.05

[record]
source = police_records
origin = reported

# Chicago "Primary Type" → vigie category
[crosswalk]
BATTERY = coups_blessures
ASSAULT = coups_blessures
THEFT = vol_sans_violence
CRIMINAL DAMAGE = destructions_degradations
BURGLARY = cambriolage_logement
ROBBERY = vol_violent
MOTOR VEHICLE THEFT = vol_vehicule
NARCOTICS = usage_stupefiants
DECEPTIVE PRACTICE = escroquerie
CRIMINAL TRESPASS = occupation_illicite
OTHER OFFENSE = autre
WEAPONS VIOLATION = autre
OFFENSE INVOLVING CHILDREN = violences_intrafamiliales
PUBLIC PEACE VIOLATION = troubles_tranquillite
SEX OFFENSE = violences_sexuelles
CRIM SEXUAL ASSAULT = violences_sexuelles
CRIMINAL SEXUAL ASSAULT = violences_sexuelles
INTERFERENCE WITH PUBLIC OFFICER = autre
HOMICIDE = coups_blessures
PROSTITUTION = autre
LIQUOR LAW VIOLATION = ivresse_publique
ARSON = destructions_degradations
STALKING = autre
KIDNAPPING = autre
INTIMIDATION = autre
GAMBLING = autre
OBSCENITY = autre
PUBLIC INDECENCY = autre
CONCEALED CARRY LICENSE VIOLATION = autre
NON-CRIMINAL = autre
HUMAN TRAFFICKING = autre
OTHER NARCOTIC VIOLATION = trafic_stupefiants
