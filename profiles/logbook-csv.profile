# vigie's plain logbook layout: mains courantes, intervention reports and
# partner reports, one entry per row (CSV) or per line (JSON Lines, same
# field names).  Times are ISO 8601 local time in Europe/Paris
# (2024-03-12T22:15 or 2024-03-12 22:15:00; a date alone = time unknown);
# during the October DST overlap write the offset (+02:00 / +01:00).
#   id            the entry's number in the source system (de-duplication)
#   reported_at   when it was reported (optional)
#   occurred_from start of the occurrence (required)
#   occurred_to   end of the occurrence (optional)
#   source        logbook, intervention, partner:landlord, partner:social,
#                 partner:health, citizen, camera (empty = logbook)
#   origin        reported, discovered, camera (empty = unknown)
#   place         address or named place, resolved with --gazetteer when
#                 lon/lat are empty
#   lon, lat      WGS84 degrees (optional)
#   category      taxonomy code if the author gave one (else classified)
#   text          free text; scrubbed before anything is stored; dropped
#                 for partner:health and partner:social
[format]
kind = logbook
header = yes

[time]
timezone = Europe/Paris
format = iso

[columns]
id = id
reported = reported_at
start = occurred_from
end = occurred_to
source = source
origin = origin
place = place
lon = lon
lat = lat
category = category
text = text

[record]
source = logbook
