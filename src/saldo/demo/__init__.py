"""Demo data: a deterministic, realistic population loaded through the real import services.

`population` plans people and their careers from a seed alone (identities never depend on the
as-of date); `loading` turns that plan into CSV files and feeds them to the operators' services.
"""
