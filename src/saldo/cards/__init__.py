"""The digital membership card (*Kartu Digital*): a QR payload signed with Ed25519 that anyone
holding the public key can check offline. Shared by the mobile API, the web portal and WhatsApp.

A plain package, not an app: it owns no tables. Its user-facing strings are translated in the
api app's catalog (Django loads catalogs of installed apps only)."""
