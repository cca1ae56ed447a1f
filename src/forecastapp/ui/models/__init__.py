"""Qt item models: the ledger table's model (`ledger_table`)."""
