"""No models: the roles are auth groups (roles.py). The module is here because Django sends
post_migrate only to apps that have one (emit_post_migrate_signal skips the others), and the
groups are synced on that signal after every migrate and every flush of a test database."""
