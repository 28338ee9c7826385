"""The portal keeps no table of its own: its throttles count attempts in core.Attempt
(saldo.core.throttle), shared with the API's."""
