"""An index for the track log's one-track filter, built on PostgreSQL without blocking writes.

``TrackLogQuerySet.filtered(track=...)`` compares ``UPPER(track)`` within one
racer, newest first: (racer, UPPER(track), timestamp DESC, id DESC) reads a
page of one track in order and stops, where the (racer, timestamp) index
walks every entry of the racer's other tracks first. PostgreSQL only, as
racing 0004's expression indexes (``OnPostgresOnly`` leaves the model state
alone; a SQLite track log is one club's, small). Not atomic: CREATE INDEX
CONCURRENTLY cannot run in a transaction; a half-built index left by an
interrupted run is dropped first.
"""

from django.db import migrations

from apex.migration_operations import OnPostgresOnly

NAME = "tracklog_racer_track_time_idx"
DROP = f'DROP INDEX CONCURRENTLY IF EXISTS "{NAME}"'
CREATE = (
    f'CREATE INDEX CONCURRENTLY "{NAME}" ON "racing_tracklog" '
    '("racer_id", UPPER("track"), "timestamp" DESC, "id" DESC)'
)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("racing", "0009_idempotency_key")]

    operations = [OnPostgresOnly(migrations.RunSQL([DROP, CREATE], [DROP]))]
