"""`saldo bench`: the PostgreSQL import and returns benchmark, measured against a raw floor.

The floor is what PostgreSQL itself needs for the same rows (COPY into a bare table, one
set-based UPDATE of the balances), timed in the same run on the same database, so the ratio
ours/floor is meaningful on a noisy machine where absolute seconds are not.
"""
