"""The data every stage shares: exchanges, findings, the contract model, JSON pointers."""
