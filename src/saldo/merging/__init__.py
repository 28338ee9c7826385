"""Penggabungan saldo: a person's older KPJ card merged into their newer one.

A plain package, not an app: it owns no tables. It composes three domain areas (the registry's
memberships, the ledger's transfer entries, the status and leaver rules of contributions), so it
sits above all three and none of them imports it. The merge itself is recorded by its ledger
posting, keyed `merge:<old KPJ>:<new KPJ>`."""
