"""Fund staff's roles (Django groups) and the separation of duties ("four eyes") other areas enforce.

At the bottom of the layers with core: imports only Django and saldo.core. See roles.py for the
roles and services.py for the calls (staff_has_role, role_required, four_eyes_check)."""
