"""Payment gateways (manual ledger, Stripe) behind one interface, and the reconciliation of our ledger with
the gateway's records. Never imports services.deals (tests/unit/test_payments_layer.py checks it)."""
