"""Saldo: member-service platform for provident funds (JHT / JP)."""
