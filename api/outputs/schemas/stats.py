from __future__ import annotations

from marshmallow import Schema, fields


class EventStatsSchema(Schema):
    event_id = fields.Integer()
    published_version_id = fields.Integer(allow_none=True)
    registrations = fields.Dict(
        metadata={"description": "total, by_country, by_type, by_sector ([{label, count}])"}
    )
    requests = fields.Dict(metadata={"description": "total, by_status, acceptance_rate"})
    meetings = fields.Dict(
        metadata={"description": "total, scheduled, held, no_shows, cancelled, unscheduled"}
    )
    breaks = fields.Dict(metadata={"description": "total, max, histogram [{breaks, participants}]"})
    meetings_per_participant = fields.List(fields.Dict())
    tables = fields.Dict(
        metadata={
            "description": "count, utilisation_per_slot [{slot, start_dt, used, rate}], "
            "occupancy [{table_id, table, slots}]"
        }
    )
